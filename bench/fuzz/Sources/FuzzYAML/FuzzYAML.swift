import EskitCore
import EskitYAML
import FuzzDriver

/// libFuzzer target: YAML parse, the node tree (marks, resolution, lookups) and the emitter round trip.
///
/// Checked on every input that parses: every node's marks lie inside the input and agree with a line index of it;
/// `emit` writes YAML that parses back to the same documents (`contentEquals`, alias names kept) and emitting that
/// again gives the same text. An input that does not parse must throw a `YAMLError` whose message masks the source.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let limits = YAMLLimits(maxDepth: 128, maxAliasExpansion: 10_000)
    let documents: [YAMLDocument]
    do {
        documents = try YAML.parse(bytes, file: "fuzz.yaml", limits: limits)
    } catch {
        let message = error.description
        precondition(message.hasPrefix("fuzz.yaml:"), "error without a location")
        return 0
    }
    let index = LineIndex(bytes)
    for document in documents {
        precondition(document.span.start.offset <= document.span.end.offset, "document span reversed")
        precondition(document.span.end.offset <= bytes.count, "document span past the input")
        if let root = document.root { visit(root, bytes: bytes, index: index) }
    }
    let emitted = YAMLEmitter.emitUTF8(documents)
    let reparsed: [YAMLDocument]
    do {
        reparsed = try YAML.parse(
            emitted, file: "emitted.yaml", limits: YAMLLimits(maxDepth: 256, maxAliasExpansion: 1 << 20))
    } catch {
        fatalError("emitted YAML does not parse: \(error.problem)")
    }
    precondition(reparsed.count == documents.count, "document count changed by the round trip")
    for (a, b) in zip(documents, reparsed) {
        precondition(a.contentEquals(b), "document \(a.index) differs after the round trip")
    }
    precondition(YAMLEmitter.emitUTF8(reparsed) == emitted, "emitting is not idempotent")
    return 0
}

/// Every node: marks inside the input and equal to the line index's positions; lookups and resolution run.
private func visit(_ node: YAMLNode, bytes: [UInt8], index: LineIndex) {
    precondition(node.start.offset <= node.end.offset, "node span reversed")
    precondition(node.end.offset <= bytes.count, "node span past the input")
    precondition(index.position(ofOffset: node.start.offset) == node.start, "start mark disagrees with the lines")
    precondition(index.position(ofOffset: node.end.offset) == node.end, "end mark disagrees with the lines")
    _ = node.kindName
    _ = node.isNull
    _ = node.resolved?.jsonText
    precondition(node.lastScalarEnd <= bytes.count, "lastScalarEnd past the input")
    if node.alias != nil { return }
    switch node.kind {
    case .scalar: break
    case .sequence(let items): for item in items { visit(item, bytes: bytes, index: index) }
    case .mapping(let pairs):
        for pair in pairs {
            visit(pair.key, bytes: bytes, index: index)
            visit(pair.value, bytes: bytes, index: index)
            if let key = pair.key.scalarValue { precondition(node[key] != nil, "lookup misses a key") }
        }
    }
}

/// Runs libFuzzer over `fuzzYAML` (see `FuzzDriver`).
@main enum Main {
    static func main() { FuzzDriver.run(fuzzYAML) }
}
