public import EskitCore
public import EskitYAML

/// A service account a store's auth refers to (`serviceAccountRef`, or `serviceAccount` of the kubernetes
/// provider). `namespace` is set only when the inventory names one.
public struct ServiceAccountReference: Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var position: TextPosition
}

/// A store as it is in one environment (overrides applied).
public struct ResolvedStore: Sendable {
    public var name: String
    public var kind: Inventory.StoreKind
    /// The merged store mapping (`provider`, `conditions`, ...).
    public var node: YAMLNode
    /// The single key of `provider` (`vault`, `aws`, ...).
    public var providerName: String
    public var serviceAccounts: [ServiceAccountReference]

    /// The provider family eskit knows for `providerName`, or nil for another ESO provider.
    public var family: (any ProviderFamily)? { ProviderFamilies.named(providerName) }
}

/// A secret as it is in one environment: overrides, defaults, namespace mapping and key prefix applied.
public struct ResolvedSecret: Sendable {
    public var name: String
    /// The namespace in this environment.
    public var namespace: String
    public var store: ResolvedStore
    public var storePosition: TextPosition
    /// Stores named by `sourceRef.storeRef` in `data` / `dataFrom` entries (emitted and checked like `store`).
    public var entryStores: [(store: ResolvedStore, position: TextPosition)]
    public var refreshInterval: Inventory.Value<String>
    public var refreshPolicy: Inventory.Value<String>?
    public var targetName: String
    public var creationPolicy: Inventory.Value<String>
    public var deletionPolicy: Inventory.Value<String>
    /// The merged `target` (without name and policies), if any.
    public var target: YAMLNode?
    public var data: [YAMLNode]
    public var dataFrom: [YAMLNode]
    public var syncWindows: YAMLNode?
    public var labels: [(String, String)]
    public var annotations: [(String, String)]
    public var position: TextPosition
}

/// Everything generated for one environment.
public struct EnvironmentPlan: Sendable {
    public var environment: Inventory.Environment
    public var secrets: [ResolvedSecret]
    /// Labels of each namespace as the inventory declares them (nil when undeclared).
    public var namespaceLabels: [String: [String: String]?]
}

extension Inventory {
    /// Resolves one environment. Problems that make a secret unusable are returned as errors.
    public func plan(_ environment: Environment) -> (EnvironmentPlan, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var resolvedStores: [String: ResolvedStore] = [:]
        func resolveStore(_ name: String) -> ResolvedStore? {
            if let s = resolvedStores[name] { return s }
            guard let store = store(named: name) else { return nil }
            var node = store.node
            for o in store.overrides where o.environment == environment.name { node = node.merged(with: o.node) }
            let providerName = node["provider"]?.pairs?.first?.key.scalarValue ?? ""
            let refs = Self.serviceAccountReferences(in: node["provider"])
            let resolved = ResolvedStore(
                name: name, kind: store.kind, node: node, providerName: providerName,
                serviceAccounts: refs)
            resolvedStores[name] = resolved
            return resolved
        }

        var secrets: [ResolvedSecret] = []
        var namespaceLabels: [String: [String: String]?] = [:]
        for entry in self.secrets where entry.environments?.contains(environment.name) ?? true {
            var node = entry.node
            for o in entry.overrides where o.environment == environment.name { node = node.merged(with: o.node) }
            let storeValue =
                node["store"].flatMap { n in n.scalarValue.map { Value(value: $0, position: n.start) } }
                ?? environment.store.map { Value(value: $0.value, position: entry.position) }
            guard let storeName = storeValue, let store = resolveStore(storeName.value) else {
                diagnostics.append(
                    .error(
                        file, entry.position,
                        "secret `\(entry.name)` has no store in environment `\(environment.name)`: set `store` on "
                            + "the secret or on the environment"
                    ))
                continue
            }
            let mapping = environment.namespaces[entry.namespace]
            let namespace = mapping?.name ?? entry.namespace
            namespaceLabels[namespace] = mapping?.labels
            func value(_ key: String, in n: YAMLNode?, default d: Value<String>?, fallback: String?) -> Value<String>? {
                if let v = n?[key], let s = v.scalarValue {
                    if case .int(let seconds)? = v.resolved { return Value(value: "\(seconds)s", position: v.start) }
                    return Value(value: s, position: v.start)
                }
                if let d { return d }
                return fallback.map { Value(value: $0, position: entry.position) }
            }
            let entryNameForMessage = entry.name
            var entryStores: [(store: ResolvedStore, position: TextPosition)] = []
            for entry in (node["data"]?.items ?? []) + (node["dataFrom"]?.items ?? []) {
                guard let ref = entry["sourceRef"]?["storeRef"], let nameNode = ref["name"],
                    let name = nameNode.scalarValue
                else { continue }
                guard let resolved = resolveStore(name) else {
                    diagnostics.append(
                        .error(
                            file, nameNode.start,
                            "secret `\(entryNameForMessage)`: sourceRef.storeRef names unknown store `\(name)`"
                                + Suggestion.hint(name, stores.map(\.name))))
                    continue
                }
                if let kind = ref["kind"]?.scalarValue, kind != resolved.kind.rawValue {
                    diagnostics.append(
                        .error(
                            file, ref["kind"]!.start,
                            "sourceRef.storeRef: store `\(name)` is a \(resolved.kind.rawValue), not a \(kind)"))
                }
                if !entryStores.contains(where: { $0.store.name == name }) {
                    entryStores.append((resolved, nameNode.start))
                }
            }
            func prefix(_ entry: YAMLNode) -> String? {
                let name = entry["sourceRef"]?["storeRef"]?["name"]?.scalarValue
                let entryStore = name.flatMap { n in entryStores.first { $0.store.name == n }?.store } ?? store
                return Self.keyPrefix(of: entryStore) ?? environment.keyPrefix
            }
            let target = node["target"]
            let rest = target?.removingKeys(["name", "creationPolicy", "deletionPolicy"])
            secrets.append(
                ResolvedSecret(
                    name: entry.name, namespace: namespace, store: store, storePosition: storeName.position,
                    entryStores: entryStores,
                    refreshInterval: value(
                        "refreshInterval", in: node, default: defaults.refreshInterval, fallback: "1h")!,
                    refreshPolicy: value("refreshPolicy", in: node, default: defaults.refreshPolicy, fallback: nil),
                    targetName: target?["name"]?.scalarValue ?? entry.name,
                    creationPolicy: value(
                        "creationPolicy", in: target, default: defaults.creationPolicy, fallback: "Owner")!,
                    deletionPolicy: value(
                        "deletionPolicy", in: target, default: defaults.deletionPolicy, fallback: "Retain")!,
                    target: rest?.pairs?.isEmpty == false ? rest : nil,
                    data: (node["data"]?.items ?? []).map { Self.prefixing($0, ["remoteRef", "key"], prefix($0)) },
                    dataFrom: (node["dataFrom"]?.items ?? []).map {
                        Self.prefixing(
                            Self.prefixing($0, ["extract", "key"], prefix($0)), ["find", "path"], prefix($0))
                    },
                    syncWindows: node["syncWindows"],
                    labels: Self.mergedPairs(defaults.labels, node["labels"]?.stringPairs ?? []),
                    annotations: Self.mergedPairs(defaults.annotations, node["annotations"]?.stringPairs ?? []),
                    position: entry.position))
        }
        return (
            EnvironmentPlan(environment: environment, secrets: secrets, namespaceLabels: namespaceLabels), diagnostics
        )
    }

