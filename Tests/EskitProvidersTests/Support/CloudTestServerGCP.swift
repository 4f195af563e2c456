import Foundation
import _CryptoExtras

/// A fake Google OAuth 2.0 token endpoint and Secret Manager v1 REST API on one `CloudTestServer`. It enforces
/// the documented rules instead of echoing requests; each rule cites its page.
final class FakeGCP: @unchecked Sendable {
    enum State: String { case enabled = "ENABLED", disabled = "DISABLED", destroyed = "DESTROYED" }

    struct Version {
        var data: [UInt8]
        var state: State = .enabled
    }

    struct Secret {
        var versions: [Version] = []
        var labels: [String: String] = [:]
    }

    struct Store {
        var secrets: [String: Secret] = [:]
        var denied: Set<String> = []
        var tokens: Set<String> = []
        var tokenRequests = 0
        var log: [String] = []
        var pageSize = 100
        var pageTokens: [String: Int] = [:]
        /// Answer accesses with a wrong `dataCrc32c` (corruption in transit).
        var corruptChecksums = false
        /// Federated tokens the STS issued, and whether they may impersonate the service account.
        var federatedTokens: Set<String> = []
        var impersonationAllowed = true
        var stsRequests = 0
    }

    /// The workload identity pool provider federated tokens are exchanged for.
    static let poolAudience =
        "//iam.googleapis.com/projects/\(projectNumber)/locations/global/workloadIdentityPools/eskit/providers/cluster"
    static let clusterIssuer = "https://oidc.test.invalid/cluster"
    /// The cluster's OIDC issuer key: federated (Kubernetes service-account) tokens must be signed by it.
    let issuer: _RSA.Signing.PrivateKey

    static let project = "eskit-test"
    static let projectNumber = "123456789012"
    static let clientEmail = "eso-reader@eskit-test.iam.gserviceaccount.com"
    static let keyID = "0123456789abcdef0123456789abcdef01234567"

    /// The service account's key pair: the server holds the public half, the key file the private one.
    let key: _RSA.Signing.PrivateKey
    let store = Locked(Store())
    private(set) var server: CloudTestServer!

    var url: String { server.url }
    var tokenURI: String { url + "/token" }

    init() async throws {
        key = try TestJWT.makeKey()
        issuer = try TestJWT.makeKey()
        server = try await CloudTestServer { [unowned self] request in self.handle(request) }
    }

    func stop() async { await server.stop() }

    /// The key file `gcloud iam service-accounts keys create` writes (all of it fake, made for this test).
    func keyFile(privateKey: _RSA.Signing.PrivateKey? = nil, email: String = FakeGCP.clientEmail) -> [UInt8] {
        let json: [String: Any] = [
            "type": "service_account", "project_id": Self.project, "private_key_id": Self.keyID,
            "private_key": (privateKey ?? key).pemRepresentation, "client_email": email,
            "client_id": "100000000000000000001", "token_uri": tokenURI,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        ]
        return Array((try? JSONSerialization.data(withJSONObject: json)) ?? Data())
    }

    @discardableResult
    func add(_ name: String, _ value: String, state: State = .enabled, labels: [String: String]? = nil) -> Int {
        store.withLock { store in
            var secret = store.secrets[name] ?? Secret()
            secret.versions.append(Version(data: Array(value.utf8), state: state))
            if let labels { secret.labels = labels }
            store.secrets[name] = secret
            return secret.versions.count
        }
    }

    /// CRC32C, bit by bit (independent of the provider's table-driven one).
    static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    // MARK: Routing

    func handle(_ request: TestRequest) -> TestResponse {
        store.withLock { $0.log.append("\(request.method) \(request.path)") }
        if request.path == "/token" { return token(request) }
        if request.path == "/sts/v1/token" { return sts(request) }
        if request.path.hasPrefix("/iamcredentials/v1/") { return generateAccessToken(request) }
        if request.path.hasPrefix("/v1/") { return api(request) }
        return Self.error(404, "NOT_FOUND", "no such route")
    }

    // MARK: OAuth 2.0 for service accounts

