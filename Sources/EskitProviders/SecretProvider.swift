public import EskitCore

/// Where a value lives in a provider: ESO's `remoteRef` after the store's prefix rules were applied.
public struct RemoteKey: Sendable, Hashable, CustomStringConvertible {
    /// The provider key (Vault path below the mount, AWS secret name or ARN, parameter name, Key Vault secret
    /// name, GCP secret id, ESC property path, file map key).
    public var key: String
    /// A version selector in the provider's own syntax (Vault `3`, AWS `uuid/<id>` or a staging label such as
    /// `AWSPREVIOUS`, Key Vault version id, GCP version number or `latest`). Nil means the current version.
    public var version: String?

    public init(_ key: String, version: String? = nil) {
        self.key = key
        self.version = version
    }

    public var description: String { version.map { "\(key)@\($0)" } ?? key }
}

/// A value read from a provider. The bytes are only reachable through `secret.revealedBytes`; every description
/// is masked, so a value that reaches a log or an error by mistake shows at most a 3-character preview.
public struct ProviderValue: Sendable {
    public var secret: RedactedSecret
    /// The version the provider returned (Vault version number, AWS VersionId, ...), when it says.
    public var version: String?

    public init(secret: RedactedSecret, version: String? = nil) {
        self.secret = secret
        self.version = version
    }

    /// The value's properties when it is a JSON object (ESO's `property` / `dataFrom.extract`); nil otherwise.
    /// Nested objects and arrays come back as their JSON text, strings unquoted, as ESO does.
    public func properties() -> [String: RedactedSecret]? { JSONProperties.decode(secret.revealedBytes) }
}

/// How `find` selects many keys (ESO `dataFrom[].find`).
public struct FindQuery: Sendable, Hashable {
    /// A key prefix (Vault path, AWS name prefix, SSM path).
    public var path: String?
    /// A regular expression over the key name.
    public var nameRegexp: String?
    /// Tags that must all match (AWS tags, Key Vault tags, GCP labels).
    public var tags: [String: String]

    public init(path: String? = nil, nameRegexp: String? = nil, tags: [String: String] = [:]) {
        self.path = path
        self.nameRegexp = nameRegexp
        self.tags = tags
    }
}

/// What `put` does when a value already exists.
public enum PutMode: Sendable, Hashable {
    /// Write only when the key does not exist; an equal existing value is left alone (`.unchanged`), a different
    /// one is refused with `ProviderError.conflict`.
    case createOnly
    /// Write unless the existing value is byte-equal (then `.unchanged`).
    case overwrite
}

/// The outcome of a `put`.
public enum PutResult: Sendable, Hashable {
    case created
    case updated
    /// The provider already held exactly this value: nothing was written.
    case unchanged
}

/// Distinct failures: each drives a different `validate` verdict or reconciler action. Messages name the
/// provider call and the key, never a value.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key (or the named version) does not exist.
    case notFound(key: String, detail: String)
    /// A version that exists but was soft-deleted (Vault KV v2 `delete`, AWS scheduled deletion).
    case deleted(key: String, detail: String)
    /// A version that was destroyed for good (Vault KV v2 `destroy`).
    case destroyed(key: String, detail: String)
    /// The credentials are valid but may not read or write this key.
    case permissionDenied(key: String, detail: String)
    /// Logging in failed, or the credentials were refused.
    case authFailed(detail: String)
    /// The provider could not be reached, timed out, or kept failing after retries.
    case unreachable(detail: String)
    /// `put` with `.createOnly` found a different existing value.
    case conflict(key: String, detail: String)
    /// The store or request is not usable as configured (bad URL, missing field, unsupported feature).
    case invalidConfiguration(detail: String)
    /// The provider answered with something this client cannot read.
    case protocolError(detail: String)

    public var description: String {
        switch self {
        case .notFound(let key, let detail): "`\(key)` not found: \(detail)"
        case .deleted(let key, let detail): "`\(key)` was deleted: \(detail)"
        case .destroyed(let key, let detail): "`\(key)` was destroyed: \(detail)"
        case .permissionDenied(let key, let detail): "permission denied on `\(key)`: \(detail)"
        case .authFailed(let detail): "authentication failed: \(detail)"
        case .unreachable(let detail): "provider unreachable: \(detail)"
        case .conflict(let key, let detail): "`\(key)` already holds a different value: \(detail)"
        case .invalidConfiguration(let detail): "invalid provider configuration: \(detail)"
        case .protocolError(let detail): "unexpected provider response: \(detail)"
        }
    }
}

/// One client of one store. Implementations are cheap to share between tasks and keep at most the store's
/// concurrency limit of requests in flight.
public protocol SecretProvider: Sendable {
    /// The provider family name as in a store's `spec.provider` (`vault`, `aws`, ...).
    var family: String { get }

    /// Checks that the store can authenticate (and, where the provider can say, read `keys`). Throws
    /// `.authFailed` / `.unreachable` / `.permissionDenied`.
    func checkAccess(keys: [RemoteKey]) async throws(ProviderError)

    /// The value at `ref` (its `version` when set).
    func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue

    /// Many values at once; providers with batch calls use them (AWS: 20 per call). Each key gets its own
    /// result, so one missing key does not fail the rest.
    func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>]

    /// The names of the keys matching `query` (ESO `find`), sorted.
    func find(_ query: FindQuery) async throws(ProviderError) -> [String]

    /// Compare-before-write: reads the current value first and writes only when it differs.
    func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult

    /// Deletes the key (all versions where the provider distinguishes). A missing key is not an error.
    func delete(_ key: String) async throws(ProviderError)

    /// API calls made so far, by call name (`GetSecretValue`, `kv-read`, ...), for summaries and benches.
    var callCounts: [String: Int] { get async }
}

extension SecretProvider {
    /// `get` as a `Result`. Kept out of `getEach`'s task-group closure: with a `do throws(ProviderError)` in that
    /// closure, release builds (Swift 6.3, -O) crashed copying the child task's result.
    func result(_ ref: RemoteKey) async -> Result<ProviderValue, ProviderError> {
        await capture { () async throws(ProviderError) in try await get(ref) }
    }

    /// Default: one `get` per key, at most `limit` in flight.
    public func getEach(_ refs: [RemoteKey], limit: Int = 8) async -> [RemoteKey: Result<ProviderValue, ProviderError>]
    {
        var results: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        let unique = Array(Set(refs))
        await withTaskGroup(of: (RemoteKey, Result<ProviderValue, ProviderError>).self) { group in
            var next = 0
            func add() {
                guard next < unique.count else { return }
                let ref = unique[next]
                next += 1
                group.addTask { (ref, await self.result(ref)) }
            }
            for _ in 0..<min(max(1, limit), unique.count) { add() }
            while let (ref, result) = await group.next() {
                results[ref] = result
                add()
            }
        }
        return results
    }
}

/// `body`'s outcome as a `Result`. Escaping closures (task-group children, single-flight `Task`s) call this instead of
/// holding a `do throws(ProviderError)` themselves, which release builds (Swift 6.3, -O) miscompiled.
func capture<T>(_ body: () async throws(ProviderError) -> T) async -> Result<T, ProviderError> {
    do throws(ProviderError) { return .success(try await body()) } catch { return .failure(error) }
}
