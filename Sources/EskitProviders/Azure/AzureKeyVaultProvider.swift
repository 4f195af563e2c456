public import EskitCore
import Foundation

/// How eskit gets a Key Vault token. Values come from the caller (environment, flags, a local credentials file,
/// the federated token file), never from the repository.
public enum AzureCredentials: Sendable {
    /// A service principal and its client secret (ESO `authType: ServicePrincipal`, `authSecretRef`).
    case clientSecret(clientID: String, clientSecret: String)
    /// Workload identity federation (ESO `authType: WorkloadIdentity`): the federated token (a Kubernetes
    /// service-account token) is read from `tokenFile` at each token request, since the kubelet rotates it.
    case workloadIdentity(clientID: String, tokenFile: String)
    /// An access token for `https://vault.azure.net` obtained elsewhere (`az account get-access-token`).
    case accessToken(String)

    /// The credentials the Azure SDKs read: `AZURE_CLIENT_ID` with `AZURE_FEDERATED_TOKEN_FILE` (workload identity,
    /// preferred as in `DefaultAzureCredential`) or `AZURE_CLIENT_SECRET`. Nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String]) -> AzureCredentials? {
        guard let clientID = environment["AZURE_CLIENT_ID"], !clientID.isEmpty else { return nil }
        if let file = environment["AZURE_FEDERATED_TOKEN_FILE"], !file.isEmpty {
            return .workloadIdentity(clientID: clientID, tokenFile: file)
        }
        if let secret = environment["AZURE_CLIENT_SECRET"], !secret.isEmpty {
            return .clientSecret(clientID: clientID, clientSecret: secret)
        }
        return nil
    }
}

/// A Key Vault store, as a SecretStore's `azurekv` block describes it.
public struct AzureKeyVaultConfig: Sendable {
    /// `https://my-vault.vault.azure.net` (ESO `vaultUrl`).
    public var vaultURL: String
    /// The Microsoft Entra tenant (ESO `tenantId`, or `AZURE_TENANT_ID`).
    public var tenantID: String
    /// Where tokens come from: `https://login.microsoftonline.com` unless `AZURE_AUTHORITY_HOST` (sovereign clouds,
    /// tests) says otherwise.
    public var authorityHost: String
    /// The Key Vault REST API version (`api-version`, required by every call).
    public var apiVersion: String
    /// The token audience; the scope asked for is `<resource>/.default`.
    public var resource: String

    public init(
        vaultURL: String, tenantID: String, authorityHost: String? = nil, apiVersion: String = "7.4",
        resource: String = "https://vault.azure.net"
    ) {
        self.vaultURL = vaultURL.hasSuffix("/") ? String(vaultURL.dropLast()) : vaultURL
        self.tenantID = tenantID
        let host = authorityHost ?? Self.defaultAuthorityHost
        self.authorityHost = host.hasSuffix("/") ? String(host.dropLast()) : host
        self.apiVersion = apiVersion
        self.resource = resource.hasSuffix("/") ? String(resource.dropLast()) : resource
    }

    public static let defaultAuthorityHost = "https://login.microsoftonline.com"