    static func oauthError(_ error: String, _ description: String) -> TestResponse {
        .json(400, ["error": error, "error_description": description])
    }

    /// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
    /// ("Making the access token request", "Handling the response"; the JWT's header and claim set in "Forming the
    /// JWT header" / "JWT claim set").
    func token(_ request: TestRequest) -> TestResponse {
        store.withLock { $0.tokenRequests += 1 }
        guard request.method == "POST",
            request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true
        else { return Self.oauthError("invalid_request", "POST a form") }
        let form = request.form
        // grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer".
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else {
            return Self.oauthError("unsupported_grant_type", "Invalid grant_type: \(form["grant_type"] ?? "")")
        }
        // The assertion is signed with RSA SHA-256 by the service account's key.
        guard let assertion = form["assertion"], let (header, claims) = TestJWT.verify(assertion, key: key.publicKey)
        else { return Self.oauthError("invalid_grant", "Invalid JWT Signature.") }
        guard header["kid"] as? String == Self.keyID, header["typ"] as? String == "JWT" else {
            return Self.oauthError("invalid_grant", "Invalid JWT header.")
        }
        // iss: the service account's email address.
        guard claims["iss"] as? String == Self.clientEmail else {
            return Self.oauthError("invalid_grant", "Invalid email or User ID")
        }
        // aud: "When making an access token request this value is always https://oauth2.googleapis.com/token"
        // (the key file's token_uri; here the test server's).
        guard claims["aud"] as? String == tokenURI else { return Self.oauthError("invalid_grant", "Invalid audience.") }
        // scope: space-delimited scopes; Secret Manager needs cloud-platform.
        let scopes = ((claims["scope"] as? String) ?? "").split(separator: " ")
        guard scopes.contains("https://www.googleapis.com/auth/cloud-platform") else {
            return Self.oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        }
        // exp: "a maximum of 1 hour after the issued time"; not expired, not issued in the future.
        guard let iat = claims["iat"] as? Int, let exp = claims["exp"] as? Int, exp - iat <= 3600, exp > TestJWT.now,
            iat <= TestJWT.now + 60
        else {
            return Self.oauthError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
        }
        let token = "ya29.fake-" + UUID().uuidString
        store.withLock { _ = $0.tokens.insert(token) }
        return .json(200, ["access_token": token, "expires_in": 3599, "token_type": "Bearer"])
    }

    // MARK: Workload identity federation

    /// The `external_account` configuration `gcloud iam workload-identity-pools create-cred-config` writes.
    func externalAccount(tokenFile: String, impersonate: Bool) -> [UInt8] {
        var json: [String: Any] = [
            "type": "external_account", "audience": Self.poolAudience,
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": url + "/sts/v1/token",
            "credential_source": ["file": tokenFile],
        ]
        if impersonate {
            json["service_account_impersonation_url"] =
                url + "/iamcredentials/v1/projects/-/serviceAccounts/\(Self.clientEmail):generateAccessToken"
        }
        return Array((try? JSONSerialization.data(withJSONObject: json)) ?? Data())
    }

    /// A federated token as the kubelet projects it for the pool (audience `https:` + the provider's name, the
    /// default allowed audience).
    func federatedToken(key: _RSA.Signing.PrivateKey? = nil, audience: String? = nil, exp: Int? = nil) throws -> String
    {
        try TestJWT.sign(
            [
                "iss": Self.clusterIssuer, "sub": "system:serviceaccount:external-secrets:eso",
                "aud": [audience ?? "https:" + Self.poolAudience], "iat": TestJWT.now, "exp": exp ?? TestJWT.now + 600,
            ], key: key ?? issuer)
    }

