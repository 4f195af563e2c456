public import EskitCore
public import EskitYAML

/// AWS Secrets Manager and Systems Manager Parameter Store.
public struct AWSFamily: ProviderFamily {
    public init() {}
    public let name = "aws"
    public let summary = "AWS Secrets Manager or Parameter Store."
    public let hasStarter = true
    public let inventoryRequired = ["service", "region"]
    /// Without `auth`, ESO uses the controller's AWS credentials: IRSA on the controller's service account.
    public let usesControllerIdentityWithoutAuth = true
    public let keySyntax =
        "Secrets Manager: the secret name or ARN (`prod/app/db`); Parameter Store: the parameter name (`/prod/app/db`)"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "jwt", path: ["auth", "jwt"], required: ["serviceAccountRef"], usesServiceAccount: true,
            validateCredentials:
                "web identity: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, or --sa-token FILE with the store's role"),
        AuthKind(
            name: "secretRef", path: ["auth", "secretRef"],
            required: ["accessKeyIDSecretRef", "secretAccessKeySecretRef"],
            validateCredentials: "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a profile) in the environment"),
    ]
    public let accountAnnotations = [
        AccountAnnotation(
            field: "awsRoleArn", annotation: "eks.amazonaws.com/role-arn",
            description: "IRSA: sets `eks.amazonaws.com/role-arn`.", pattern: "^arn:")
    ]
    public let validateChecks = [
        "credentials (STS GetCallerIdentity through the first read)",
        "secret / parameter exists (batched: 20 / 10 per call)",
        "version id or staging label exists", "secret not scheduled for deletion", "property inside a JSON value",
        "dataFrom.find (name prefix, tags, path) matches at least one key",
    ]

    /// Characters AWS accepts in a Secrets Manager secret name and in a parameter name.
    static let secretNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-")
    static let parameterNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.-")

    /// IRSA: ESO's `jwt` auth assumes the role named by the service account's `eks.amazonaws.com/role-arn`
    /// annotation (unless the store sets `role`); the generated account must carry it, or ESO cannot log in.
    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] {
        var out = checkAuthRequirements(context)
        if context.block["auth"]?["jwt"] != nil, context.block["role"] == nil {
            let settings = context.store.node["serviceAccount"]
            let annotated =
                settings?["awsRoleArn"] != nil
                || settings?["annotations"]?["eks.amazonaws.com/role-arn"] != nil
            if !annotated {
                out.append(
                    context.error(
                        context.block["auth"]?["jwt"],
                        "aws `jwt` auth (IRSA) needs the IAM role: set "
                            + "`serviceAccount.awsRoleArn` on the store (eskit writes it as the "
                            + "`eks.amazonaws.com/role-arn` "
                            + "annotation of the generated service account) or `role` in the aws block"))
            }
        }
        return out
    }

    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] {
        let service = store.node["provider"]?[name]?["service"]?.scalarValue
        if key.hasPrefix("arn:") { return [] }
        let (allowed, what) =
            service == "ParameterStore"
            ? (Self.parameterNameCharacters, "a parameter name") : (Self.secretNameCharacters, "a secret name")
        if let bad = key.first(where: { !allowed.contains($0) }) {
            return [
                .error(
                    file, keyNode.start,
                    "\(who): remote key `\(key)` cannot be \(what) in AWS \(service ?? "SecretsManager") (character "
                        + "`\(bad)`)"
                )
            ]
        }
        return []
    }
}
