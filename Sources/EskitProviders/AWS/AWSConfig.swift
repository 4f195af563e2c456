import Foundation

/// An AWS store as ESO's `aws` provider block describes it (`service`, `region`, `role`), plus the endpoint
/// overrides eskit needs to talk to a local emulator (moto) or a VPC endpoint.
public struct AWSConfig: Sendable {
    /// ESO's `spec.provider.aws.service`.
    public enum Service: String, Sendable, CaseIterable {
        case secretsManager = "SecretsManager"
        case parameterStore = "ParameterStore"

        /// The SigV4 signing name.
        public var signingName: String { self == .secretsManager ? "secretsmanager" : "ssm" }
        /// The `X-Amz-Target` prefix of the JSON 1.1 protocol.
        var targetPrefix: String { self == .secretsManager ? "secretsmanager" : "AmazonSSM" }
        /// ESO's metric `provider` label.
        public var providerLabel: String { "AWS/\(rawValue)" }
        /// The service's `AWS_ENDPOINT_URL_<SERVICE>` variable (AWS SDKs' service-specific endpoints).
        public var endpointVariable: String {
            self == .secretsManager ? "AWS_ENDPOINT_URL_SECRETS_MANAGER" : "AWS_ENDPOINT_URL_SSM"
        }
    }

    public var service: Service
    /// `us-east-1`: signs every request and picks the default endpoints.
    public var region: String
    /// An IAM role assumed with STS `AssumeRole` over the base credentials (ESO `role`); nil = none.
    public var role: String?
    /// `ExternalId` of that AssumeRole (ESO `externalID`).
    public var externalID: String?
    /// The service endpoint (`http://127.0.0.1:5000`); nil = `https://secretsmanager.<region>.amazonaws.com`
    /// or `https://ssm.<region>.amazonaws.com`.
    public var endpoint: String?
    /// The STS endpoint; nil = `https://sts.<region>.amazonaws.com`.
    public var stsEndpoint: String?
    /// DeleteSecret without the recovery window (ESO `secretsManager.forceDeleteWithoutRecovery`).
    public var forceDeleteWithoutRecovery = false
    /// DeleteSecret's recovery window, 7–30 days (ESO `secretsManager.recoveryWindowInDays`); nil = AWS's 30.
    public var recoveryWindowInDays: Int?

    public init(
        service: Service, region: String, role: String? = nil, endpoint: String? = nil,
        stsEndpoint: String? = nil, externalID: String? = nil
    ) {
        self.service = service
        self.region = region
        self.role = role.flatMap { $0.isEmpty ? nil : $0 }
        self.endpoint = endpoint.map(Self.trimmed)
        self.stsEndpoint = stsEndpoint.map(Self.trimmed)
        self.externalID = externalID
    }

    /// This configuration with endpoints from the environment where not set already: the service's
    /// `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_STS`, then
    /// `AWS_ENDPOINT_URL` for both (the AWS SDKs' names).
    public func withEndpoints(from environment: [String: String]) -> AWSConfig {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var copy = self
        copy.endpoint = copy.endpoint ?? (env(service.endpointVariable) ?? env("AWS_ENDPOINT_URL")).map(Self.trimmed)
        copy.stsEndpoint =
            copy.stsEndpoint ?? (env("AWS_ENDPOINT_URL_STS") ?? env("AWS_ENDPOINT_URL")).map(Self.trimmed)
        return copy
    }

    /// The service endpoint in use.
    public var serviceURL: String {
        endpoint ?? "https://\(service == .secretsManager ? "secretsmanager" : "ssm").\(region).amazonaws.com"
    }

    /// The STS endpoint in use.
    public var stsURL: String { stsEndpoint ?? "https://sts.\(region).amazonaws.com" }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
