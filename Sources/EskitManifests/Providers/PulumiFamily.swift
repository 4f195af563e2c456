public import EskitCore
public import EskitYAML

/// Pulumi ESC environments.
public struct PulumiFamily: ProviderFamily {
    public init() {}
    public let name = "pulumi"
    public let summary = "Pulumi ESC."
    public let hasStarter = true
    public let inventoryRequired = ["organization", "project", "environment"]
    public let keySyntax = "a property path into the environment's `values` (`app.db.password`)"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "accessToken", path: ["auth", "accessToken"],
            validateCredentials: "PULUMI_ACCESS_TOKEN"),
        AuthKind(
            name: "oidcConfig", path: ["auth", "oidcConfig"],
            validateCredentials: "PULUMI_ACCESS_TOKEN (an OIDC exchange needs the cluster's token)"),
    ]
    public let validateChecks = [
        "the environment opens (one session per run)", "each property path exists in the opened values",
    ]

    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] {
        guard let token = context.block["accessToken"] else { return [] }
        return [
            context.warning(token, "pulumi `accessToken` at the provider root is deprecated; use `auth.accessToken`")
        ]
    }
}
