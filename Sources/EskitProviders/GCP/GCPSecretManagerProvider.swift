public import EskitCore
import Foundation

/// How eskit gets a Secret Manager access token. Values come from the caller (environment, flags, a local key
/// file), never from the repository.
public enum GCPCredentials: Sendable {
    /// A service-account key: an RS256 JWT signed with it is exchanged at its `token_uri` (ESO `auth.secretRef`).
    case serviceAccountKey(GCPServiceAccountKey)
    /// An OAuth access token obtained elsewhere (`gcloud auth print-access-token`, a workload identity sidecar).
    case accessToken(String)
    /// A file holding an access token, read again whenever a token is needed (a workload identity / metadata
    /// agent that refreshes the file).
    case accessTokenFile(String)
    /// Workload identity federation: a federated token exchanged at Google's STS (and optionally for a service
    /// account's token), as an `external_account` credential configuration describes it.
    case workloadIdentityFederation(GCPWorkloadIdentityFederation)

    /// `GOOGLE_OAUTH_ACCESS_TOKEN` (the variable gcloud and Terraform read), else the file named by
    /// `GOOGLE_APPLICATION_CREDENTIALS`: a service-account key or an `external_account` (workload identity
    /// federation) configuration. Nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String]) throws(ProviderError) -> GCPCredentials? {
        if let token = environment["GOOGLE_OAUTH_ACCESS_TOKEN"], !token.isEmpty { return .accessToken(token) }
        guard let file = environment["GOOGLE_APPLICATION_CREDENTIALS"], !file.isEmpty else { return nil }
        do {
            let bytes = try FileReader.input(file, what: "the GCP credentials", limit: 1 << 20)
            if CloudSupport.json(bytes)?["type"] as? String == "external_account" {
                return .workloadIdentityFederation(try GCPWorkloadIdentityFederation(json: bytes))
            }
            return .serviceAccountKey(try GCPServiceAccountKey(json: bytes))
        } catch let error as EskitError {
            throw .invalidConfiguration(detail: error.message)
        } catch let error as ProviderError {
            throw error
        } catch {
            throw .invalidConfiguration(detail: "\(file): unreadable")
        }
    }
}

/// A Secret Manager store, as a SecretStore's `gcpsm` block describes it.
public struct GCPSecretManagerConfig: Sendable {
    /// ESO `projectID`.
    public var projectID: String
    /// ESO `location`: regional secrets (`projects/p/locations/l/secrets/s`, served by the regional endpoint).
    public var location: String?
    /// The API base URL: `https://secretmanager.googleapis.com`, or
    /// `https://secretmanager.<location>.rep.googleapis.com` for regional secrets; overridable (tests, proxies).
    public var endpoint: String

