public import EskitYAML

/// Writes generated manifests through EskitYAML's deterministic emitter.
public enum ManifestEmitter {
    /// One document (no `---`), ending in a newline.
    public static func emit(_ node: YAMLNode) -> String {
        YAMLEmitter.emit(node)
    }

    /// `header` followed by one document, built in one byte buffer.
    public static func emit(_ node: YAMLNode, header: String) -> String {
        String(decoding: YAMLEmitter.emitUTF8([YAMLDocument(root: node)], prefix: header), as: UTF8.self)
    }

    /// A string node: the emitter writes it plain when no YAML 1.1 or 1.2 reader would take it for anything
    /// else, and quoted otherwise.
    public static func string(_ value: String) -> YAMLNode {
        .scalar(value, style: .doubleQuoted)
    }
}

extension YAMLNode {
    /// A copy without anchors and alias names (aliases stay expanded), so generated files never carry `&x`/`*x`.
    public var withoutAnchors: YAMLNode {
        var copy = self
        copy.anchor = nil
        copy.alias = nil
        switch kind {
        case .scalar: break
        case .mapping(let pairs):
            copy.kind = .mapping(pairs.map { YAMLPair(key: $0.key.withoutAnchors, value: $0.value.withoutAnchors) })
        case .sequence(let items):
            copy.kind = .sequence(items.map(\.withoutAnchors))
        }
        return copy
    }
}
