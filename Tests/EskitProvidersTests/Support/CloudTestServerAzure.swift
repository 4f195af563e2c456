import Foundation
import _CryptoExtras

/// A fake Microsoft Entra token endpoint and Azure Key Vault (secrets) on one `CloudTestServer`. It enforces the
/// documented rules instead of echoing requests; each rule cites its page.
final class FakeAzure: @unchecked Sendable {
    struct Version {
        var id: String
        var value: String
        var enabled = true
    }

    struct Secret {
        var versions: [Version]
        var tags: [String: String] = [:]
        var current: Version { versions[versions.count - 1] }
    }

    struct State {
        var secrets: [String: Secret] = [:]
        /// Names the service principal may not read or write (an RBAC deny).
        var denied: Set<String> = []
        var tokens: Set<String> = []
        var tokenRequests = 0
        /// Every request, `METHOD path`.
        var log: [String] = []
        var pageSize = 25
        var expiresIn = 3599
    }

    static let tenant = "00000000-0000-0000-0000-00000000beef"
    static let clientID = "11111111-2222-3333-4444-555555555555"
    static let federatedIssuer = "https://oidc.test.invalid/cluster"
    static let federatedSubject = "system:serviceaccount:external-secrets:eso"
    /// https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust: the audience
    /// a federated credential expects by default.
    static let federatedAudience = "api://AzureADTokenExchange"

    let clientSecret: String
    /// The cluster's OIDC issuer key: federated tokens must be signed by it.
    let issuerKey: _RSA.Signing.PublicKey
    let state = Locked(State())
    private(set) var server: CloudTestServer!

    var url: String { server.url }

    init(issuerKey: _RSA.Signing.PublicKey) async throws {
        clientSecret = "fake-client-secret-" + UUID().uuidString.prefix(8)
        self.issuerKey = issuerKey
        server = try await CloudTestServer { [unowned self] request in self.handle(request) }
    }

    func stop() async { await server.stop() }

    /// Adds a version (32 hex characters, as Key Vault's version ids are) and returns its id.
    @discardableResult
    func set(_ name: String, _ value: String, enabled: Bool = true, tags: [String: String]? = nil) -> String {
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        state.withLock { state in
            var secret = state.secrets[name] ?? Secret(versions: [])
            secret.versions.append(Version(id: id, value: value, enabled: enabled))
            if let tags { secret.tags = tags }
            state.secrets[name] = secret
        }
        return id
    }

    // MARK: Routing

    func handle(_ request: TestRequest) -> TestResponse {
        state.withLock { $0.log.append("\(request.method) \(request.path)") }
        if request.path.hasSuffix("/oauth2/v2.0/token") { return token(request) }
        if request.path == "/secrets" || request.path.hasPrefix("/secrets/") { return vault(request) }
        return .json(404, ["error": ["code": "NotFound", "message": "no such route"]])
    }

    // MARK: Microsoft identity platform

    static func oauthError(_ status: Int, _ error: String, _ code: String, _ text: String) -> TestResponse {
        .json(
            status,
            ["error": error, "error_description": "\(code): \(text)", "error_codes": [Int(code.dropFirst(6)) ?? 0]])
    }

