import EskitCore
import EskitYAML

/// A YAML/JSON file parsed for the document detectors, with its resources (documents and `kind: List` items).
struct ManifestFile {
    let text: ByteText
    let documents: [YAMLDocument]
    let engine: TextEngine

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
    /// ConfigMap with candidate values, a secret-looking env name); nil otherwise or when it does not parse.
    static func parseIfRelevant(_ text: ByteText, sink: MatchSink, engine: TextEngine) -> ManifestFile? {
        let reasons = sink.parseReasons
        guard reasons.contains(.secretResource) || reasons.contains(.secretEnvName)
                || ((reasons.contains(.configMap) || reasons.contains(.sealedSecret)) && !sink.matches.isEmpty) else { return nil }
        let lower = text.path.lowercased()
        let isManifest = manifestExtensions.contains { lower.hasSuffix($0) }
            || (!lower.contains(".") && (text.hasPrefix("apiVersion", at: 0) || text.hasPrefix([123], at: 0)))
        guard isManifest else { return nil }
        let bytes = Array(text.base)
        if let documents = try? YAML.parse(bytes, file: text.path) {
            return ManifestFile(text: text, documents: documents, engine: engine)
        }
        guard let blanked = blankingTemplates(bytes), let documents = try? YAML.parse(blanked, file: text.path) else { return nil }
        return ManifestFile(text: text, documents: documents, engine: engine)
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

    /// The byte range of a scalar's value in the source: quotes excluded; for block scalars the content lines.
    func valueRange(_ node: YAMLNode) -> Range<Int> {
        var lo = node.span.start.offset, hi = node.span.end.offset
        guard lo < hi, hi <= text.count else { return lo..<max(lo, hi) }
        switch node.scalarStyle {
        case .singleQuoted?, .doubleQuoted?:
            if text[lo] == 39 || text[lo] == 34 { lo += 1 }
            if hi > lo, text[hi - 1] == 39 || text[hi - 1] == 34 { hi -= 1 }
        case .literal?, .folded?:
            while lo < hi, text[lo] != 10 { lo += 1 }
            while lo < hi, text[lo] == 10 || text[lo] == 32 || text[lo] == 13 || text[lo] == 9 { lo += 1 }
            while hi > lo, text[hi - 1] == 10 || text[hi - 1] == 32 || text[hi - 1] == 13 || text[hi - 1] == 9 { hi -= 1 }
        default:
            break
        }
        return lo..<hi
    }

    /// Matches of every text detector over `bytes` (a decoded value).
    func decodedMatches(_ bytes: [UInt8]) -> [RawMatch] {
        engine.matches(in: bytes, path: text.path)
    }
}
