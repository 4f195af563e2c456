public import EskitCore
public import EskitYAML

/// Azure Key Vault.
public struct AzureKVFamily: ProviderFamily {
    public init() {}
    public let name = "azurekv"
    public let summary = "Azure Key Vault."
    public let hasStarter = true
    public let keySyntax = "the secret name (`db-password`), or `secret/<name>`, `cert/<name>`, `key/<name>`"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "WorkloadIdentity", path: [], selector: ("authType", "WorkloadIdentity"),
            required: ["serviceAccountRef"], usesServiceAccount: true,
            validateCredentials: "AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE (or --sa-token)"),
        AuthKind(
            name: "ManagedIdentity", path: [], selector: ("authType", "ManagedIdentity"),
            validateCredentials: "not available outside Azure: use client credentials"),
        AuthKind(
            name: "ServicePrincipal", path: ["authSecretRef"],
            validateCredentials: "AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID"),
    ]
    public let accountAnnotations = [
        AccountAnnotation(
            field: "azureClientId", annotation: "azure.workload.identity/client-id",
            description: "Azure workload identity: sets `azure.workload.identity/client-id`."),
        AccountAnnotation(
            field: "azureTenantId", annotation: "azure.workload.identity/tenant-id",
            description: "Azure workload identity: sets `azure.workload.identity/tenant-id`."),
    ]
    public let validateChecks = [
        "token (client credentials or workload identity federation)", "secret and version exist and are enabled",
        "property inside a JSON value", "dataFrom.find (name regexp, tags) matches at least one secret",
    ]

    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] {
        if context.block["authType"]?.scalarValue == "WorkloadIdentity", context.block["serviceAccountRef"] == nil {
            return [context.error(context.block, "azurekv authType WorkloadIdentity needs `serviceAccountRef`")]
        }
        return []
    }

    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] {
        var name = Substring(key)
        for prefix in ["secret/", "cert/", "key/"] where name.hasPrefix(prefix) { name = name.dropFirst(prefix.count) }
        let valid =
            !name.isEmpty && name.count <= 127
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return valid
            ? []
            : [
                .error(
                    file, keyNode.start,
                    "\(who): remote key `\(key)` is not a Key Vault object name (1-127 letters, digits and `-`, "
                        + "optionally after `secret/`, `cert/` or `key/`)"
                )
            ]
    }
}