    /// `AZURE_AUTHORITY_HOST` when set, else the public cloud's authority.
    public static func authorityHost(environment: [String: String]) -> String {
        environment["AZURE_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultAuthorityHost
    }

    /// `<authority>/<tenant>/oauth2/v2.0/token`.
    public var tokenURL: String { "\(authorityHost)/\(CloudSupport.escape(tenantID))/oauth2/v2.0/token" }

    public var scope: String { resource + "/.default" }
}

/// Reads, lists and writes Key Vault secrets the way ESO's `azurekv` provider reads them: `remoteRef.key` is the
/// secret name (an optional `secret/` prefix is dropped; `key/` and `cert/` objects are not read), `version` a
/// version id. A disabled secret or version (Key Vault: `403 Forbidden` / `SecretDisabled`, or
/// `attributes.enabled: false`) is reported as `.deleted` with "disabled" in its detail, apart from missing keys
/// and refused permissions. Key Vault has no check-and-set: `put` compares first, then writes.
public actor AzureKeyVaultProvider: SecretProvider, TransportReporting {
    public nonisolated let family = "azurekv"
    let config: AzureKeyVaultConfig
    let credentials: AzureCredentials
    let transport: any HTTPTransport
    private let tokens = TokenCache()

    public init(config: AzureKeyVaultConfig, credentials: AzureCredentials, transport: any HTTPTransport) {
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
        if case .accessToken(let token) = credentials { return token }
        let config = config
        let credentials = credentials
        let transport = transport
        return try await tokens.token { () async throws(ProviderError) -> CachedToken in
            try await Self.requestToken(config: config, credentials: credentials, transport: transport)
        }
    }

    /// The client credentials grant of the Microsoft identity platform, with a client secret or a federated
    /// client assertion (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
    static func requestToken(
        config: AzureKeyVaultConfig, credentials: AzureCredentials, transport: any HTTPTransport
    ) async throws(ProviderError) -> CachedToken {
        var fields: [(String, String)] = [("grant_type", "client_credentials"), ("scope", config.scope)]
        switch credentials {
        case .accessToken(let token):
            return CachedToken(value: token, expiresIn: 3600)
        case .clientSecret(let clientID, let secret):
            fields += [("client_id", clientID), ("client_secret", secret)]
        case .workloadIdentity(let clientID, let file):
            let assertion: String
            do {
                let bytes = try FileReader.input(file, what: "the Azure federated token", limit: 1 << 20)
                assertion = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw .invalidConfiguration(detail: error.message)
            }
            fields += [
                ("client_id", clientID),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion),
            ]
        }
        let response = try await transport.send(
            HTTPRequest(
                "POST", config.tokenURL,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: CloudSupport.form(fields), call: "oauth2-token"))
        let json = CloudSupport.json(response.body)
        guard response.status == 200, let token = json?["access_token"] as? String else {
            throw .authFailed(
                detail: "POST \(config.tokenURL): HTTP \(response.status) (\(CloudSupport.oauthError(json)))")
        }
        return CachedToken(value: token, expiresIn: CloudSupport.integer(json?["expires_in"]) ?? 3600)
    }

    // MARK: HTTP

    struct Response {
        var status: Int
        var json: [String: Any]?
    }

