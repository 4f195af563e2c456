public import EskitCore
import Foundation

/// How eskit authenticates to Pulumi Cloud. The token comes from the caller (`PULUMI_ACCESS_TOKEN`, flags, a
/// local credentials file), never from the repository.
public enum PulumiCredentials: Sendable {
    /// A Pulumi access token (personal, team or organization), sent as `Authorization: token <value>`.
    case accessToken(String)

    /// `PULUMI_ACCESS_TOKEN`, or nil.
    public static func fromEnvironment(_ environment: [String: String]) -> PulumiCredentials? {
        environment["PULUMI_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : .accessToken($0) }
    }
}

/// A Pulumi ESC environment, as a SecretStore's `pulumi` block describes it.
public struct PulumiESCConfig: Sendable {
    /// ESO `apiUrl`: `https://api.pulumi.com/api/esc` by default. A bare host (`https://api.pulumi.com`) gets
    /// `/api/esc` appended.
    public var apiURL: String
    public var organization: String
    public var project: String
    public var environment: String

    public init(
        apiURL: String? = nil, organization: String, project: String = "default", environment: String
    ) {
        var base = apiURL.flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.pulumi.com/api/esc"
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasSuffix("/api/esc") { base += "/api/esc" }
        self.apiURL = base
        self.organization = organization
        self.project = project
        self.environment = environment
    }

    /// `org/project/env`, for messages.
    public var display: String { "\(organization)/\(project)/\(environment)" }

