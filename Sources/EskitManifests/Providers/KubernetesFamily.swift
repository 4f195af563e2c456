public import EskitCore
public import EskitYAML

/// Secrets of another namespace or cluster.
public struct KubernetesFamily: ProviderFamily {
    public init() {}
    public let name = "kubernetes"
    public let summary = "Another Kubernetes cluster or namespace."
    public let keySyntax = "the Secret's name in `remoteNamespace`; `property` is one of its keys"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "serviceAccount", path: ["auth", "serviceAccount"], usesServiceAccount: true,
            validateCredentials: "not checked by validate (needs the cluster)"),
        AuthKind(
            name: "token", path: ["auth", "token"],
            validateCredentials: "not checked by validate (needs the cluster)"),
        AuthKind(
            name: "cert", path: ["auth", "cert"],
            validateCredentials: "not checked by validate (needs the cluster)"),
        AuthKind(
            name: "authRef", path: ["authRef"],
            validateCredentials: "not checked by validate (needs the cluster)"),
    ]
    public let validateChecks: [String] = []

    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] {
        if context.block["auth"] == nil && context.block["authRef"] == nil {
            return [context.error(context.block, "the kubernetes provider needs `auth` or `authRef`")]
        }
        return []
    }
}
