import EskitCore
import EskitYAML
import Foundation

/// Key Vault clients from a store's `azurekv` block (`vaultUrl`, `tenantId`, `authType`, `environmentType`).
/// Credentials come from the credentials file (`clientId`, `clientSecret`, `tenantId`, `accessToken`), then the
/// variables the Azure SDKs read (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID,
/// AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST), and for `authType: WorkloadIdentity` the token of
/// `--sa-token` as the federated token. An `accessToken` in the credentials file wins over the store's method.
/// `ManagedIdentity` only works on an Azure host and is refused with a hint.
struct AzureClientFactory: ProviderClientFactory {
    let family = "azurekv"

    /// ESO's `environmentType`: the authority and Key Vault resource of each cloud.
    static let clouds: [String: (authority: String, resource: String)] = [
        "PublicCloud": ("https://login.microsoftonline.com", "https://vault.azure.net"),
        "USGovernmentCloud": ("https://login.microsoftonline.us", "https://vault.usgovcloudapi.net"),
        "ChinaCloud": ("https://login.chinacloudapi.cn", "https://vault.azure.cn"),
        "GermanCloud": ("https://login.microsoftonline.de", "https://vault.microsoftazure.de"),
    ]

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        let block = store.block
        let name = store.name
        guard let vaultURL = block["vaultUrl"]?.scalarValue, !vaultURL.isEmpty else {
            throw .invalidConfiguration(detail: "\(store.display): azurekv needs `vaultUrl`")
        }
        let cloudName = block["environmentType"]?.scalarValue ?? "PublicCloud"
        guard let cloud = Self.clouds[cloudName] else {
            throw .invalidConfiguration(
                detail: "\(store.display): environmentType `\(cloudName)` is not one of "
                    + Self.clouds.keys.sorted().joined(separator: ", "))
        }
        func missing(_ what: String) -> ProviderError {
            .authFailed(
                detail: "\(store.display): \(what) (eskit reads credentials from the environment, "
                    + "--credentials or --sa-token, never from the repository)")
        }
        let tenant =
            credentials.value(store: name, field: "tenantId", environment: ["AZURE_TENANT_ID"])
            ?? block["tenantId"]?.scalarValue
        let authType = block["authType"]?.scalarValue ?? "ServicePrincipal"
        let clientID = credentials.value(store: name, field: "clientId", environment: ["AZURE_CLIENT_ID"])
        let auth: AzureCredentials
        if let token = credentials.value(store: name, field: "accessToken") {
            auth = .accessToken(token)
        } else {
            switch authType {
            case "ServicePrincipal":
                guard let clientID else { throw missing("a service principal needs AZURE_CLIENT_ID or `clientId`") }
                guard
                    let secret = credentials.value(
                        store: name, field: "clientSecret", environment: ["AZURE_CLIENT_SECRET"])
                else { throw missing("a service principal needs AZURE_CLIENT_SECRET or `clientSecret`") }
                auth = .clientSecret(clientID: clientID, clientSecret: secret)
            case "WorkloadIdentity":
                guard let clientID else { throw missing("workload identity needs AZURE_CLIENT_ID or `clientId`") }
                guard
                    let file = credentials.environment["AZURE_FEDERATED_TOKEN_FILE"].flatMap({ $0.isEmpty ? nil : $0 })
                        ?? credentials.serviceAccountTokenFile
                else { throw missing("workload identity needs AZURE_FEDERATED_TOKEN_FILE or --sa-token FILE") }
                auth = .workloadIdentity(clientID: clientID, tokenFile: file)
            default:
                throw .invalidConfiguration(
                    detail: "\(store.display): azurekv authType `\(authType)` only works on an Azure host; give "
                        + "a service principal or an `accessToken` in --credentials instead")
            }
        }
        guard let tenant else {
            if case .accessToken = auth {
                return AzureKeyVaultProvider(
                    config: AzureKeyVaultConfig(vaultURL: vaultURL, tenantID: "", resource: cloud.resource),
                    credentials: auth, transport: try HTTPClientTransport(options: options))
            }
            throw missing("Key Vault logins need a tenant: `tenantId` in the store, AZURE_TENANT_ID or --credentials")
        }
        let authority = credentials.environment["AZURE_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        let config = AzureKeyVaultConfig(
            vaultURL: vaultURL, tenantID: tenant, authorityHost: authority ?? cloud.authority,
            resource: cloud.resource)
        return AzureKeyVaultProvider(
            config: config, credentials: auth, transport: try HTTPClientTransport(options: options))
    }
}
