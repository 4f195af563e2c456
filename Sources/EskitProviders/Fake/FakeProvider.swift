public import EskitCore
public import EskitYAML

/// ESO's `fake` provider: the values are written in the store itself (`data: [{key, value, version}]`), for tests
/// and demos. Read-only here: `put` and `delete` say so.
public actor FakeProvider: SecretProvider {
    public nonisolated let family = "fake"
    /// Values by key, then by version (`""` when the entry names none).
    private let values: [String: [String: RedactedSecret]]
    private var calls: [String: Int] = [:]

    /// The store's `spec.provider.fake` block. Errors name the entry, never a value.
    public init(block: YAMLNode) throws(ProviderError) {
        var values: [String: [String: RedactedSecret]] = [:]
        for (i, entry) in (block["data"]?.items ?? []).enumerated() {
            guard let key = entry["key"]?.scalarValue else {
                throw .invalidConfiguration(detail: "fake data[\(i)] has no `key`")
            }
            let value = entry["value"]?.scalarValue ?? entry["valueMap"].map(Self.json) ?? ""
            values[key, default: [:]][entry["version"]?.scalarValue ?? ""] = RedactedSecret(value)
        }
        self.values = values
    }

    /// A `valueMap` (deprecated in ESO) as the JSON object ESO returns for it.
    static func json(_ node: YAMLNode) -> String {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        for pair in node.pairs ?? [] {
            if let key = pair.key.scalarValue { writer.field(key, pair.value.scalarValue ?? "") }
        }
        writer.endObject()
        return writer.output.trimmingCharacters(in: .newlines)
    }

    public var callCounts: [String: Int] { calls }

    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {}

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        calls["get", default: 0] += 1
        guard let versions = values[ref.key] else {
            throw .notFound(key: ref.key, detail: "not in the fake store's data")
        }
        guard let value = versions[ref.version ?? ""] ?? (ref.version == nil ? versions.values.first : nil) else {
            throw .notFound(key: ref.description, detail: "no entry with this version in the fake store's data")
        }
        return ProviderValue(secret: value, version: ref.version)
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        var out: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        for ref in Set(refs) {
            do { out[ref] = .success(try await get(ref)) } catch { out[ref] = .failure(error) }
        }
        return out
    }

    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        calls["find", default: 0] += 1
        if !query.tags.isEmpty { throw .invalidConfiguration(detail: "the fake provider has no tags") }
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        return values.keys.filter { key in
            (query.path.map { key.hasPrefix($0) } ?? true) && (regex.map { key.contains($0) } ?? true)
        }.sorted()
    }

    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        throw .invalidConfiguration(detail: "the fake provider is read-only: its values live in the store manifest")
    }

    public func delete(_ key: String) async throws(ProviderError) {
        throw .invalidConfiguration(detail: "the fake provider is read-only: its values live in the store manifest")
    }
}

/// Clients of `fake` stores.
struct FakeClientFactory: ProviderClientFactory {
    let family = "fake"

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        try FakeProvider(block: store.block)
    }
}