    /// `{api}/environments/{org}/{project}/{env}`.
    var environmentURL: String {
        "\(apiURL)/environments/\(CloudSupport.escape(organization))/\(CloudSupport.escape(project))/"
            + CloudSupport.escape(environment)
    }
}

/// Reads a Pulumi ESC environment the way ESO's `pulumi` provider does, but opens it **once per provider
/// instance** (one run of `eskit validate`, one reconcile) instead of once per key: `POST …/open` gives a session
/// id, and each `remoteRef.key` is read from that session as a property path (`db.password`, `a["b.c"]`,
/// `list[0]`) with `GET …/open/{session}?property=<path>`. Values marked `secret` are plain values in an open
/// session; they are treated like every other value (never printed). An object property comes back as its JSON
/// (nested ESC values unwrapped), so `property` / `dataFrom.extract` work on it.
///
/// ESC has no per-key writes (ESO has no push for pulumi): `put` and `delete` throw `.invalidConfiguration`.
public actor PulumiESCProvider: SecretProvider, TransportReporting {
    public nonisolated let family = "pulumi"
    let config: PulumiESCConfig
    let credentials: PulumiCredentials
    let transport: any HTTPTransport
    private var session: Task<Result<String, ProviderError>, Never>?
    /// Sessions opened so far (1 per run unless the service expired one).
    public private(set) var sessionsOpened = 0

    public init(config: PulumiESCConfig, credentials: PulumiCredentials, transport: any HTTPTransport) {
        self.config = config
        self.credentials = credentials
        self.transport = transport
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

    var headers: [(String, String)] {
        guard case .accessToken(let token) = credentials else { return [] }
        return [
            ("Authorization", "token " + token), ("Accept", "application/vnd.pulumi+8"),
            ("Content-Type", "application/json"),
        ]
    }

    func send(_ method: String, _ url: String, call: String) async throws(ProviderError) -> Response {
        let response = try await transport.send(
            HTTPRequest(method, url, headers: headers, body: method == "POST" ? Array("{}".utf8) : [], call: call))
        return Response(status: response.status, json: CloudSupport.json(response.body))
    }

    /// Pulumi's error message (`{"code": 404, "message": "Environment 'x' not found"}`): names, never values.
    static func message(_ json: [String: Any]?) -> String {
        guard let message = json?["message"] as? String else { return "no detail" }
        return message.count > 200 ? String(message.prefix(200)) + "…" : message
    }

    func failure(_ key: String, _ what: String, _ response: Response) -> ProviderError {
        let text = Self.message(response.json)
        switch response.status {
        case 404: return .notFound(key: key, detail: "\(what): \(text)")
        case 401: return .authFailed(detail: "\(what): the access token was refused (\(text))")
        case 403: return .permissionDenied(key: key, detail: "\(what): \(text)")
        default: return .protocolError(detail: "\(what): HTTP \(response.status) (\(text))")
        }
    }

    // MARK: Session

    /// The run's open session: opened on first use, shared by every concurrent read.
    func sessionID() async throws(ProviderError) -> String {
        if let session { return try await session.value.get() }
        sessionsOpened += 1
        let task = Task { () async -> Result<String, ProviderError> in
            do throws(ProviderError) { return .success(try await self.open()) } catch { return .failure(error) }
        }
        session = task
        return try await task.value.get()
    }

    /// `POST {api}/environments/{org}/{project}/{env}/open` → `{"id": "<session>", "diagnostics": …}`.
    func open() async throws(ProviderError) -> String {
        let response = try await send("POST", config.environmentURL + "/open", call: "OpenEnvironment")
        guard response.status == 200 else {
            throw failure(config.display, "open environment \(config.display)", response)
        }
        guard let id = response.json?["id"] as? String, !id.isEmpty else {
            throw .protocolError(detail: "open environment \(config.display): no session `id` in the response")
        }
        return id
    }

    /// Forgets an expired session so the next read opens a new one.
    func expire(_ id: String) async {
        if let session, case .success(let current) = await session.value, current == id { self.session = nil }
    }

    /// A session read; an expired or unknown session (404 naming the session) is reopened once.
    func read(_ query: String, key: String, call: String) async throws(ProviderError) -> Response {
        var attempt = 0
        while true {
            let id: String
            do { id = try await sessionID() } catch {
                if case .notFound(_, let detail) = error { throw .notFound(key: key, detail: detail) }
                throw error
            }
            let response = try await send(
                "GET", config.environmentURL + "/open/\(CloudSupport.escape(id))" + query, call: call)
            if response.status == 404, attempt == 0, Self.message(response.json).lowercased().contains("session") {
                await expire(id)
                attempt += 1
                continue
            }
            return response
        }
    }

    // MARK: SecretProvider

    /// Opens the environment (auth, permission and existence in one call).
    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {
        _ = try await sessionID()
    }

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        if let version = ref.version, !version.isEmpty {
            throw .invalidConfiguration(
                detail: "`\(ref.key)`: ESC properties have no versions (pin the environment revision instead)")
        }
        let what = "read \(config.display) property `\(ref.key)`"
        let response = try await read(
            "?property=\(CloudSupport.escape(ref.key))", key: ref.key, call: "ReadOpenEnvironmentProperty")
        switch response.status {
        case 200: break
        case 400: throw .notFound(key: ref.key, detail: "\(what): \(Self.message(response.json))")
        default: throw failure(ref.key, what, response)
        }
        guard let value = response.json else { throw .protocolError(detail: "\(what): no value in the response") }
        if value["unknown"] as? Bool == true {
            throw .protocolError(detail: "\(what): the value is unknown (not resolved when the environment opened)")
        }
        guard let plain = Self.unwrap(value) else { throw .notFound(key: ref.key, detail: "\(what): no value") }
        return ProviderValue(secret: RedactedSecret(Self.bytes(plain)))
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        await getEach(refs, limit: 8)
    }

    /// The environment's top-level property names (`GET …/open/{session}`), by prefix and name regexp; the
    /// values in that response are dropped unread. ESC has no tags.
    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        if !query.tags.isEmpty { throw .invalidConfiguration(detail: "Pulumi ESC has no tags to find by") }
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        let response = try await read("", key: config.display, call: "ReadOpenEnvironment")
        guard response.status == 200 else { throw failure(config.display, "read \(config.display)", response) }
        let names = ((response.json?["properties"] as? [String: Any]) ?? [:]).keys.filter { name in
            if let path = query.path, !path.isEmpty, !name.hasPrefix(path) { return false }
            if let regex, !name.contains(regex) { return false }
            return true
        }
        return names.sorted()
    }

    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        throw .invalidConfiguration(
            detail: "Pulumi ESC environments are edited as a whole: eskit does not push to them")
    }

    public func delete(_ key: String) async throws(ProviderError) {
        throw .invalidConfiguration(
            detail: "Pulumi ESC environments are edited as a whole: eskit does not delete from them")
    }

    // MARK: Values

    /// An ESC `Value` (`{"value": …, "secret": …, "trace": …}`) as plain JSON: objects and arrays hold nested
    /// Values, unwrapped all the way down.
    static func unwrap(_ value: Any) -> Any? {
        guard let object = value as? [String: Any] else { return value }
        guard let inner = object["value"] else { return nil }
        if let map = inner as? [String: Any] { return map.compactMapValues { unwrap($0) ?? NSNull() } }
        if let list = inner as? [Any] { return list.map { unwrap($0) ?? NSNull() } }
        return inner
    }

    /// A string as its bytes, null as nothing, anything else as its JSON text.
    static func bytes(_ plain: Any) -> [UInt8] {
        if let string = plain as? String { return Array(string.utf8) }
        if plain is NSNull { return [] }
        let data = try? JSONSerialization.data(
            withJSONObject: plain, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return data.map(Array.init) ?? []
    }
}
