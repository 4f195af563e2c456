public import EskitCore
import Foundation

/// How eskit logs in to Vault / OpenBao. Credential values come from the caller (environment, a credentials file
/// or a service-account token file), never from the repository.
public enum VaultAuth: Sendable {
    case token(String)
    case appRole(mount: String, roleID: String, secretID: String)
    /// Kubernetes auth: the role and a service-account token (`--sa-token`).
    case kubernetes(mount: String, role: String, jwt: String)
    /// JWT / OIDC auth with a token the role accepts.
    case jwt(mount: String, role: String?, jwt: String)
}

/// A Vault or OpenBao KV store, as a SecretStore's `vault` block describes it.
public struct VaultConfig: Sendable {
    /// `https://vault.example.com:8200`.
    public var server: String
    /// The KV mount (`secret`).
    public var mount: String
    /// `v1` or `v2`.
    public var kvVersion: String
    /// Vault Enterprise / HCP Vault Dedicated / OpenBao namespace (`X-Vault-Namespace`).
    public var namespace: String?
    public var auth: VaultAuth

    public init(server: String, mount: String, kvVersion: String = "v2", namespace: String? = nil, auth: VaultAuth) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.mount = mount.split(separator: "/").joined(separator: "/")
        self.kvVersion = kvVersion
        self.namespace = namespace
        self.auth = auth
    }
}

