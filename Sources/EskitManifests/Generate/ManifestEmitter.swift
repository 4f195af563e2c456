public import EskitYAML

/// Writes generated manifests through EskitYAML's deterministic emitter (one document, no anchors).
public enum ManifestEmitter {
    /// One document (no `---`), ending in a newline. Anchors and aliases are expanded.
    public static func emit(_ node: YAMLNode) -> String {
        YAMLEmitter.emit(expanded(node))
    }

    /// A string node: the emitter writes it plain when no YAML 1.1 or 1.2 reader would take it for anything
    /// else, and quoted otherwise.
    public static func string(_ value: String) -> YAMLNode {
        .scalar(value, style: .doubleQuoted)
    }

    private static func expanded(_ node: YAMLNode) -> YAMLNode {
        var copy = node
        copy.anchor = nil
        copy.alias = nil
        switch node.kind {
        case .scalar: break
        case .mapping(let pairs):
            copy.kind = .mapping(pairs.map { YAMLPair(key: expanded($0.key), value: expanded($0.value)) })
        case .sequence(let items):
            copy.kind = .sequence(items.map(expanded))
        }
        return copy
    }
}
