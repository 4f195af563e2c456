public import EskitCore
public import EskitManifests
public import EskitProviders
import EskitYAML

/// The references of an inventory, per environment, as the generator would write them (overrides, defaults,
/// namespace mapping and key prefixes applied), each pointing at where it is written in the inventory.
public enum InventoryReferences {
    /// Every reference of the environments named in `only` (all when empty), in inventory order.
    public static func collect(_ inventory: Inventory, only: [String] = []) throws(DiagnosticsError) -> [Reference] {
        var diagnostics: [Diagnostic] = []
        for name in only where inventory.environment(named: name) == nil {
            let names = inventory.environments.map(\.name)
            diagnostics.append(
                .error(
                    inventory.file, inventory.environments.first?.position ?? .start,
                    "--env `\(name)`: the inventory has no such environment"
                        + Suggestion.hint(name, names)))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        var references: [Reference] = []
        for environment in inventory.environments where only.isEmpty || only.contains(environment.name) {
            let (plan, planDiagnostics) = inventory.plan(environment)
            diagnostics += planDiagnostics.filter(\.isError)
            for secret in plan.secrets {
                references += collect(secret, environment: environment.name, file: inventory.file)
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(Array(Set(diagnostics))) }
        return references
    }

    static func binding(_ store: ResolvedStore) -> StoreBinding {
        StoreBinding(
            name: store.name, kind: store.kind.rawValue, family: store.providerName,
            block: store.node["provider"]?[store.providerName] ?? .mapping([]))
    }

    static func collect(_ secret: ResolvedSecret, environment: String, file: String) -> [Reference] {
        var out: [Reference] = []
        let stores = Dictionary(secret.entryStores.map { ($0.store.name, $0.store) }, uniquingKeysWith: { a, _ in a })
        func store(of entry: YAMLNode) -> ResolvedStore {
            entry["sourceRef"]?["storeRef"]?["name"]?.scalarValue.flatMap { stores[$0] } ?? secret.store
        }
        let owner = "\(secret.namespace)/\(secret.name)"
        func add(_ kind: ReferenceKind, _ entry: YAMLNode, at node: YAMLNode, secretKey: String?) {
            out.append(
                Reference(
                    kind: kind, store: binding(store(of: entry)), environment: environment, owner: owner,
                    secretKey: secretKey, location: SourceLocation(file: file, position: node.start)))
        }
        for entry in secret.data {
            guard let remote = entry["remoteRef"], let keyNode = remote["key"], let key = keyNode.scalarValue,
                remote["metadataPolicy"]?.scalarValue != "Fetch"
            else { continue }
            add(
                .key(
                    RemoteKey(key, version: remote["version"]?.scalarValue),
                    property: remote["property"]?.scalarValue),
                entry, at: keyNode, secretKey: entry["secretKey"]?.scalarValue)
        }
        for entry in secret.dataFrom {
            if let extract = entry["extract"], let keyNode = extract["key"], let key = keyNode.scalarValue,
                extract["metadataPolicy"]?.scalarValue != "Fetch"
            {
                add(
                    .extract(RemoteKey(key, version: extract["version"]?.scalarValue)), entry, at: keyNode,
                    secretKey: nil)
            } else if let find = entry["find"] {
                let tags = Dictionary(
                    (find["tags"]?.pairs ?? []).compactMap { p in
                        p.key.scalarValue.flatMap { k in p.value.scalarValue.map { (k, $0) } }
                    }, uniquingKeysWith: { a, _ in a })
                add(
                    .find(
                        FindQuery(
                            path: find["path"]?.scalarValue, nameRegexp: find["name"]?["regexp"]?.scalarValue,
                            tags: tags)), entry, at: find, secretKey: nil)
            }
        }
        return out
    }
}
