import Crypto
import EskitCore
import Foundation
import _CryptoExtras

/// A service-account key file (`"type": "service_account"`), as `gcloud iam service-accounts keys create` writes
/// it. Only the fields the JWT grant needs are kept; the private key is never printed.
public struct GCPServiceAccountKey: Sendable {
    public var clientEmail: String
    /// PEM (PKCS #8 as Google issues it, or PKCS #1).
    public var privateKeyPEM: String
    public var privateKeyID: String?
    /// Where the signed JWT is exchanged for an access token (`https://oauth2.googleapis.com/token`).
    public var tokenURI: String

    public init(clientEmail: String, privateKeyPEM: String, privateKeyID: String? = nil, tokenURI: String) {
        self.clientEmail = clientEmail
        self.privateKeyPEM = privateKeyPEM
        self.privateKeyID = privateKeyID
        self.tokenURI = tokenURI
    }

    /// Reads a key file's JSON. Errors name the missing field, never a value.
    public init(json bytes: [UInt8]) throws(ProviderError) {
        guard let json = CloudSupport.json(bytes) else {
            throw .invalidConfiguration(detail: "the GCP service-account key is not a JSON object")
        }
        if let type = json["type"] as? String, type != "service_account" {
            throw .invalidConfiguration(detail: "the GCP credentials are of type `\(type)`, not `service_account`")
        }
        guard let email = json["client_email"] as? String, !email.isEmpty else {
            throw .invalidConfiguration(detail: "the GCP service-account key has no `client_email`")
        }
        guard let pem = json["private_key"] as? String, !pem.isEmpty else {
            throw .invalidConfiguration(detail: "the GCP service-account key has no `private_key`")
        }
        self.init(
            clientEmail: email, privateKeyPEM: pem, privateKeyID: json["private_key_id"] as? String,
            tokenURI: (json["token_uri"] as? String) ?? "https://oauth2.googleapis.com/token")
    }
}

/// Google's OAuth 2.0 for service accounts: an RS256-signed JWT exchanged at the key's `token_uri`
/// (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests).
enum GoogleJWT {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"

    /// The signed assertion: header `{alg: RS256, typ: JWT, kid}`, claims `{iss, scope, aud: token_uri, iat, exp}`
    /// with a one-hour lifetime (the most Google accepts).
    static func assertion(_ key: GCPServiceAccountKey, now: Date = Date()) throws(ProviderError) -> String {
        var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
        if let kid = key.privateKeyID { header["kid"] = kid }
        let iat = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": key.clientEmail, "scope": scope, "aud": key.tokenURI, "iat": iat, "exp": iat + 3600,
        ]
        return try sign(header: header, claims: claims, pem: key.privateKeyPEM)
    }

    /// `base64url(header).base64url(claims).base64url(RSASSA-PKCS1-v1_5 SHA-256 signature)`.
    static func sign(header: [String: Any], claims: [String: Any], pem: String) throws(ProviderError) -> String {
        let input =
            CloudSupport.base64URL(CloudSupport.encode(header)) + "."
            + CloudSupport.base64URL(CloudSupport.encode(claims))
        let signature: [UInt8]
        do {
            let privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            signature = Array(
                try privateKey.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
        } catch {
            throw .invalidConfiguration(detail: "the GCP service-account `private_key` is not an RSA key in PEM")
        }
        return input + "." + CloudSupport.base64URL(signature)
    }

    /// `POST token_uri` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>`.
    static func requestToken(
        _ key: GCPServiceAccountKey, transport: any HTTPTransport
    ) async throws(ProviderError) -> CachedToken {
        let body = CloudSupport.form([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", try assertion(key)),
        ])
        let response = try await transport.send(
            HTTPRequest(
                "POST", key.tokenURI,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: body, call: "oauth2-token"))
        let json = CloudSupport.json(response.body)
        guard response.status == 200, let token = json?["access_token"] as? String else {
            throw .authFailed(
                detail: "POST \(key.tokenURI): HTTP \(response.status) (\(CloudSupport.oauthError(json)))")
        }
        return CachedToken(value: token, expiresIn: CloudSupport.integer(json?["expires_in"]) ?? 3600)
    }
}