    /// One Key Vault call with the bearer token; a 401 drops the cached token and tries once more with a new one.
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
            if response.status == 401, attempt == 0, !isStaticToken {
                await tokens.invalidate()
                attempt += 1
                continue
            }
            return Response(status: response.status, json: CloudSupport.json(response.body))
        }
    }

    var isStaticToken: Bool {
        if case .accessToken = credentials { return true }
        return false
    }

    /// Key Vault's error code, inner error code and message (`SecretNotFound: A secret with (name/id) x was not
    /// found in this key vault…`): they name the secret, never its value.
    static func error(_ json: [String: Any]?) -> (code: String, inner: String?, text: String) {
        let error = json?["error"] as? [String: Any]
        let code = (error?["code"] as? String) ?? "no error code"
        let inner = (error?["innererror"] as? [String: Any])?["code"] as? String
        var text = code + (inner.map { "/\($0)" } ?? "")
        if let message = error?["message"] as? String {
            text += ": " + (message.count > 160 ? String(message.prefix(160)) + "…" : message)
        }
        return (code, inner, text)
    }

    /// Maps a failed Key Vault call to the distinct errors.
    func failure(_ key: String, _ what: String, _ response: Response) -> ProviderError {
        let (code, inner, text) = Self.error(response.json)
        switch response.status {
        case 404 where code == "SecretNotFound" || code == "NotFound" || response.json == nil:
            return .notFound(key: key, detail: "\(what): \(text)")
        case 404:
            return .notFound(key: key, detail: "\(what): HTTP 404 \(text)")
        case 403 where inner == "SecretDisabled" || code == "SecretDisabled":
            return .deleted(key: key, detail: "\(what): the secret or version is disabled (\(text))")
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

    /// The secret name of a `remoteRef.key`: `secret/` dropped, `key/` and `cert/` refused. Names are 1–127
    /// letters, digits and dashes (Key Vault's object naming rule); anything else cannot exist.
    func secretName(_ key: String) throws(ProviderError) -> String {
        var name = key
        if name.hasPrefix("secret/") { name = String(name.dropFirst("secret/".count)) }
        if name.hasPrefix("key/") || name.hasPrefix("cert/") {
            throw .invalidConfiguration(
                detail: "`\(key)`: eskit reads Key Vault secrets only, not keys or certificates")
        }
        let valid =
            !name.isEmpty && name.count <= 127
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard valid else {
            throw .notFound(key: key, detail: "not a Key Vault secret name (1-127 letters, digits and dashes)")
        }
        return name
    }

    func secretURL(_ name: String, version: String? = nil) -> String {
        var url = "\(config.vaultURL)/secrets/\(CloudSupport.escape(name))"
        if let version { url += "/\(CloudSupport.escape(version))" }
        return url + "?api-version=\(CloudSupport.escape(config.apiVersion))"
    }

    // MARK: SecretProvider

    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {
        _ = try await accessToken()
        for key in Set(keys) {
            do { _ = try await get(key) } catch {
                switch error {
                case .notFound, .deleted, .destroyed, .invalidConfiguration: continue
                default: throw error
                }
            }
        }
    }

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        let name = try secretName(ref.key)
        let version = ref.version.flatMap { $0.isEmpty || $0 == "latest" ? nil : $0 }
        let url = secretURL(name, version: version)
        let what = "GET secrets/\(name)" + (version.map { "/\($0)" } ?? "")
        let response = try await send("GET", url, call: "GetSecret")
        guard response.status == 200 else { throw failure(ref.description, what, response) }
        let attributes = response.json?["attributes"] as? [String: Any]
        if attributes?["enabled"] as? Bool == false {
            throw .deleted(key: ref.description, detail: "\(what): the secret or version is disabled")
        }
        guard let value = response.json?["value"] as? String else {
            throw .protocolError(detail: "\(what): no `value` in the response")
        }
        let id = response.json?["id"] as? String
        return ProviderValue(secret: RedactedSecret(value), version: id?.split(separator: "/").last.map(String.init))
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        await getEach(refs, limit: 16)
    }

    /// Lists the vault's secrets (`GET /secrets`, following `nextLink`) and keeps the enabled ones whose name
    /// starts with `path`, matches `nameRegexp` and carries every tag, as ESO's `find` does.
    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        var names: [String] = []
        var next: String? =
            "\(config.vaultURL)/secrets?maxresults=25&api-version=\(CloudSupport.escape(config.apiVersion))"
        var pages = 0
        while let url = next {
            pages += 1
            if pages > 10_000 { throw .protocolError(detail: "GET secrets: more than 10,000 pages") }
            let response = try await send("GET", url, call: "GetSecrets")
            guard response.status == 200 else { throw failure("(list)", "GET secrets", response) }
            for item in (response.json?["value"] as? [[String: Any]]) ?? [] {
                guard let id = item["id"] as? String, let name = id.split(separator: "/").last.map(String.init)
                else { continue }
                if (item["attributes"] as? [String: Any])?["enabled"] as? Bool == false { continue }
                if let path = query.path, !path.isEmpty, !name.hasPrefix(path) { continue }
                if let regex, !name.contains(regex) { continue }
                let tags = (item["tags"] as? [String: String]) ?? [:]
                if query.tags.contains(where: { tags[$0.key] != $0.value }) { continue }
                names.append(name)
            }
            next = try nextPage(response.json?["nextLink"] as? String)
        }
        return Array(Set(names)).sorted()
    }

    /// A `nextLink` is followed only on the vault's own host: the bearer token never goes elsewhere.
    func nextPage(_ link: String?) throws(ProviderError) -> String? {
        guard let link, !link.isEmpty else { return nil }
        guard let next = URL(string: link), let vault = URL(string: config.vaultURL),
            next.host?.lowercased() == vault.host?.lowercased(), next.scheme == vault.scheme
        else { throw .protocolError(detail: "GET secrets: nextLink points outside the vault") }
        // Some services give the default port explicitly (`:443`); keep the vault's own form.
        var components = URLComponents(string: link)
        components?.port = vault.port
        return components?.string ?? link
    }

    /// Compare-before-write: reads the current version, writes (`PUT /secrets/{name}`, a new version) only when it
    /// differs. Key Vault has no check-and-set, so a write racing another writer is last-writer-wins.
    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        let name = try secretName(key)
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
            case .deleted where mode == .createOnly:
                throw .conflict(key: key, detail: "the secret exists but is disabled")
            case .deleted: break
            default: throw error
            }
        }
        let response = try await send("PUT", secretURL(name), body: ["value": value.revealed], call: "SetSecret")
        guard response.status == 200 else { throw failure(key, "PUT secrets/\(name)", response) }
        return exists ? .updated : .created
    }

    /// `DELETE /secrets/{name}`: soft-deletes every version (purge protection and recovery stay the vault's).
    public func delete(_ key: String) async throws(ProviderError) {
        let name = try secretName(key)
        let response = try await send("DELETE", secretURL(name), call: "DeleteSecret")
        switch response.status {
        case 200, 204, 404: return
        default: throw failure(key, "DELETE secrets/\(name)", response)
        }
    }
}
