import EskitCore
import EskitESO
import EskitManifests
import EskitYAML

enum HelmChecks {
    /// ESO's own `{{ .key }}` inside an ESO document of a chart template: Helm renders it first. The fix wraps the
    /// action in a Helm raw string, {{ `{{ .key }}` }}, which renders to exactly the original text.
    static func esoInChart(_ c: inout LintContext) {
        var seen: Set<String> = []
        for doc in c.documents where doc.inChart && doc.group == ESO.group {
            let key = "\(doc.file)#\(doc.root.start.offset)"
            guard seen.insert(key).inserted else { continue }
            let bytes = c.bytes(doc.file)
            let span = doc.root.span.byteRange
            for action in doc.masked where span.contains(action.lowerBound) {
                let text = String(decoding: bytes[action], as: UTF8.self)
                guard let field = HelmActions.firstField(text), !HelmBraces.helmObjects.contains(field) else {
                    continue
                }
                if text.contains("`") { continue }  // cannot be wrapped in a raw string; reported by ESO at runtime
                let position = LineIndex(bytes).position(ofOffset: action.lowerBound)
                c.report(
                    LintProblem(
                        LintRules.helmRendersESOTemplate, at: SourceLocation(file: doc.file, position: position),
                        "\(doc.display): Helm renders the ESO template expression `.\(field)` before ESO sees it",
                        hint: "escape it: {{ `" + text + "` }}",
                        edits: [LintEdit(file: doc.file, range: action, replacement: "{{ `" + text + "` }}")]))
            }
        }
    }

    /// `{{ .Values.x }}` / `.Release` / `.Chart` / `.Capabilities` / `.Files` / `.Template` in a file no Helm renders.
    static func helmOutsideChart(_ c: inout LintContext) {
        for doc in c.documents where !doc.inChart {
            var found: [YAMLNode] = []
            func walk(_ node: YAMLNode) {
                switch node.kind {
                case .mapping(let pairs):
                    for pair in pairs { walk(pair.value) }
                case .sequence(let items):
                    items.forEach(walk)
                case .scalar(let text, _):
                    guard text.contains("{{") else { return }
                    let bytes = Array(text.utf8)
                    for action in HelmActions.find(bytes) {
                        let body = String(decoding: bytes[action], as: UTF8.self)
                        if let field = HelmActions.firstField(body), HelmBraces.helmObjects.contains(field) {
                            found.append(node)
                            return
                        }
                    }
                }
            }
            walk(doc.root)
            for node in found {
                c.report(
                    LintProblem(
                        LintRules.helmOutsideChart, at: doc.location(node),
                        "\(doc.display): Helm template syntax in a manifest Helm does not render"))
            }
        }
    }
}

enum APIVersionRule {
    static func problem(_ doc: LintDocument, node: YAMLNode, served: String, source: [UInt8]? = nil) -> LintProblem {
        var message = "\(doc.display): apiVersion `\(doc.apiVersion)` is not served by current ESO; use `\(served)`"
        var hint: String? = nil
        if doc.apiVersion.hasSuffix("/v1beta1") {
            message += " (v1beta1 stopped being served in ESO 0.17)"
            hint = "a pure apiVersion bump: v1 and v1beta1 share the schema"
        } else if doc.apiVersion.hasSuffix("/v1alpha1") {
            hint =
                "besides the bump, v1alpha1 `dataFrom: - key: x` moves to `dataFrom: - extract: {key: x}` (--fix does "
                + "both) and `target.template` engine v1 expressions must be rewritten for engine v2"
        }
        if doc.root["spec"]?["target"]?["template"]?["engineVersion"]?.scalarValue == "v1" {
            hint =
                (hint.map { $0 + "; " } ?? "")
                + "template `engineVersion: v1` is gone: rewrite the template for engine v2 (`{{ .key | toString }}` "
                + "becomes `{{ .key }}`)"
        }
        var edits =
            doc.inChart || node.alias != nil
            ? [] : [LintEdit(file: doc.file, range: node.span.byteRange, replacement: quoted(node, served))]
        if !edits.isEmpty, doc.apiVersion.hasSuffix("/v1alpha1"), let bytes = source {
            let moves = dataFromMoves(doc, bytes: bytes)
            if moves.isEmpty
                || moves.count == (doc.root["spec"]?["dataFrom"]?.items?.filter(isV1alpha1Entry).count ?? 0)
            {
                edits += moves
            }
        }
        return LintProblem(LintRules.esoAPIVersion, at: doc.location(node), message, hint: hint, edits: edits)
    }

    /// A v1alpha1 `dataFrom` entry: the remote key's fields directly (`- key: x`), no extract / find / sourceRef.
    static func isV1alpha1Entry(_ entry: YAMLNode) -> Bool {
        entry["key"] != nil && entry["extract"] == nil && entry["find"] == nil && entry["sourceRef"] == nil
    }

    /// `- key: x` (v1alpha1) becomes `- extract:` with the same fields one level down, every byte of them kept.
    static func dataFromMoves(_ doc: LintDocument, bytes: [UInt8]) -> [LintEdit] {
        var out: [LintEdit] = []
        for entry in doc.root["spec"]?["dataFrom"]?.items ?? [] where isV1alpha1Entry(entry) {
            guard entry.alias == nil else { return [] }
            let start = entry.start.offset
            let end = entry.lastScalarEnd
            guard start < end, end <= bytes.count else { return [] }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if text.hasPrefix("{") {
                out.append(LintEdit(file: doc.file, range: start..<end, replacement: "extract: " + text))
                continue
            }
            let indent = String(repeating: " ", count: max(0, entry.start.column - 1))
            let moved = text.replacingOccurrences(of: "\n", with: "\n  ")
            out.append(LintEdit(file: doc.file, range: start..<end, replacement: "extract:\n\(indent)  " + moved))
        }
        return out
    }

    static func quoted(_ node: YAMLNode, _ value: String) -> String {
        switch node.scalarStyle {
        case .doubleQuoted?: return "\"\(value)\""
        case .singleQuoted?: return "'\(value)'"
        default: return value
        }
    }
}