    public init(projectID: String, location: String? = nil, endpoint: String? = nil) {
        self.projectID = projectID
        self.location = location.flatMap { $0.isEmpty ? nil : $0 }
        let base =
            endpoint
            ?? self.location.map { "https://secretmanager.\($0).rep.googleapis.com" }
            ?? "https://secretmanager.googleapis.com"
        self.endpoint = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// `projects/<p>` or `projects/<p>/locations/<l>`.
    public var parent: String {
        "projects/\(CloudSupport.escape(projectID))" + (location.map { "/locations/\(CloudSupport.escape($0))" } ?? "")
    }
}

/// Reads, lists and writes Secret Manager secrets the way ESO's `gcpsm` provider reads them: `remoteRef.key` is
/// the secret id, `version` a version number or alias (`latest` when unset). `payload.data` is base64 and checked
/// against `payload.dataCrc32c` when present. A destroyed version is `.destroyed`, a disabled one `.deleted` (both
/// `FAILED_PRECONDITION`); a missing secret or version `.notFound`. `put` adds a version only when the latest one
/// differs (Secret Manager has no check-and-set on `addVersion`).
public actor GCPSecretManagerProvider: SecretProvider, TransportReporting {
    public nonisolated let family = "gcpsm"
    let config: GCPSecretManagerConfig
    let credentials: GCPCredentials
    let transport: any HTTPTransport
    private let tokens = TokenCache()

    public init(config: GCPSecretManagerConfig, credentials: GCPCredentials, transport: any HTTPTransport) {
        self.config = config
        self.credentials = credentials
        self.transport = transport
    }

    public var callCounts: [String: Int] { get async { await transport.callCounts() } }

    public func peakConcurrency() async -> Int {
        await (transport as? HTTPClientTransport)?.peakConcurrency() ?? 0
    }

    /// Token requests made so far (one per expiry, whatever the number of concurrent reads).
    public var tokenRequests: Int { get async { await tokens.fetches } }

    // MARK: Auth

    func accessToken() async throws(ProviderError) -> String {
        switch credentials {
        case .accessToken(let token):
            return token
        case .accessTokenFile(let file):
            do {
                let bytes = try FileReader.input(file, what: "the GCP access token", limit: 1 << 20)
                return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw .invalidConfiguration(detail: error.message)
            }
        case .serviceAccountKey(let key):
            let transport = transport
            return try await tokens.token { () async throws(ProviderError) -> CachedToken in
                try await GoogleJWT.requestToken(key, transport: transport)
            }
        case .workloadIdentityFederation(let federation):
            let transport = transport
            return try await tokens.token { () async throws(ProviderError) -> CachedToken in
                try await federation.requestToken(transport: transport)
            }
        }
    }

    // MARK: HTTP

    struct Response {
        var status: Int
        var json: [String: Any]?
    }

    /// One API call with the bearer token; a 401 drops a cached token and tries once more with a new one.
    func send(_ method: String, _ url: String, body: Any? = nil, call: String) async throws(ProviderError) -> Response {
        var attempt = 0
        while true {
            var headers = [("Authorization", "Bearer " + (try await accessToken())), ("Accept", "application/json")]
            var bytes: [UInt8] = []
            if let body {
                headers.append(("Content-Type", "application/json"))
                bytes = CloudSupport.encode(body)
            }
            let response = try await transport.send(HTTPRequest(method, url, headers: headers, body: bytes, call: call))
            if response.status == 401, attempt == 0, refreshes {
                await tokens.invalidate()
                attempt += 1
                continue
            }
            return Response(status: response.status, json: CloudSupport.json(response.body))
        }
    }

    /// Whether a refused token can be replaced by fetching a new one.
    var refreshes: Bool {
        switch credentials {
        case .serviceAccountKey, .workloadIdentityFederation: true
        case .accessToken, .accessTokenFile: false
        }
    }

    /// Google's error status and message (`NOT_FOUND: Secret [projects/1/secrets/x] not found or has no
    /// versions.`): they name the resource, never its payload.
    static func error(_ json: [String: Any]?) -> (status: String, text: String) {
        let error = json?["error"] as? [String: Any]
        let status = (error?["status"] as? String) ?? "no status"
        var text = status
        if let message = error?["message"] as? String {
            text += ": " + (message.count > 200 ? String(message.prefix(200)) + "…" : message)
        }
        return (status, text)
    }

    func failure(_ key: String, _ what: String, _ response: Response) -> ProviderError {
        let (status, text) = Self.error(response.json)
        switch response.status {
        case 404:
            return .notFound(key: key, detail: "\(what): \(text)")
        case 400 where status == "FAILED_PRECONDITION" && text.contains("DESTROYED state"):
            return .destroyed(key: key, detail: "\(what): \(text)")
        case 400 where status == "FAILED_PRECONDITION" && text.contains("DISABLED state"):
            return .deleted(key: key, detail: "\(what): the version is disabled (\(text))")
        case 403:
            return .permissionDenied(key: key, detail: "\(what): \(text)")
        case 401:
            return .authFailed(detail: "\(what): the token was refused (\(text))")
        case 409:
            return .conflict(key: key, detail: "\(what): \(text)")
        default:
            return .protocolError(detail: "\(what): HTTP \(response.status) (\(text))")
        }
    }

    // MARK: Names

    /// A secret id is 1–255 letters, digits, `_` and `-`; anything else cannot exist.
    func secretID(_ key: String) throws(ProviderError) -> String {
        let valid =
            !key.isEmpty && key.count <= 255
            && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard valid else {
            throw .notFound(key: key, detail: "not a Secret Manager secret id (1-255 letters, digits, `_`, `-`)")
        }
        return key
    }

    func secretURL(_ id: String) -> String {
        "\(config.endpoint)/v1/\(config.parent)/secrets/\(CloudSupport.escape(id))"
    }

    // MARK: SecretProvider

    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {
        _ = try await accessToken()
        for key in Set(keys) {
            do { _ = try await get(key) } catch {
                switch error {
                case .notFound, .deleted, .destroyed: continue
                default: throw error
                }
            }
        }
    }

    /// `GET …/secrets/{s}/versions/{v|latest}:access`.
    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        let id = try secretID(ref.key)
        let version = ref.version.flatMap { $0.isEmpty ? nil : $0 } ?? "latest"
        let what = "access \(id)/versions/\(version)"
        let response = try await send(
            "GET", secretURL(id) + "/versions/\(CloudSupport.escape(version)):access", call: "AccessSecretVersion")
        guard response.status == 200 else { throw failure(ref.description, what, response) }
        guard let payload = response.json?["payload"] as? [String: Any],
            let data = payload["data"] as? String, let bytes = Data(base64Encoded: data).map(Array.init)
        else { throw .protocolError(detail: "\(what): no base64 `payload.data` in the response") }
        if let expected = CloudSupport.integer(payload["dataCrc32c"]),
            UInt32(truncatingIfNeeded: expected) != CRC32C.checksum(bytes)
        {
            throw .protocolError(detail: "\(what): the payload does not match its dataCrc32c (corrupted in transit)")
        }
        let name = response.json?["name"] as? String
        return ProviderValue(secret: RedactedSecret(bytes), version: name?.split(separator: "/").last.map(String.init))
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        await getEach(refs, limit: 16)
    }