    /// STS `token` (https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token): an RFC 8693 token
    /// exchange; the subject token must verify with the pool provider's issuer keys and carry an allowed audience
    /// (https://cloud.google.com/iam/docs/workload-identity-federation-with-kubernetes).
    func sts(_ request: TestRequest) -> TestResponse {
        store.withLock { $0.stsRequests += 1 }
        let form = request.form
        guard request.method == "POST", form["grant_type"] == "urn:ietf:params:oauth:grant-type:token-exchange" else {
            return Self.oauthError("unsupported_grant_type", "grant_type must be token-exchange.")
        }
        guard form["requested_token_type"] == "urn:ietf:params:oauth:token-type:access_token",
            ["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token"].contains(
                form["subject_token_type"] ?? "")
        else { return Self.oauthError("invalid_request", "Invalid token types.") }
        guard form["audience"] == Self.poolAudience else {
            return Self.oauthError("invalid_target", "The target service indicated by the audience is invalid.")
        }
        guard (form["scope"] ?? "").split(separator: " ").contains("https://www.googleapis.com/auth/cloud-platform")
        else { return Self.oauthError("invalid_scope", "Invalid scope.") }
        guard let subject = form["subject_token"], let (_, claims) = TestJWT.verify(subject, key: issuer.publicKey),
            claims["iss"] as? String == Self.clusterIssuer
        else { return Self.oauthError("invalid_grant", "Invalid value for \"subject_token\".") }
        let audience = (claims["aud"] as? [String]) ?? (claims["aud"] as? String).map { [$0] } ?? []
        guard audience.contains("https:" + Self.poolAudience) else {
            return Self.oauthError("invalid_grant", "The audience in the subject token is not allowed.")
        }
        guard let exp = claims["exp"] as? Int, exp > TestJWT.now else {
            return Self.oauthError("invalid_grant", "The subject token has expired.")
        }
        let token = "fed-" + UUID().uuidString
        store.withLock { store in
            store.federatedTokens.insert(token)
            store.tokens.insert(token)  // direct resource access
        }
        return .json(
            200,
            [
                "access_token": token, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                "token_type": "Bearer", "expires_in": 3600,
            ])
    }

    /// IAM Credentials `generateAccessToken`
    /// (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken):
    /// the caller's token must be valid and allowed `iam.serviceAccounts.getAccessToken` on the account.
    func generateAccessToken(_ request: TestRequest) -> TestResponse {
        guard let bearer = request.authorization(), store.withLock({ $0.federatedTokens.contains(bearer) }) else {
            return Self.error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        }
        let resource = "projects/-/serviceAccounts/\(Self.clientEmail)"
        guard request.method == "POST", request.path == "/iamcredentials/v1/\(resource):generateAccessToken",
            store.withLock({ $0.impersonationAllowed })
        else {
            return Self.error(
                403, "PERMISSION_DENIED",
                "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).")
        }
        guard (request.json?["scope"] as? [String])?.contains("https://www.googleapis.com/auth/cloud-platform") == true
        else { return Self.error(400, "INVALID_ARGUMENT", "scope is required.") }
        let token = "ya29.impersonated-" + UUID().uuidString
        store.withLock { _ = $0.tokens.insert(token) }
        let expire = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        return .json(200, ["accessToken": token, "expireTime": expire])
    }

    // MARK: Secret Manager

    /// Google's error model: `{"error": {"code", "message", "status"}}`
    /// (https://cloud.google.com/apis/design/errors#http_mapping).
    static func error(_ code: Int, _ status: String, _ message: String) -> TestResponse {
        .json(code, ["error": ["code": code, "message": message, "status": status]])
    }

