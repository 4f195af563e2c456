import EskitCore
import EskitYAML
import Foundation

/// Pulumi ESC clients from a store's `pulumi` block (`apiUrl`, `organization`, `project`, `environment`). The
/// access token comes from `accessToken` in the credentials file or PULUMI_ACCESS_TOKEN, whatever the store's
/// `auth` (ESO's `oidcConfig` login needs the cluster's service account and is not used here).
struct PulumiClientFactory: ProviderClientFactory {
    let family = "pulumi"

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        let block = store.block
        guard let organization = block["organization"]?.scalarValue, !organization.isEmpty,
            let environment = block["environment"]?.scalarValue, !environment.isEmpty
        else {
            throw .invalidConfiguration(detail: "\(store.display): pulumi needs `organization` and `environment`")
        }
        guard
            let token = credentials.value(store: store.name, field: "accessToken", environment: ["PULUMI_ACCESS_TOKEN"])
        else {
            throw .authFailed(
                detail: "\(store.display): no Pulumi access token: set PULUMI_ACCESS_TOKEN or `accessToken` in "
                    + "--credentials (never from the repository)")
        }
        let config = PulumiESCConfig(
            apiURL: block["apiUrl"]?.scalarValue, organization: organization,
            project: block["project"]?.scalarValue ?? "default", environment: environment)
        return PulumiESCProvider(
            config: config, credentials: .accessToken(token), transport: try HTTPClientTransport(options: options))
    }
}
