import EskitCore
import EskitYAML
import Foundation

/// AWS clients from a store's `aws` block (ESO v1: `service`, `region`, `role`, `externalID`, `auth.secretRef`,
/// `auth.jwt`, `secretsManager.forceDeleteWithoutRecovery` / `recoveryWindowInDays`). Credentials, first match:
/// - `accessKeyID` + `secretAccessKey` (+ `sessionToken`) in the credentials file;
/// - `auth.jwt` (IRSA): web identity with the token of AWS_WEB_IDENTITY_TOKEN_FILE or `--sa-token`, for the role
///   AWS_ROLE_ARN, `roleArn` in the credentials file, or the store's `role`;
/// - the AWS SDKs' chain over the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
///   AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, AWS_PROFILE with the shared credentials and config files).
/// The store's `role` is then assumed with STS AssumeRole (`externalID` as ExternalId), unless the web identity
/// already is that role. The region is the store's, else AWS_REGION / AWS_DEFAULT_REGION / the profile's.
/// Endpoints: `endpoint` / `stsEndpoint` in the credentials file, else AWS_ENDPOINT_URL_SECRETS_MANAGER /
/// AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (a local emulator or a VPC endpoint).
struct AWSClientFactory: ProviderClientFactory {
    let family = "aws"

    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider {
        let block = store.block
        let name = store.name
        let serviceName = block["service"]?.scalarValue ?? AWSConfig.Service.secretsManager.rawValue
        guard let service = AWSConfig.Service(rawValue: serviceName) else {
            throw .invalidConfiguration(
                detail: "\(store.display): aws `service` `\(serviceName)` is not SecretsManager or ParameterStore")
        }
        guard
            let region = block["region"]?.scalarValue.flatMap({ $0.isEmpty ? nil : $0 })
                ?? AWSCredentialSource.region(environment: credentials.environment)
        else {
            throw .invalidConfiguration(detail: "\(store.display): aws needs `region` (or AWS_REGION)")
        }
        let role = block["role"]?.scalarValue.flatMap { $0.isEmpty ? nil : $0 }
        var config = AWSConfig(
            service: service, region: region, role: role,
            endpoint: credentials.value(store: name, field: "endpoint"),
            stsEndpoint: credentials.value(store: name, field: "stsEndpoint"),
            externalID: block["externalID"]?.scalarValue.flatMap { $0.isEmpty ? nil : $0 }
        ).withEndpoints(from: credentials.environment)
        if let manager = block["secretsManager"] {
            config.forceDeleteWithoutRecovery = manager["forceDeleteWithoutRecovery"]?.scalarValue == "true"
            config.recoveryWindowInDays = manager["recoveryWindowInDays"]?.scalarValue.flatMap { Int($0) }
        }
        let source = try Self.credentials(store, role: role, credentials: credentials)
        return AWSProvider(config: config, credentials: source, transport: try AWSProvider.transport(options: options))
    }

    static func credentials(
        _ store: StoreBinding, role: String?,
        credentials: CredentialSource
    ) throws(ProviderError) -> AWSCredentialSource {
        let name = store.name
        func missing(_ what: String) -> ProviderError {
            .authFailed(
                detail: "\(store.display): \(what) (eskit reads credentials from the environment, "
                    + "--credentials or --sa-token, never from the repository)")
        }
        if let id = credentials.value(store: name, field: "accessKeyID"),
            let secret = credentials.value(store: name, field: "secretAccessKey")
        {
            return .fixed(
                AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret,
                    sessionToken: credentials.value(store: name, field: "sessionToken")))
        }
        let environment = credentials.environment
        func env(_ variable: String) -> String? { environment[variable].flatMap { $0.isEmpty ? nil : $0 } }
        let hasKeys = env("AWS_ACCESS_KEY_ID") != nil && env("AWS_SECRET_ACCESS_KEY") != nil
        if store.block["auth"]?["jwt"] != nil, !hasKeys {
            guard let file = env("AWS_WEB_IDENTITY_TOKEN_FILE") ?? credentials.serviceAccountTokenFile else {
                throw missing("aws jwt auth needs a service-account token: AWS_WEB_IDENTITY_TOKEN_FILE or --sa-token")
            }
            guard let roleARN = env("AWS_ROLE_ARN") ?? credentials.value(store: name, field: "roleArn") ?? role else {
                throw missing("aws jwt auth needs the IAM role: AWS_ROLE_ARN, `roleArn` in --credentials or `role`")
            }
            return .webIdentity(
                roleARN: roleARN, tokenFile: file,
                sessionName: env("AWS_ROLE_SESSION_NAME") ?? AWSCredentialSource.defaultSessionName)
        }
        do throws(ProviderError) {
            return try AWSCredentialSource.fromEnvironment(environment)
        } catch .authFailed(let detail) {
            throw missing(detail)
        }
    }
}