    /// The store's own `keyPrefix` (overrides applied), which replaces the environment's for keys read through it.
    public static func keyPrefix(of store: ResolvedStore) -> String? {
        store.node["keyPrefix"]?.scalarValue
    }

    /// `prefix/key`, or `key` when it starts with `/` (absolute) or there is no prefix.
    public static func joinKey(_ prefix: String?, _ key: String) -> String {
        guard let prefix, !prefix.isEmpty, !key.hasPrefix("/") else { return key }
        if prefix.hasSuffix("/") { return prefix + key }
        return prefix + "/" + key
    }

    static func prefixing(_ node: YAMLNode, _ path: [String], _ prefix: String?) -> YAMLNode {
        guard let prefix, !prefix.isEmpty, let first = path.first, var pairs = node.pairs,
            let i = pairs.firstIndex(where: { $0.key.scalarValue == first })
        else { return node }
        if path.count == 1 {
            guard let key = pairs[i].value.scalarValue else { return node }
            var value = ManifestEmitter.string(joinKey(prefix, key))
            value.span = pairs[i].value.span
            pairs[i].value = value
        } else {
            pairs[i].value = prefixing(pairs[i].value, Array(path.dropFirst()), prefix)
        }
        var copy = node
        copy.kind = .mapping(pairs)
        return copy
    }

    static func mergedPairs(_ base: [(String, String)], _ over: [(String, String)]) -> [(String, String)] {
        var dict: [String: String] = [:]
        for (k, v) in base { dict[k] = v }
        for (k, v) in over { dict[k] = v }
        return dict.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func serviceAccountReferences(in provider: YAMLNode?) -> [ServiceAccountReference] {
        var refs: [ServiceAccountReference] = []
        func walk(_ node: YAMLNode) {
            switch node.kind {
            case .mapping(let pairs):
                for pair in pairs {
                    let key = pair.key.scalarValue ?? ""
                    if key == "serviceAccountRef" || key == "serviceAccount", let name = pair.value["name"]?.scalarValue
                    {
                        refs.append(
                            ServiceAccountReference(
                                name: name, namespace: pair.value["namespace"]?.scalarValue,
                                position: pair.value.start))
                    } else {
                        walk(pair.value)
                    }
                }
            case .sequence(let items): items.forEach(walk)
            case .scalar: break
            }
        }
        if let provider { walk(provider) }
        return refs
    }
}
