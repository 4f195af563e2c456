public import EskitCore
public import EskitYAML

/// A loaded, schema-checked `eskit.yaml`. ESO-shaped blocks stay YAML nodes (with their source spans) so they
/// pass through to the generated manifests unchanged and errors can point into the inventory.
public struct Inventory: Sendable {
    /// The inventory path as given (used in messages).
    public var file: String
    public var defaults: Defaults
    public var controller: Controller
    public var environments: [Environment]
    public var stores: [Store]
    public var secrets: [SecretEntry]

    public struct Defaults: Sendable {
        public var refreshInterval: Value<String>?
        public var refreshPolicy: Value<String>?
        public var creationPolicy: Value<String>?
        public var deletionPolicy: Value<String>?
        public var labels: [(String, String)] = []
        public var annotations: [(String, String)] = []
    }

    public struct Controller: Sendable {
        public var namespace = "external-secrets"
        public var serviceAccount = "external-secrets"
    }

    public struct Environment: Sendable {
        public var name: String
        public var store: Value<String>?
        public var keyPrefix: String?
        /// Relative to the inventory's folder.
        public var output: String
        public var namespaces: [String: NamespaceMapping]
        public var position: TextPosition
    }

    public struct NamespaceMapping: Sendable {
        public var name: String?
        public var labels: [String: String]?
    }

    public enum StoreKind: String, Sendable {
        case secretStore = "SecretStore"
        case clusterSecretStore = "ClusterSecretStore"
    }

    public struct Store: Sendable {
        public var name: String
        public var kind: StoreKind
        /// The store mapping without `overrides`.
        public var node: YAMLNode
        public var overrides: [(environment: String, node: YAMLNode, keyPosition: TextPosition)]
        public var position: TextPosition
    }

    public struct SecretEntry: Sendable {
        public var name: String
        public var namespace: String
        /// Nil means every environment.
        public var environments: [String]?
        /// The secret mapping without `name`, `namespace`, `environments` and `overrides`.
        public var node: YAMLNode
        public var overrides: [(environment: String, node: YAMLNode, keyPosition: TextPosition)]
        public var position: TextPosition
    }

    /// A value and where it was written.
    public struct Value<T: Sendable>: Sendable {
        public var value: T
        public var position: TextPosition
    }

    public func environment(named name: String) -> Environment? { environments.first { $0.name == name } }
    public func store(named name: String) -> Store? { stores.first { $0.name == name } }
}

extension YAMLNode {
    /// Mapping-level deep merge: keys of `override` replace those of `self`; when both values are mappings they
    /// merge recursively. Sequences and scalars are replaced whole. New keys are appended in `override`'s order.
    public func merged(with override: YAMLNode) -> YAMLNode {
        guard let basePairs = pairs, let overridePairs = override.pairs else { return override }
        var result = basePairs
        for pair in overridePairs {
            if let i = result.firstIndex(where: { $0.key.scalarValue == pair.key.scalarValue }) {
                result[i].value = result[i].value.merged(with: pair.value)
            } else {
                result.append(pair)
            }
        }
        var node = self
        node.kind = .mapping(result)
        return node
    }

    /// A copy of this mapping without the given keys.
    func removingKeys(_ keys: Set<String>) -> YAMLNode {
        guard let pairs else { return self }
        var node = self
        node.kind = .mapping(pairs.filter { !keys.contains($0.key.scalarValue ?? "") })
        return node
    }

    /// The pairs of a mapping of strings, in source order.
    var stringPairs: [(String, String)] {
        (pairs ?? []).compactMap { p in p.key.scalarValue.flatMap { k in p.value.scalarValue.map { (k, $0) } } }
    }
}