/// CRC32C (Castagnoli), the checksum Secret Manager keeps as `payload.dataCrc32c`.
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Workload identity federation: a federated token (a Kubernetes service-account token, a CI OIDC token) read
/// from a file is exchanged at Google's Security Token Service for a federated access token, then optionally for a
/// service account's access token (impersonation). This is the `external_account` credential configuration
/// `gcloud iam workload-identity-pools create-cred-config` writes
/// (https://cloud.google.com/iam/docs/workload-identity-federation-with-kubernetes).
public struct GCPWorkloadIdentityFederation: Sendable {
    /// `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.
    public var audience: String
    /// The file the federated token is read from (again at each exchange: the kubelet rotates it).
    public var subjectTokenFile: String
    public var subjectTokenType: String
    /// The STS token endpoint (`https://sts.googleapis.com/v1/token`).
    public var tokenURL: String
    /// `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/<email>:generateAccessToken`, or nil
    /// to use the federated token directly (direct resource access).
    public var serviceAccountImpersonationURL: String?

    public init(
        audience: String, subjectTokenFile: String,
        subjectTokenType: String = "urn:ietf:params:oauth:token-type:jwt",
        tokenURL: String = "https://sts.googleapis.com/v1/token", serviceAccountImpersonationURL: String? = nil
    ) {
        self.audience = audience
        self.subjectTokenFile = subjectTokenFile
        self.subjectTokenType = subjectTokenType
        self.tokenURL = tokenURL
        self.serviceAccountImpersonationURL = serviceAccountImpersonationURL
    }

    /// Reads an `external_account` credential configuration with a file `credential_source`.
    public init(json bytes: [UInt8]) throws(ProviderError) {
        guard let json = CloudSupport.json(bytes), json["type"] as? String == "external_account" else {
            throw .invalidConfiguration(detail: "the GCP credentials are not an `external_account` configuration")
        }
        guard let audience = json["audience"] as? String, !audience.isEmpty else {
            throw .invalidConfiguration(detail: "the GCP external_account configuration has no `audience`")
        }
        guard let file = (json["credential_source"] as? [String: Any])?["file"] as? String, !file.isEmpty else {
            throw .invalidConfiguration(
                detail: "the GCP external_account configuration needs a file `credential_source` (eskit reads no "
                    + "URL or executable sources)")
        }
        self.init(
            audience: audience, subjectTokenFile: file,
            subjectTokenType: (json["subject_token_type"] as? String) ?? "urn:ietf:params:oauth:token-type:jwt",
            tokenURL: (json["token_url"] as? String) ?? "https://sts.googleapis.com/v1/token",
            serviceAccountImpersonationURL: json["service_account_impersonation_url"] as? String)
    }

    /// STS `token` (https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token), then IAM Credentials
    /// `generateAccessToken` when impersonating
    /// (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken).
    func requestToken(transport: any HTTPTransport) async throws(ProviderError) -> CachedToken {
        let subject: String
        do {
            let bytes = try FileReader.input(subjectTokenFile, what: "the federated token", limit: 1 << 20)
            subject = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .invalidConfiguration(detail: error.message)
        }
        let body = CloudSupport.form([
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("audience", audience),
            ("scope", GoogleJWT.scope), ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
            ("subject_token_type", subjectTokenType), ("subject_token", subject),
        ])
        let response = try await transport.send(
            HTTPRequest(
                "POST", tokenURL,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: body, call: "sts-token"))
        let json = CloudSupport.json(response.body)
        guard response.status == 200, let federated = json?["access_token"] as? String else {
            throw .authFailed(detail: "POST \(tokenURL): HTTP \(response.status) (\(CloudSupport.oauthError(json)))")
        }
        let federatedToken = CachedToken(value: federated, expiresIn: CloudSupport.integer(json?["expires_in"]) ?? 3600)
        guard let impersonation = serviceAccountImpersonationURL else { return federatedToken }
        let generated = try await transport.send(
            HTTPRequest(
                "POST", impersonation,
                headers: [
                    ("Authorization", "Bearer " + federated), ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                ],
                body: CloudSupport.encode(["scope": [GoogleJWT.scope], "lifetime": "3600s"]),
                call: "generateAccessToken"))
        let result = CloudSupport.json(generated.body)
        guard generated.status == 200, let token = result?["accessToken"] as? String else {
            let status = ((result?["error"] as? [String: Any])?["status"] as? String) ?? "no status"
            throw .authFailed(
                detail: "generateAccessToken: HTTP \(generated.status) (\(status)): the federated identity may not "
                    + "impersonate the service account")
        }
        var lifetime: Int64 = 3600
        if let expire = result?["expireTime"] as? String, let date = ISO8601DateFormatter().date(from: expire) {
            lifetime = Int64(date.timeIntervalSinceNow)
        }
        return CachedToken(value: token, expiresIn: lifetime)
    }
}
