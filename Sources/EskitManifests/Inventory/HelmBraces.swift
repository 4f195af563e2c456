public import EskitCore
public import EskitYAML
import Foundation

/// Finds Helm template syntax in an inventory. eskit writes plain manifests that nothing renders before ESO, so
/// `{{ .Values.x }}` outside an ESO template is sent to the provider as is, inside one it asks ESO for a key
/// named `Values`, and Helm's escape `{{ "{{ .x }}" }}` reaches ESO unrendered.
public enum HelmBraces {
    /// Objects only Helm provides to templates.
    public static let helmObjects: Set<String> = ["Values", "Release", "Chart", "Capabilities", "Files", "Template"]

    static let perEnvironmentHint =
        "for per-environment values use `environments[].keyPrefix` (joined in front of every remote key) or "
        + "`overrides.<environment>`"

    /// Errors for every scalar of the inventory root that carries Helm syntax (label and annotation values, which
    /// other tools template, are left alone).
    public static func check(_ root: YAMLNode, file: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        // The walk keeps each level's key and sequence indexes; the dotted path (`secrets[3].data[0].key`) is
        // spelt out only for a scalar that holds `{{` (an inventory has tens of thousands of scalars, rarely one).
        var levels: [(key: String, indexes: [Int])] = []
        func walk(_ node: YAMLNode) {
            switch node.kind {
            case .mapping(let pairs):
                for pair in pairs {
                    levels.append((pair.key.scalarValue ?? "?", []))
                    walk(pair.value)
                    levels.removeLast()
                }
            case .sequence(let items):
                guard !levels.isEmpty else { items.forEach(walk); return }
                for (i, item) in items.enumerated() {
                    levels[levels.count - 1].indexes.append(i)
                    walk(item)
                    levels[levels.count - 1].indexes.removeLast()
                }
            case .scalar(let text, _):
                guard text.utf8.count >= 4, hasDoubleBrace(text) else { return }
                report(text, node.start)
            }
        }
        func report(_ text: String, _ at: TextPosition) {
            let path = levels.map { $0.key + $0.indexes.map { "[\($0)]" }.joined() }
            let where_ = path.joined(separator: ".")
            if isESOTemplate(path) {
                if let (escape, inner) = helmEscape(text) {
                    out.append(
                        .error(
                            file, at,
                            "\(where_): `\(escape)` is Helm's escape for ESO templates, but eskit output is not "
                                + "rendered by Helm, so ESO would get the escape itself; write `\(inner)`"
                        ))
                }
                for object in TemplateReferences.keys(in: text) where helmObjects.contains(object) {
                    out.append(
                        .error(
                            file, at,
                            "\(where_): `.\(object)` is a Helm object, but ESO renders this template itself, without "
                                + "Helm's `.\(object)`; \(perEnvironmentHint)"
                        ))
                }
            } else if !path.contains(where: { $0.hasPrefix("labels") || $0.hasPrefix("annotations") }) {
                out.append(
                    .error(
                        file, at,
                        "\(where_): `\(expression(text))` is template syntax, which eskit does not render here (and "
                            + "Helm's `{{ }}` collides with ESO's own templates); \(perEnvironmentHint)"
                    ))
            }
        }
        walk(root)
        return out
    }

    /// `{{` anywhere in the text (bytes, not Foundation's `contains`, which bridges every string it searches).
    static func hasDoubleBrace(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x7B, previous == 0x7B { return true }
            previous = byte
        }
        return false
    }

    /// True for paths ESO renders as templates: `target.template` (and its overrides), `rewrite[].transform` and
    /// the `webhook` provider (its `url`, `body` and headers are templates over `.remoteRef`).
    static func isESOTemplate(_ path: [String]) -> Bool {
        for (i, part) in path.enumerated() where i > 0 {
            if part == "template", path[i - 1] == "target" { return true }
            if part == "transform", path[i - 1].hasPrefix("rewrite[") { return true }
            if part == "webhook", path[i - 1] == "provider" { return true }
        }
        return false
    }

    /// The first Helm escape (`{{ "{{ .x }}" }}` or {{`{{ .x }}`}}) of `text` and what it escapes, if any.
    static func helmEscape(_ text: String) -> (escape: String, inner: String)? {
        let b = Array(text.utf8)
        var i = 0
        while i + 1 < b.count {
            guard b[i] == UInt8(ascii: "{"), b[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
            var j = i + 2
            while j < b.count, b[j] == 0x20 || b[j] == UInt8(ascii: "-") { j += 1 }
            if j + 2 < b.count, b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "`"),
                b[j + 1] == UInt8(ascii: "{"), b[j + 2] == UInt8(ascii: "{")
            {
                var close = j + 1
                while close < b.count, b[close] != b[j] { close += 1 }
                var end = min(b.count, close + 1)
                while end + 1 < b.count, !(b[end] == UInt8(ascii: "}") && b[end + 1] == UInt8(ascii: "}")) { end += 1 }
                return (
                    String(decoding: b[i..<min(b.count, end + 2)], as: UTF8.self),
                    String(decoding: b[(j + 1)..<min(b.count, close)], as: UTF8.self)
                )
            }
            i += 2
        }
        return nil
    }

    /// The first `{{ ... }}` of `text`.
    static func expression(_ text: String) -> String {
        guard let open = text.range(of: "{{") else { return text }
        guard let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) else {
            return String(text[open.lowerBound...])
        }
        return String(text[open.lowerBound..<close.upperBound])
    }
}
