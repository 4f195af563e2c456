public import EskitCore
public import EskitYAML

/// ESO's `fake` provider: values written in the store itself (tests and demos).
public struct FakeFamily: ProviderFamily {
    public init() {}
    public let name = "fake"
    public let summary = "ESO's fake provider: values listed in the store (tests and demos only)."
    public let keySyntax = "a `key` of the store's `data[]` entries"
    public let authKinds: [AuthKind] = []
    public let validateChecks = ["key exists in the store's `data[]` (offline)"]
    public let holdsValues = true

    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] {
        let keys = (store.node["provider"]?[name]?["data"]?.items ?? []).compactMap { $0["key"]?.scalarValue }
        if keys.contains(key) { return [] }
        return [
            .error(
                file, keyNode.start,
                "\(who): remote key `\(key)` is not in the data of fake store `\(store.name)`"
                    + Suggestion.hint(key, keys))
        ]
    }
}