    func api(_ request: TestRequest) -> TestResponse {
        // Every call needs a valid OAuth 2.0 bearer token: 401 UNAUTHENTICATED otherwise
        // (https://cloud.google.com/apis/design/errors#handling_errors, "UNAUTHENTICATED").
        guard let token = request.authorization(), store.withLock({ $0.tokens.contains(token) }) else {
            return Self.error(
                401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
                    + "valid authentication credential.")
        }
        // /v1/projects/{p}/secrets[/{s}[:verb | /versions/{v}:access]]
        var path = String(request.path.dropFirst("/v1/".count))
        var verb: String?
        if let colon = path.lastIndex(of: ":") {
            verb = String(path[path.index(after: colon)...])
            path = String(path[..<colon])
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "projects", parts[2] == "secrets" else {
            return Self.error(404, "NOT_FOUND", "Requested entity was not found.")
        }
        guard parts[1] == Self.project || parts[1] == Self.projectNumber else {
            return Self.error(403, "PERMISSION_DENIED", "Permission denied on resource project \(parts[1]).")
        }
        if parts.count == 3 {
            if request.method == "GET" { return list(request) }
            if request.method == "POST" { return create(request) }
        }
        guard parts.count >= 4 else { return Self.error(400, "INVALID_ARGUMENT", "unsupported request") }
        let name = parts[3]
        let resource = "projects/\(Self.project)/secrets/\(name)"
        if store.withLock({ $0.denied.contains(name) }) {
            // https://cloud.google.com/secret-manager/docs/access-control: without the role, 403 PERMISSION_DENIED.
            return Self.error(
                403, "PERMISSION_DENIED",
                "Permission 'secretmanager.versions.access' denied for resource '\(resource)' (or it may not exist).")
        }
        switch (request.method, parts.count, verb) {
        case ("GET", 6, "access") where parts[4] == "versions":
            return access(name, parts[5])
        case ("POST", 4, "addVersion"):
            return addVersion(name, request)
        case ("DELETE", 4, nil):
            // projects.secrets.delete: an empty body, or 404 NOT_FOUND
            // (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/delete).
            return store.withLock { store in
                store.secrets.removeValue(forKey: name) == nil
                    ? Self.error(404, "NOT_FOUND", "Secret [\(resource)] not found.") : .json(200, [String: Any]())
            }
        default:
            return Self.error(400, "INVALID_ARGUMENT", "unsupported request")
        }
    }

    /// projects.secrets.versions.access
    /// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access):
    /// `latest` is the most recently created version; a missing secret, one without versions or a missing version
    /// is 404 NOT_FOUND; a disabled or destroyed version is 400 FAILED_PRECONDITION
    /// (google-github-actions/get-secretmanager-secrets#268).
    func access(_ name: String, _ selector: String) -> TestResponse {
        store.withLock { store -> TestResponse in
            let numbered = "projects/\(Self.projectNumber)/secrets/\(name)"
            guard let secret = store.secrets[name], !secret.versions.isEmpty else {
                return Self.error(404, "NOT_FOUND", "Secret [\(numbered)] not found or has no versions.")
            }
            let number = selector == "latest" ? secret.versions.count : Int(selector) ?? 0
            guard number >= 1, number <= secret.versions.count else {
                return Self.error(404, "NOT_FOUND", "Secret Version [\(numbered)/versions/\(selector)] not found.")
            }
            let version = secret.versions[number - 1]
            guard version.state == .enabled else {
                return Self.error(
                    400, "FAILED_PRECONDITION",
                    "Secret Version [\(numbered)/versions/\(number)] is in \(version.state.rawValue) state.")
            }
            var crc = Self.crc32c(version.data)
            if store.corruptChecksums { crc ^= 1 }
            return .json(
                200,
                [
                    "name": "\(numbered)/versions/\(number)",
                    "payload": ["data": Data(version.data).base64EncodedString(), "dataCrc32c": String(crc)],
                ])
        }
    }

    /// projects.secrets.addVersion: `payload.data` (base64) is required; a given `dataCrc32c` is verified
    /// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/addVersion,
    /// https://cloud.google.com/secret-manager/docs/reference/rest/v1/SecretPayload).
    func addVersion(_ name: String, _ request: TestRequest) -> TestResponse {
        guard let payload = request.json?["payload"] as? [String: Any], let text = payload["data"] as? String,
            let data = Data(base64Encoded: text).map(Array.init)
        else { return Self.error(400, "INVALID_ARGUMENT", "payload.data is required (base64).") }
        if let crc = payload["dataCrc32c"] as? String, UInt32(crc) != Self.crc32c(data) {
            return Self.error(400, "INVALID_ARGUMENT", "Checksum mismatch.")
        }
        return store.withLock { store -> TestResponse in
            guard var secret = store.secrets[name] else {
                return Self.error(
                    404, "NOT_FOUND", "Secret [projects/\(Self.projectNumber)/secrets/\(name)] not found.")
            }
            secret.versions.append(Version(data: data))
            store.secrets[name] = secret
            return .json(
                200,
                [
                    "name": "projects/\(Self.projectNumber)/secrets/\(name)/versions/\(secret.versions.count)",
                    "state": "ENABLED", "createTime": "2026-12-04T00:00:00Z",
                ])
        }
    }

    /// projects.secrets.create: `secretId` query parameter and `replication` are required; an existing id is
    /// 409 ALREADY_EXISTS (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create).
    func create(_ request: TestRequest) -> TestResponse {
        guard let id = request.query["secretId"], !id.isEmpty,
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return Self.error(400, "INVALID_ARGUMENT", "secretId is required.") }
        guard request.json?["replication"] is [String: Any] else {
            return Self.error(400, "INVALID_ARGUMENT", "Secret.replication is required.")
        }
        return store.withLock { store -> TestResponse in
            guard store.secrets[id] == nil else {
                return Self.error(
                    409, "ALREADY_EXISTS", "Secret [projects/\(Self.projectNumber)/secrets/\(id)] already exists.")
            }
            store.secrets[id] = Secret()
            return .json(
                200, ["name": "projects/\(Self.projectNumber)/secrets/\(id)", "replication": ["automatic": [:]]])
        }
    }