    /// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    /// ("First case: Access token request with a shared secret", "Third case: Access token request with a
    /// federated credential", "Error response").
    func token(_ request: TestRequest) -> TestResponse {
        state.withLock { $0.tokenRequests += 1 }
        guard request.method == "POST" else {
            return Self.oauthError(405, "invalid_request", "AADSTS900561", "POST only")
        }
        // The tenant is a path segment of the token URL.
        guard request.path == "/\(Self.tenant)/oauth2/v2.0/token" else {
            return Self.oauthError(400, "invalid_request", "AADSTS90002", "Tenant not found.")
        }
        // "Content-Type: application/x-www-form-urlencoded" is required for the token request.
        guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return Self.oauthError(400, "invalid_request", "AADSTS900144", "The request body must be a form.")
        }
        let form = request.form
        // grant_type "Must be set to client_credentials".
        guard form["grant_type"] == "client_credentials" else {
            return Self.oauthError(
                400, "unsupported_grant_type", "AADSTS70003", "The app requested an unsupported grant type.")
        }
        // scope: "the resource identifier (application ID URI) of the resource you want, affixed with the .default
        // suffix" (Key Vault: https://vault.azure.net/.default).
        guard form["scope"] == "https://vault.azure.net/.default" else {
            return Self.oauthError(400, "invalid_scope", "AADSTS70011", "The provided value for scope is not valid.")
        }
        guard form["client_id"] == Self.clientID else {
            return Self.oauthError(
                400, "unauthorized_client", "AADSTS700016", "Application not found in the directory.")
        }
        if let secret = form["client_secret"] {
            guard secret == clientSecret else {
                return Self.oauthError(401, "invalid_client", "AADSTS7000215", "Invalid client secret provided.")
            }
        } else if let assertion = form["client_assertion"] {
            // client_assertion_type "must be set to urn:ietf:params:oauth:client-assertion-type:jwt-bearer".
            guard form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" else {
                return Self.oauthError(400, "invalid_request", "AADSTS700024", "Invalid client_assertion_type.")
            }
            // The federated token must be signed by the trusted issuer and match the federated credential's
            // issuer, subject and audience, and be unexpired
            // (https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation).
            guard let (_, claims) = TestJWT.verify(assertion, key: issuerKey) else {
                return Self.oauthError(
                    401, "invalid_client", "AADSTS700027", "Client assertion contains an invalid signature.")
            }
            let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
            guard claims["iss"] as? String == Self.federatedIssuer, claims["sub"] as? String == Self.federatedSubject,
                audience.contains(Self.federatedAudience)
            else {
                return Self.oauthError(
                    400, "invalid_client", "AADSTS70021", "No matching federated identity record found.")
            }
            guard let exp = claims["exp"] as? Int, exp > TestJWT.now else {
                return Self.oauthError(
                    400, "invalid_client", "AADSTS700024", "Client assertion is not within its valid time range.")
            }
        } else {
            return Self.oauthError(
                401, "invalid_client", "AADSTS7000218",
                "The request body must contain client_assertion or client_secret.")
        }
        let token = "fake-kv-token-" + UUID().uuidString
        let expiresIn = state.withLock { state -> Int in
            state.tokens.insert(token)
            return state.expiresIn
        }
        return .json(
            200, ["token_type": "Bearer", "expires_in": expiresIn, "ext_expires_in": expiresIn, "access_token": token])
    }

    // MARK: Key Vault

    static func kvError(_ status: Int, _ code: String, _ message: String, inner: String? = nil) -> TestResponse {
        var error: [String: Any] = ["code": code, "message": message]
        if let inner { error["innererror"] = ["code": inner] }
        return .json(status, ["error": error])
    }

    func bundle(_ name: String, _ secret: Secret, _ version: Version) -> [String: Any] {
        [
            "value": version.value, "id": "\(url)/secrets/\(name)/\(version.id)", "tags": secret.tags,
            "attributes": [
                "enabled": version.enabled, "created": 1_493_938_410, "updated": 1_493_938_410,
                "recoveryLevel": "Recoverable+Purgeable",
            ],
        ]
    }

    func vault(_ request: TestRequest) -> TestResponse {
        // "api-version | query | Required: True"
        // (https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/get-secret/get-secret).
        guard let version = request.query["api-version"], !version.isEmpty else {
            return Self.kvError(400, "BadParameter", "The api-version query parameter is required.")
        }
        // Key Vault answers 401 to a request without a valid bearer token, with a challenge naming the authority
        // and resource (https://learn.microsoft.com/en-us/azure/key-vault/general/rest-error-codes,
        // "HTTP 401: Unauthenticated Request").
        guard let token = request.authorization(), state.withLock({ $0.tokens.contains(token) }) else {
            return TestResponse(
                status: 401,
                headers: [
                    (
                        "WWW-Authenticate",
                        "Bearer authorization=\"\(url)/\(Self.tenant)\", resource=\"https://vault.azure.net\""
                    ),
                    ("Content-Type", "application/json"),
                ],
                body: Array(
                    (#"{"error":{"code":"Unauthorized","#
                        + #""message":"AKV10000: Request is missing a Bearer or PoP token."}}"#).utf8))
        }
        let parts = request.path.split(separator: "/").map(String.init)
        if parts == ["secrets"], request.method == "GET" { return list(request) }
        guard parts.count >= 2 else { return Self.kvError(400, "BadParameter", "unsupported request") }
        let name = parts[1]
        if state.withLock({ $0.denied.contains(name) }) {
            // https://learn.microsoft.com/en-us/azure/key-vault/general/rest-error-codes ("HTTP 403: Insufficient
            // Permissions").
            return Self.kvError(
                403, "Forbidden",
                "The user, group or application does not have secrets \(request.method == "GET" ? "get" : "set") "
                    + "permission on key vault.",
                inner: "ForbiddenByPolicy")
        }
        switch request.method {
        case "GET" where parts.count <= 3:
            return state.withLock { state -> TestResponse in
                // 404 SecretNotFound for a missing secret or version (get-secret "Other Status Codes", error
                // shape as in https://learn.microsoft.com/en-us/azure/key-vault/general/rest-error-codes).
                guard let secret = state.secrets[name],
                    let v = parts.count == 3 ? secret.versions.first(where: { $0.id == parts[2] }) : secret.current
                else {
                    return Self.kvError(
                        404, "SecretNotFound",
                        "A secret with (name/id) \(name)\(parts.count == 3 ? "/" + parts[2] : "") was not found in "
                            + "this key vault."
                    )
                }
                // A disabled secret or version: 403 Forbidden / SecretDisabled ("Operation get is not allowed on a
                // disabled secret.", Azure/azure-sdk-for-js#24756).
                guard v.enabled else {
                    return Self.kvError(
                        403, "Forbidden", "Operation get is not allowed on a disabled secret.", inner: "SecretDisabled")
                }
                return .json(200, bundle(name, secret, v))
            }
        case "PUT" where parts.count == 2:
            // Set Secret: `value` is required
            // (https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/set-secret/set-secret).
            guard let value = request.json?["value"] as? String else {
                return Self.kvError(400, "BadParameter", "Property value is required.")
            }
            let tags = request.json?["tags"] as? [String: String]
            set(name, value, tags: tags)
            return state.withLock { state in
                .json(200, bundle(name, state.secrets[name]!, state.secrets[name]!.current))
            }
        case "DELETE" where parts.count == 2:
            // Delete Secret: 200 with the deleted bundle, 404 SecretNotFound
            // (https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/delete-secret/delete-secret).
            return state.withLock { state -> TestResponse in
                guard let secret = state.secrets.removeValue(forKey: name) else {
                    return Self.kvError(
                        404, "SecretNotFound", "A secret with (name/id) \(name) was not found in this key vault.")
                }
                var deleted = bundle(name, secret, secret.current)
                deleted.removeValue(forKey: "value")
                deleted["recoveryId"] = "\(url)/deletedsecrets/\(name)"
                return .json(200, deleted)
            }
        default:
            return Self.kvError(405, "MethodNotAllowed", "unsupported request")
        }
    }

    /// Get Secrets: at most `maxresults` (default and maximum 25) items per page, the rest behind `nextLink`
    /// (https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/get-secrets/get-secrets).
    func list(_ request: TestRequest) -> TestResponse {
        let (names, pageSize, secrets) = state.withLock { ($0.secrets.keys.sorted(), $0.pageSize, $0.secrets) }
        var size = min(pageSize, 25)
        if let max = request.query["maxresults"] {
            guard let n = Int(max), (1...25).contains(n) else {
                return Self.kvError(400, "BadParameter", "maxresults must be between 1 and 25.")
            }
            size = min(size, n)
        }
        var start = 0
        if let skip = request.query["$skiptoken"] {
            guard let n = Int(skip.dropFirst("page-".count)), skip.hasPrefix("page-"), n <= names.count else {
                return Self.kvError(400, "BadParameter", "The skip token is not valid.")
            }
            start = n
        }
        let page = names[start..<min(names.count, start + size)]
        var body: [String: Any] = [
            "value": page.map { name -> [String: Any] in
                let secret = secrets[name]!
                return [
                    "id": "\(url)/secrets/\(name)", "tags": secret.tags,
                    "attributes": [
                        "enabled": secret.current.enabled, "created": 1_482_189_047, "updated": 1_482_189_047,
                    ],
                ]
            }
        ]
        let next = start + page.count
        body["nextLink"] =
            next < names.count ? "\(url)/secrets?api-version=7.4&$skiptoken=page-\(next)&maxresults=\(size)" : NSNull()
        return .json(200, body)
    }
}