    /// The list filter for a query: `labels.<k>=<v>` per tag and `name:<path>`, joined by `AND`
    /// (https://cloud.google.com/secret-manager/docs/filtering).
    static func filter(_ query: FindQuery) -> String? {
        func quoted(_ v: String) -> String {
            v.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") } && !v.isEmpty
                ? v
                : "\"" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
        }
        var terms = query.tags.sorted { $0.key < $1.key }.map { "labels.\($0.key)=\(quoted($0.value))" }
        if let path = query.path, !path.isEmpty { terms.append("name:\(quoted(path))") }
        return terms.isEmpty ? nil : terms.joined(separator: " AND ")
    }

    /// `GET …/secrets?filter=…` (following `nextPageToken`), then the name regexp and the path prefix client-side.
    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        var names: [String] = []
        var pageToken: String?
        var pages = 0
        repeat {
            pages += 1
            if pages > 10_000 { throw .protocolError(detail: "list secrets: more than 10,000 pages") }
            var url = "\(config.endpoint)/v1/\(config.parent)/secrets?pageSize=100"
            if let filter = Self.filter(query) { url += "&filter=\(CloudSupport.escape(filter))" }
            if let pageToken { url += "&pageToken=\(CloudSupport.escape(pageToken))" }
            let response = try await send("GET", url, call: "ListSecrets")
            guard response.status == 200 else { throw failure("(list)", "list secrets", response) }
            for secret in (response.json?["secrets"] as? [[String: Any]]) ?? [] {
                guard let name = (secret["name"] as? String)?.split(separator: "/").last.map(String.init) else {
                    continue
                }
                if let path = query.path, !path.isEmpty, !name.hasPrefix(path) { continue }
                if let regex, !name.contains(regex) { continue }
                let labels = (secret["labels"] as? [String: String]) ?? [:]
                if query.tags.contains(where: { labels[$0.key] != $0.value }) { continue }
                names.append(name)
            }
            pageToken = (response.json?["nextPageToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while pageToken != nil
        return Array(Set(names)).sorted()
    }

    /// Compare-before-write against the latest version; a missing secret is created first (automatic
    /// replication, or a regional secret), then `:addVersion` with the payload and its CRC32C.
    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        let id = try secretID(key)
        var exists = true
        do throws(ProviderError) {
            let current = try await get(RemoteKey(key))
            if current.secret.revealedBytes == value.revealedBytes { return .unchanged }
            if mode == .createOnly {
                throw ProviderError.conflict(
                    key: key, detail: "a different value is stored (use --overwrite to replace it)")
            }
        } catch {
            switch error {
            case .notFound: exists = false
            case .deleted, .destroyed:
                if mode == .createOnly {
                    throw .conflict(key: key, detail: "the secret exists; its latest version is disabled or destroyed")
                }
            default: throw error
            }
        }
        if !exists {
            let body: [String: Any] = config.location == nil ? ["replication": ["automatic": [String: Any]()]] : [:]
            let create = try await send(
                "POST", "\(config.endpoint)/v1/\(config.parent)/secrets?secretId=\(CloudSupport.escape(id))",
                body: body, call: "CreateSecret")
            // 409 ALREADY_EXISTS: the secret exists without versions; it gets its first one below.
            guard create.status == 200 || create.status == 409 else {
                throw failure(key, "create secret \(id)", create)
            }
        }
        let bytes = value.revealedBytes
        let payload: [String: Any] = [
            "data": Data(bytes).base64EncodedString(), "dataCrc32c": String(CRC32C.checksum(bytes)),
        ]
        let add = try await send(
            "POST", secretURL(id) + ":addVersion", body: ["payload": payload], call: "AddSecretVersion")
        guard add.status == 200 else { throw failure(key, "addVersion \(id)", add) }
        return exists ? .updated : .created
    }

    /// `DELETE …/secrets/{s}`: the secret and every version.
    public func delete(_ key: String) async throws(ProviderError) {
        let id = try secretID(key)
        let response = try await send("DELETE", secretURL(id), call: "DeleteSecret")
        switch response.status {
        case 200, 204, 404: return
        default: throw failure(key, "delete secret \(id)", response)
        }
    }
}
