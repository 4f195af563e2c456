public import EskitCore
public import EskitYAML

/// Google Cloud Secret Manager.
public struct GCPSMFamily: ProviderFamily {
    public init() {}
    public let name = "gcpsm"
    public let summary = "Google Secret Manager."
    public let hasStarter = true
    public let inventoryRequired = ["projectID"]
    /// Without `auth`, ESO uses the controller pod's GKE workload identity (its service account's annotation).
    public let usesControllerIdentityWithoutAuth = true
    public let keySyntax = "the secret id (`db-password`); `version` is a number or `latest`"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "workloadIdentity", path: ["auth", "workloadIdentity"], required: ["serviceAccountRef"],
            usesServiceAccount: true,
            validateCredentials:
                "an access token (GOOGLE_OAUTH_ACCESS_TOKEN) or a service-account key file "
                + "(GOOGLE_APPLICATION_CREDENTIALS)"
        ),
        AuthKind(
            name: "workloadIdentityFederation", path: ["auth", "workloadIdentityFederation"],
            validateCredentials: "an access token (GOOGLE_OAUTH_ACCESS_TOKEN)"),
        AuthKind(
            name: "secretRef", path: ["auth", "secretRef"], required: ["secretAccessKeySecretRef"],
            validateCredentials: "a service-account key file (GOOGLE_APPLICATION_CREDENTIALS)"),
    ]
    public let accountAnnotations = [
        AccountAnnotation(
            field: "gcpServiceAccount", annotation: "iam.gke.io/gcp-service-account",
            description: "GKE workload identity: sets `iam.gke.io/gcp-service-account`.",
            pattern: "^.*@.*\\.iam\\.gserviceaccount\\.com$")
    ]
    public let validateChecks = [
        "token (service-account JWT grant or a given access token)", "secret version exists and is enabled",
        "property inside a JSON value", "dataFrom.find (labels, name) matches at least one secret",
    ]

    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] { checkAuthRequirements(context) }

    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] {
        if key.hasPrefix("projects/") { return [] }
        let valid =
            !key.isEmpty && key.count <= 255
            && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return valid
            ? []
            : [
                .error(
                    file, keyNode.start,
                    "\(who): remote key `\(key)` is not a Secret Manager secret id (1-255 letters, digits, `-` and `_`)"
                )
            ]
    }
}