/// Reads (and, for migrate, writes) KV v1 / v2 secrets the way ESO's vault provider does: a secret's value is its
/// data map as JSON; `property` picks a key of it; `version` reads a KV v2 version. Soft-deleted and destroyed
/// versions are told apart from missing keys (KV v2 answers 404 with the version's metadata for both).
public actor VaultProvider: SecretProvider, TransportReporting {
    public nonisolated let family = "vault"
    let config: VaultConfig
    let transport: any HTTPTransport
    private var token: String?
    /// When the login token must be renewed (long runs); nil for a static token.
    private var renewAt: Date?

    public init(config: VaultConfig, transport: any HTTPTransport) {
        self.config = config
        self.transport = transport
        if case .token(let t) = config.auth { token = t }
    }

    public var callCounts: [String: Int] { get async { await transport.callCounts() } }

    public func peakConcurrency() async -> Int {
        await (transport as? HTTPClientTransport)?.peakConcurrency() ?? 0
    }

    // MARK: HTTP

    struct Response {
        var status: Int
        var json: [String: Any]?
    }

    func send(
        _ method: String, _ path: String, body: [String: Any]? = nil, call: String,
        authenticated: Bool = true
    ) async throws(ProviderError) -> Response {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if authenticated { headers.append(("X-Vault-Token", try await currentToken())) }
        if let namespace = config.namespace { headers.append(("X-Vault-Namespace", namespace)) }
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
        }
        let response = try await transport.send(
            HTTPRequest(
                method, config.server + "/v1/" + path, headers: headers,
                body: bytes, call: call))
        let json =
            response.body.isEmpty
            ? nil : (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        return Response(status: response.status, json: json)
    }

    /// Vault's own error strings (`permission denied`, `1 error occurred: ...`): never hold a secret value.
    static func errors(_ json: [String: Any]?) -> String {
        let list = (json?["errors"] as? [String]) ?? []
        return list.isEmpty ? "no detail" : list.joined(separator: "; ")
    }

    // MARK: Auth

    func currentToken() async throws(ProviderError) -> String {
        if let token, renewAt.map({ Date() < $0 }) ?? true { return token }
        if token != nil, renewAt != nil, await renew() { return token! }
        return try await login()
    }

    /// `auth/token/renew-self`; false when the token can no longer be renewed (then eskit logs in again).
    func renew() async -> Bool {
        guard let response = try? await send("POST", "auth/token/renew-self", body: [:], call: "renew-self"),
            response.status == 200
        else { return false }
        schedule(response.json)
        return true
    }

    func schedule(_ json: [String: Any]?) {
        guard let auth = json?["auth"] as? [String: Any], let lease = auth["lease_duration"] as? Int, lease > 0 else {
            renewAt = nil
            return
        }
        // Renew at two thirds of the lease, as Vault agents do.
        renewAt = Date().addingTimeInterval(Double(lease) * 2 / 3)
    }

    func login() async throws(ProviderError) -> String {
        let (mount, body): (String, [String: Any])
        switch config.auth {
        case .token(let t):
            return t
        case .appRole(let m, let roleID, let secretID): (mount, body) = (m, ["role_id": roleID, "secret_id": secretID])
        case .kubernetes(let m, let role, let jwt): (mount, body) = (m, ["role": role, "jwt": jwt])
        case .jwt(let m, let role, let jwt):
            var b: [String: Any] = ["jwt": jwt]
            if let role { b["role"] = role }
            (mount, body) = (m, b)
        }
        let response = try await send("POST", "auth/\(mount)/login", body: body, call: "login", authenticated: false)
        guard response.status == 200, let auth = response.json?["auth"] as? [String: Any],
            let clientToken = auth["client_token"] as? String
        else {
            throw .authFailed(
                detail: "POST auth/\(mount)/login: HTTP \(response.status) (\(Self.errors(response.json)))")
        }
        token = clientToken
        schedule(response.json)
        return clientToken
    }

    /// 403 means a bad token or a policy that denies the path: `lookup-self` tells which.
    func forbidden(_ key: String, _ call: String, _ json: [String: Any]?) async -> ProviderError {
        if let lookup = try? await send("GET", "auth/token/lookup-self", call: "lookup-self"), lookup.status == 200 {
            return .permissionDenied(key: key, detail: "\(call): \(Self.errors(json))")
        }
        return .authFailed(detail: "\(call): the token was refused (\(Self.errors(json)))")
    }

    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {
        let lookup = try await send("GET", "auth/token/lookup-self", call: "lookup-self")
        if lookup.status == 403 || lookup.status == 401 {
            throw .authFailed(detail: "auth/token/lookup-self: HTTP \(lookup.status) (\(Self.errors(lookup.json)))")
        }
        guard !keys.isEmpty else { return }
        let paths = Array(Set(keys.map { dataPath($0.key) })).sorted()
        let response = try await send(
            "POST", "sys/capabilities-self", body: ["paths": paths],
            call: "capabilities-self")
        guard response.status == 200, let json = response.json else { return }
        let data = (json["data"] as? [String: Any]) ?? json
        for path in paths {
            let capabilities = (data[path] as? [String]) ?? []
            if capabilities.contains("deny") || !(capabilities.contains("read") || capabilities.contains("root")) {
                throw .permissionDenied(
                    key: path, detail: "sys/capabilities-self: \(capabilities.joined(separator: ", "))")
            }
        }
    }

    // MARK: KV

    var isV2: Bool { config.kvVersion != "v1" }

    /// The API path of a key (below `/v1/`): `<mount>/data/<key>` for KV v2, `<mount>/<key>` for v1. A key that
    /// repeats the mount (`secret/app`) is read without it, as ESO does.
    func dataPath(_ key: String) -> String {
        var key = key.hasPrefix("/") ? String(key.dropFirst()) : key
        if key.hasPrefix(config.mount + "/") { key = String(key.dropFirst(config.mount.count + 1)) }
        return isV2 ? "\(config.mount)/data/\(key)" : "\(config.mount)/\(key)"
    }

    func metadataPath(_ key: String) -> String {
        dataPath(key).replacingOccurrences(of: "\(config.mount)/data/", with: "\(config.mount)/metadata/")
    }

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        var path = dataPath(ref.key)
        if let version = ref.version {
            guard isV2 else { throw .invalidConfiguration(detail: "KV v1 has no versions (`\(ref.key)`)") }
            guard Int(version) != nil else {
                throw .notFound(key: ref.description, detail: "Vault versions are numbers")
            }
            path += "?version=\(version)"
        }
        let response = try await send("GET", path, call: "kv-read")
        switch response.status {
        case 200:
            let outer = response.json?["data"] as? [String: Any]
            let data = isV2 ? outer?["data"] as? [String: Any] : outer
            guard let data else {
                throw .deleted(key: ref.description, detail: "the version has no data (deleted)")
            }
            let bytes =
                (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            let version = ((outer?["metadata"] as? [String: Any])?["version"] as? Int).map(String.init)
            return ProviderValue(secret: RedactedSecret(Array(bytes)), version: version)
        case 404:
            // KV v2 answers 404 with the version's metadata when it was deleted or destroyed.
            if let metadata = (response.json?["data"] as? [String: Any])?["metadata"] as? [String: Any] {
                if metadata["destroyed"] as? Bool == true {
                    throw .destroyed(key: ref.description, detail: "GET \(path): the version was destroyed")
                }
                if let deletion = metadata["deletion_time"] as? String, !deletion.isEmpty {
                    throw .deleted(key: ref.description, detail: "GET \(path): deleted at \(deletion)")
                }
            }
            throw .notFound(key: ref.description, detail: "GET \(path): HTTP 404")
        case 403:
            throw await forbidden(ref.description, "GET \(path)", response.json)
        case 401:
            throw .authFailed(detail: "GET \(path): HTTP 401")
        default:
            throw .protocolError(detail: "GET \(path): HTTP \(response.status) (\(Self.errors(response.json)))")
        }
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        await getEach(refs, limit: 64)
    }

    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        if !query.tags.isEmpty {
            throw .invalidConfiguration(detail: "Vault KV has no tags to find by (use path or name.regexp)")
        }
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        var out: [String] = []
        var pending = [query.path.map { $0.hasSuffix("/") || $0.isEmpty ? $0 : $0 + "/" } ?? ""]
        var listed = 0
        while let prefix = pending.popLast() {
            listed += 1
            if listed > 10_000 { throw .protocolError(detail: "LIST: more than 10,000 folders under the path") }
            let base = isV2 ? "\(config.mount)/metadata/\(prefix)" : "\(config.mount)/\(prefix)"
            let response = try await send("GET", base + "?list=true", call: "kv-list")
            if response.status == 404 { continue }
            if response.status == 403 { throw await forbidden(prefix, "LIST \(base)", response.json) }
            guard response.status == 200 else {
                throw .protocolError(detail: "LIST \(base): HTTP \(response.status)")
            }
            let keys = ((response.json?["data"] as? [String: Any])?["keys"] as? [String]) ?? []
            for key in keys {
                if key.hasSuffix("/") { pending.append(prefix + key) } else { out.append(prefix + key) }
            }
        }
        if let regex { out = out.filter { $0.contains(regex) } }
        return out.sorted()
    }

    /// Writes `value` (KV v2 with check-and-set on the version read). A key whose current version was deleted or
    /// destroyed holds no readable value: writing it is `.created`, with the metadata's `current_version` as cas.
    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        // A JSON object is written as the secret's data map; anything else as {"value": ...}.
        let data: [String: Any]
        if let object = (try? JSONSerialization.jsonObject(with: Data(value.revealedBytes))) as? [String: Any] {
            data = object
        } else {
            data = ["value": value.revealed]
        }
        var current: ProviderValue?
        // The check-and-set version: the current version's number, also when that version was soft-deleted or
        // destroyed (KV v2 refuses `cas: 0` then); 0 only for a key that has no metadata at all.
        var cas = 0
        do {
            current = try await get(RemoteKey(key))
            cas = Int(current?.version ?? "0") ?? 0
        } catch {
            switch error {
            case .notFound: current = nil
            case .deleted, .destroyed:
                current = nil
                if isV2 { cas = try await currentVersion(key) }
            default: throw error
            }
        }
        let wanted =
            (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map(Array.init) ?? []
        if let current {
            if current.secret.revealedBytes == wanted { return .unchanged }
            if mode == .createOnly {
                throw .conflict(key: key, detail: "a different value is stored (use --overwrite to replace it)")
            }
        }
        var body: [String: Any] = ["data": data]
        if isV2 { body["options"] = ["cas": cas] }
        let path = dataPath(key)
        let response = try await send("POST", path, body: isV2 ? body : data, call: "kv-write")
        switch response.status {
        case 200, 204: return current == nil ? .created : .updated
        case 400 where Self.errors(response.json).contains("check-and-set"):
            throw .conflict(key: key, detail: "the secret changed while eskit wrote it (check-and-set)")
        case 403: throw await forbidden(key, "POST \(path)", response.json)
        default: throw .protocolError(detail: "POST \(path): HTTP \(response.status) (\(Self.errors(response.json)))")
        }
    }

    /// `current_version` from `<mount>/metadata/<key>`: the version a check-and-set write must name when the
    /// current version was deleted or destroyed (0 when the key has no metadata).
    func currentVersion(_ key: String) async throws(ProviderError) -> Int {
        let path = metadataPath(key)
        let response = try await send("GET", path, call: "kv-metadata")
        switch response.status {
        case 200:
            guard let version = (response.json?["data"] as? [String: Any])?["current_version"] as? Int else {
                throw .protocolError(detail: "GET \(path): no current_version")
            }
            return version
        case 404: return 0
        case 403: throw await forbidden(key, "GET \(path)", response.json)
        default: throw .protocolError(detail: "GET \(path): HTTP \(response.status) (\(Self.errors(response.json)))")
        }
    }

    public func delete(_ key: String) async throws(ProviderError) {
        let path = isV2 ? metadataPath(key) : dataPath(key)
        let response = try await send("DELETE", path, call: "kv-delete")
        switch response.status {
        case 200, 204, 404: return
        case 403: throw await forbidden(key, "DELETE \(path)", response.json)
        default: throw .protocolError(detail: "DELETE \(path): HTTP \(response.status)")
        }
    }
}