    /// A filter split at spaces outside double quotes.
    static func terms(_ filter: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for c in filter {
            if c == "\"" { quoted.toggle() }
            if c == " ", !quoted {
                if !current.isEmpty { terms.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms
    }

    /// projects.secrets.list with `filter`, `pageSize` and `pageToken`; a page token must be one the server gave
    /// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/list). Filter terms
    /// (https://cloud.google.com/secret-manager/docs/filtering): `labels.<key>=<value>` and `name:<substring>`,
    /// joined by `AND` or spaces; anything else is INVALID_ARGUMENT here.
    func list(_ request: TestRequest) -> TestResponse {
        var required: [String: String] = [:]
        var nameParts: [String] = []
        if let filter = request.query["filter"] {
            for term in Self.terms(filter) where term != "AND" {
                if term.hasPrefix("labels."), let eq = term.firstIndex(of: "=") {
                    let key = String(term[term.index(term.startIndex, offsetBy: 7)..<eq])
                    var value = String(term[term.index(after: eq)...])
                    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                        value = String(value.dropFirst().dropLast())
                    }
                    required[key] = value
                } else if term.hasPrefix("name:") {
                    var value = String(term.dropFirst(5))
                    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                        value = String(value.dropFirst().dropLast())
                    }
                    nameParts.append(value)
                } else {
                    return Self.error(400, "INVALID_ARGUMENT", "Invalid filter term.")
                }
            }
        }
        return store.withLock { store -> TestResponse in
            var size = store.pageSize
            if let asked = request.query["pageSize"] {
                guard let n = Int(asked), (1...25_000).contains(n) else {
                    return Self.error(400, "INVALID_ARGUMENT", "Invalid page size.")
                }
                size = min(size, n)
            }
            var start = 0
            if let token = request.query["pageToken"] {
                guard let offset = store.pageTokens[token] else {
                    return Self.error(400, "INVALID_ARGUMENT", "Invalid page token.")
                }
                start = offset
            }
            let matching = store.secrets.keys.sorted().filter { name in
                let labels = store.secrets[name]!.labels
                return required.allSatisfy { labels[$0.key] == $0.value } && nameParts.allSatisfy { name.contains($0) }
            }
            let page = matching.dropFirst(start).prefix(size)
            var body: [String: Any] = [
                "secrets": page.map { name -> [String: Any] in
                    [
                        "name": "projects/\(Self.projectNumber)/secrets/\(name)", "labels": store.secrets[name]!.labels,
                        "replication": ["automatic": [String: Any]()], "createTime": "2026-12-04T00:00:00Z",
                    ]
                },
                "totalSize": matching.count,
            ]
            if start + page.count < matching.count {
                let token = UUID().uuidString
                store.pageTokens[token] = start + page.count
                body["nextPageToken"] = token
            }
            return .json(200, body)
        }
    }
}
