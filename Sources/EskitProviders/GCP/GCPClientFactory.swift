import EskitCore
import EskitYAML
import Foundation

/// Secret Manager clients from a store's `gcpsm` block (`projectID`, `location`). Credentials come from the
/// credentials file (`accessToken`, `serviceAccountKey` as the key file's JSON, or `serviceAccountKeyFile` as its
/// path; `endpoint` to reach another API host), then GOOGLE_OAUTH_ACCESS_TOKEN and GOOGLE_APPLICATION_CREDENTIALS
/// (a service-account key file). GKE workload identity and workload identity federation are not used outside the
/// cluster: give an access token (`gcloud auth print-access-token`) instead.
struct GCPClientFactory: ProviderClientFactory {
    let family = "gcpsm"

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        let block = store.block
        let name = store.name
        guard let project = block["projectID"]?.scalarValue, !project.isEmpty else {
            throw .invalidConfiguration(detail: "\(store.display): gcpsm needs `projectID`")
        }
        let auth: GCPCredentials
        if let token = credentials.value(store: name, field: "accessToken") {
            auth = .accessToken(token)
        } else if let json = credentials.value(store: name, field: "serviceAccountKey") {
            auth = .serviceAccountKey(try GCPServiceAccountKey(json: Array(json.utf8)))
        } else if let file = credentials.value(store: name, field: "serviceAccountKeyFile"),
            let fromFile = try GCPCredentials.fromEnvironment(["GOOGLE_APPLICATION_CREDENTIALS": file])
        {
            auth = fromFile
        } else if let found = try GCPCredentials.fromEnvironment(credentials.environment) {
            auth = found
        } else {
            throw .authFailed(
                detail: "\(store.display): no GCP credentials: set GOOGLE_OAUTH_ACCESS_TOKEN or "
                    + "GOOGLE_APPLICATION_CREDENTIALS, or `accessToken` / `serviceAccountKeyFile` in --credentials "
                    + "(never from the repository)")
        }
        let config = GCPSecretManagerConfig(
            projectID: project, location: block["location"]?.scalarValue,
            endpoint: credentials.value(store: name, field: "endpoint"))
        return GCPSecretManagerProvider(
            config: config, credentials: auth, transport: try HTTPClientTransport(options: options))
    }
}
