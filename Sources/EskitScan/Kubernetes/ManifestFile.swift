import EskitCore
import EskitYAML
import Foundation

/// A YAML/JSON file, or one document of a multi-document stream, parsed for the document detectors, with its
/// resources (documents and `kind: List` items). Node offsets are relative to the parsed slice; `byteRange` and
/// `valueRange` give offsets in the whole file.
struct ManifestFile {
    let text: ByteText
    let documents: [YAMLDocument]
    let engine: TextEngine
    /// Offset of the parsed slice in `text`.
    var base = 0

    /// Each top-level resource: a document root, or an item of a `kind: List`.
    var resources: [YAMLNode] {
        var out: [YAMLNode] = []
        for doc in documents {
            guard let root = doc.root, root.pairs != nil else { continue }
            if root["kind"]?.scalarValue?.hasSuffix("List") == true, let items = root["items"]?.items {
                out += items.filter { $0.pairs != nil }
            } else {
                out.append(root)
            }
        }
        return out
    }

    private static let manifestExtensions = [".yaml", ".yml", ".json"]

    /// Parses the file when it is YAML/JSON and the text pass saw a reason (a Secret, a secretGenerator, a
    /// ConfigMap with candidate values, a secret-looking env name); empty otherwise or when it does not parse. In a
    /// multi-document stream only the documents holding a reason are parsed (neighbours together): one with a Secret,
    /// secretGenerator, SOPS block or secret env name, or a ConfigMap / SealedSecret next to a text match.
    static func parseRelevant(_ text: ByteText, sink: MatchSink, engine: TextEngine) -> [ManifestFile] {
        let reasons = sink.parseReasons
        guard
            reasons.contains(.secretResource) || reasons.contains(.secretEnvName)
                || ((reasons.contains(.configMap) || reasons.contains(.sealedSecret))
                    && !(sink.matches.isEmpty && sink.deferred.isEmpty))
        else { return [] }
        let lower = text.path.lowercased()
        let isManifest =
            manifestExtensions.contains { lower.hasSuffix($0) }
            || (!lower.contains(".") && (text.hasPrefix("apiVersion", at: 0) || text.hasPrefix([123], at: 0)))
        guard isManifest else { return [] }
        let slices = documentSlices(text)
        if slices.count > 1 {
            var runs: [Range<Int>] = []
            let triggers = sink.parseTriggers.sorted { $0.offset < $1.offset }
            let matchStarts = (sink.matches.map(\.range.lowerBound) + sink.deferred.map(\.valueRange.lowerBound))
                .sorted()
            var t = 0, m = 0
            for slice in slices {
                var strong = false, weak = false
                while t < triggers.count, triggers[t].offset < slice.upperBound {
                    if triggers[t].offset >= slice.lowerBound {
                        if triggers[t].reason == .secretResource || triggers[t].reason == .secretEnvName {
                            strong = true
                        } else {
                            weak = true
                        }
                    }
                    t += 1
                }
                while m < matchStarts.count, matchStarts[m] < slice.lowerBound { m += 1 }
                guard strong || (weak && m < matchStarts.count && matchStarts[m] < slice.upperBound) else { continue }
                if let last = runs.last, last.upperBound == slice.lowerBound {
                    runs[runs.count - 1] = last.lowerBound..<slice.upperBound
                } else {
                    runs.append(slice)
                }
            }
            var files: [ManifestFile] = []
            var parsedAll = true
            for run in runs {
                guard let documents = parse(Array(text.base[run]), path: text.path) else { parsedAll = false; break }
                files.append(ManifestFile(text: text, documents: documents, engine: engine, base: run.lowerBound))
            }
            if parsedAll { return files }
        }
        guard let documents = parse(Array(text.base), path: text.path) else { return [] }
        return [ManifestFile(text: text, documents: documents, engine: engine)]
    }

    private static func parse(_ bytes: [UInt8], path: String) -> [YAMLDocument]? {
        if let documents = try? YAML.parse(bytes, file: path) { return documents }
        guard let blanked = blankingTemplates(bytes) else { return nil }
        return try? YAML.parse(blanked, file: path)
    }

    /// Byte ranges of the documents of a stream, split before each `---` line (a `---` at column 0 followed by a
    /// space, tab or line end always starts a document: it cannot occur inside a scalar). A stream without one is a
    /// single slice.
    static func documentSlices(_ text: ByteText) -> [Range<Int>] {
        let n = text.count
        guard n >= 3, let base = text.base.baseAddress else { return [0..<n] }
        var cuts: [Int] = []
        var lineStart = 0
        while lineStart + 2 < n {
            if base[lineStart] == 45, base[lineStart + 1] == 45, base[lineStart + 2] == 45 {
                let after = lineStart + 3 < n ? base[lineStart + 3] : 10
                if after == 10 || after == 13 || after == 32 || after == 9 { cuts.append(lineStart) }
            }
            guard let newline = memchr(base + lineStart, 10, n - lineStart) else { break }
            lineStart = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
        }
        if cuts.first != 0 { cuts.insert(0, at: 0) }
        var slices: [Range<Int>] = []
        slices.reserveCapacity(cuts.count)
        for (k, start) in cuts.enumerated() {
            slices.append(start..<(k + 1 < cuts.count ? cuts[k + 1] : n))
        }
        return slices
    }

    /// Helm/Go templates (`{{ … }}`) replaced by spaces of the same length (line breaks kept), so a chart's
    /// `templates/secret.yaml` parses with unchanged positions; nil when there is no template.
    static func blankingTemplates(_ bytes: [UInt8]) -> [UInt8]? {
        var out = bytes
        var changed = false
        var i = 0
        while i + 1 < out.count {
            if out[i] == 123, out[i + 1] == 123 {
                var j = i + 2
                while j + 1 < out.count, !(out[j] == 125 && out[j + 1] == 125) { j += 1 }
                let end = min(out.count, j + 2)
                for k in i..<end where out[k] != 10 && out[k] != 13 { out[k] = 32 }
                changed = true
                i = end
            } else {
                i += 1
            }
        }
        return changed ? out : nil
    }

    /// The bytes of `node` in the whole file.
    func byteRange(_ node: YAMLNode) -> Range<Int> {
        (node.span.start.offset + base)..<(node.span.end.offset + base)
    }

    /// The byte range of a scalar's value in the source: quotes excluded; for block scalars the content lines.
    func valueRange(_ node: YAMLNode) -> Range<Int> {
        var lo = node.span.start.offset + base, hi = node.span.end.offset + base
        guard lo < hi, hi <= text.count else { return lo..<max(lo, hi) }
        switch node.scalarStyle {
        case .singleQuoted?, .doubleQuoted?:
            if text[lo] == 39 || text[lo] == 34 { lo += 1 }
            if hi > lo, text[hi - 1] == 39 || text[hi - 1] == 34 { hi -= 1 }
        case .literal?, .folded?:
            while lo < hi, text[lo] != 10 { lo += 1 }
            while lo < hi, text[lo] == 10 || text[lo] == 32 || text[lo] == 13 || text[lo] == 9 { lo += 1 }
            while hi > lo, text[hi - 1] == 10 || text[hi - 1] == 32 || text[hi - 1] == 13 || text[hi - 1] == 9 {
                hi -= 1
            }
        default:
            break
        }
        return lo..<hi
    }

    /// Matches of every text detector over `bytes` (a decoded value).
    func decodedMatches(_ bytes: [UInt8]) -> [RawMatch] {
        engine.matches(in: bytes, path: text.path, isCode: text.isCode)
    }
}
