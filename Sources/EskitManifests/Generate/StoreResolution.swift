public import EskitYAML

extension Inventory {
    /// The store `name` as environment `environment` sees it (its overrides merged), or nil when there is none.
    public func resolvedStore(_ name: String, environment: Environment) -> ResolvedStore? {
        guard let store = store(named: name) else { return nil }
        var node = store.node
        for o in store.overrides where o.environment == environment.name { node = node.merged(with: o.node) }
        let providerName = node["provider"]?.pairs?.first?.key.scalarValue ?? ""
        return ResolvedStore(
            name: name, kind: store.kind, node: node, providerName: providerName,
            serviceAccounts: Self.serviceAccountReferences(in: node["provider"]))
    }

    /// The environment named `name`, or the first one when `name` is nil.
    public func environment(_ name: String?) -> Environment? {
        guard let name else { return environments.first }
        return environment(named: name)
    }
}
