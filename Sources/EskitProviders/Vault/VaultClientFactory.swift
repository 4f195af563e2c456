import EskitCore
import EskitYAML
import Foundation

/// Vault / OpenBao clients from a store's `vault` block. A token given by VAULT_TOKEN or `token` in the
/// credentials file is used whatever the store's auth; otherwise credentials follow the store's auth kind:
/// - `tokenSecretRef` (or no auth block): VAULT_TOKEN, or `token` in the credentials file;
/// - `appRole`: the store's `roleId`, and VAULT_SECRET_ID or `secretId` in the credentials file (`roleId` there
///   overrides a store that uses `roleRef`);
/// - `kubernetes`: the store's `role` and `mountPath`, and the token of `--sa-token`;
/// - `jwt`: the store's `role` and `path`, and `jwt` in the credentials file or the token of `--sa-token`.
/// VAULT_ADDR replaces the store's `server` (a tunnel or a local OpenBao in CI); VAULT_NAMESPACE its namespace.
struct VaultClientFactory: ProviderClientFactory {
    let family = "vault"

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        let block = store.block
        guard
            let server = credentials.environment["VAULT_ADDR"].flatMap({ $0.isEmpty ? nil : $0 })
                ?? block["server"]?.scalarValue
        else {
            throw .invalidConfiguration(detail: "\(store.display): vault needs `server`")
        }
        let auth = try Self.auth(block["auth"], store: store, credentials: credentials)
        var transportOptions = options
        if let bundle = block["caBundle"]?.scalarValue, let pem = Base64Text.decode(bundle) {
            transportOptions.caPEM = pem
        }
        let config = VaultConfig(
            server: server, mount: block["path"]?.scalarValue ?? "secret",
            kvVersion: block["version"]?.scalarValue ?? "v2",
            namespace: credentials.environment["VAULT_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? block["namespace"]?.scalarValue,
            auth: auth)
        return VaultProvider(config: config, transport: try HTTPClientTransport(options: transportOptions))
    }

    static func auth(
        _ node: YAMLNode?, store: StoreBinding,
        credentials: CredentialSource
    ) throws(ProviderError) -> VaultAuth {
        let name = store.name
        func missing(_ what: String) -> ProviderError {
            .authFailed(
                detail: "\(store.display): \(what) (eskit reads credentials from the environment, "
                    + "--credentials or --sa-token, never from the repository)")
        }
        // A token given explicitly wins over the store's method: CI validates with a read-only token even when the
        // in-cluster store logs in with Kubernetes auth.
        if let token = credentials.value(store: name, field: "token", environment: ["VAULT_TOKEN"]) {
            return .token(token)
        }
        if let appRole = node?["appRole"] {
            guard let roleID = credentials.value(store: name, field: "roleId") ?? appRole["roleId"]?.scalarValue else {
                throw missing("appRole needs a role id: `roleId` in the store or the credentials file")
            }
            guard let secretID = credentials.value(store: name, field: "secretId", environment: ["VAULT_SECRET_ID"])
            else { throw missing("appRole needs a secret id: VAULT_SECRET_ID or `secretId` in --credentials") }
            return .appRole(mount: appRole["path"]?.scalarValue ?? "approle", roleID: roleID, secretID: secretID)
        }
        if let kubernetes = node?["kubernetes"] {
            guard let role = kubernetes["role"]?.scalarValue else { throw missing("kubernetes auth needs `role`") }
            var token = credentials.value(store: name, field: "jwt")
            if token == nil { token = try credentials.serviceAccountToken() }
            guard let jwt = token else {
                throw missing("kubernetes auth needs a service-account token: --sa-token FILE")
            }
            return .kubernetes(mount: kubernetes["mountPath"]?.scalarValue ?? "kubernetes", role: role, jwt: jwt)
        }
        if let jwtNode = node?["jwt"] {
            var token = credentials.value(store: name, field: "jwt")
            if token == nil { token = try credentials.serviceAccountToken() }
            guard let jwt = token else {
                throw missing("jwt auth needs a token: `jwt` in --credentials or --sa-token FILE")
            }
            return .jwt(mount: jwtNode["path"]?.scalarValue ?? "jwt", role: jwtNode["role"]?.scalarValue, jwt: jwt)
        }
        if let other = node?.pairs?.first?.key.scalarValue, other != "tokenSecretRef" {
            throw .invalidConfiguration(
                detail: "\(store.display): vault auth `\(other)` is not supported by eskit "
                    + "validate; give a token instead (VAULT_TOKEN or `token` in --credentials)")
        }
        guard let token = credentials.value(store: name, field: "token", environment: ["VAULT_TOKEN"]) else {
            throw missing("no Vault token: set VAULT_TOKEN or `token` in --credentials")
        }
        return .token(token)
    }
}

/// Base64 text (ESO's `caBundle` is base64 of PEM).
enum Base64Text {
    static func decode(_ text: String) -> String? {
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
