/// Every lint rule, in the order `--list-rules` and docs/rules.md show them, and the check each one runs.
public enum LintRules {
    public static let all: [LintRule] = [
        yamlSyntax, esoAPIVersion, esoSchema, esoDeprecatedField,
        storeNotFound, storeNamespaceExcluded, duplicateSecretKey, templateKeyUndeclared, targetConflict,
        refreshNever, refreshCostly,
        consumerSecretMissing, consumerKeyMissing, consumerEnvRotation,
        helmRendersESOTemplate, helmOutsideChart,
        vaultHCPVaultSecrets, vaultKVPath, vaultNoAuth, vaultAuthMountPath, awsJWTRoleAnnotation,
        rbacSecretsClusterWide, rbacWildcard, rbacTokenCreate,
        plaintextSecret, esoMetricUnknown,
    ]

    public static func rule(_ id: String) -> LintRule? { all.first { $0.id == id } }

    static func check(_ rule: LintRule, _ c: inout LintContext) {
        switch rule.id {
        case yamlSyntax.id, esoAPIVersion.id, esoSchema.id:
            for p in c.readProblems[rule.id] ?? [] { c.report(p) }
        case storeNotFound.id, storeNamespaceExcluded.id: ReferenceChecks.stores(rule, &c)
        case duplicateSecretKey.id: ReferenceChecks.duplicateKeys(&c)
        case templateKeyUndeclared.id: ReferenceChecks.templateKeys(&c)
        case targetConflict.id: ReferenceChecks.targetConflicts(&c)
        case refreshNever.id, refreshCostly.id: ReferenceChecks.refresh(rule, &c)
        case consumerSecretMissing.id, consumerKeyMissing.id, consumerEnvRotation.id: ConsumerChecks.run(rule, &c)
        case helmRendersESOTemplate.id: HelmChecks.esoInChart(&c)
        case helmOutsideChart.id: HelmChecks.helmOutsideChart(&c)
        case vaultHCPVaultSecrets.id, vaultKVPath.id, vaultNoAuth.id, vaultAuthMountPath.id:
            ProviderChecks.vault(rule, &c)
        case awsJWTRoleAnnotation.id: ProviderChecks.awsJWT(&c)
        case rbacSecretsClusterWide.id, rbacWildcard.id, rbacTokenCreate.id: RBACChecks.run(rule, &c)
        case plaintextSecret.id: PlaintextChecks.run(&c)
        case esoDeprecatedField.id: DeprecationChecks.run(&c)
        case esoMetricUnknown.id: MetricChecks.run(&c)
        default: break
        }
    }

    // MARK: examples

    static func externalSecret(
        name: String = "db", namespace: String = "apps", store: String = "vault", storeKind: String = "SecretStore",
        apiVersion: String = "external-secrets.io/v1", extraSpec: String = "",
        data: String = "    - secretKey: password\n      remoteRef:\n        key: apps/db\n        property: password\n"
    ) -> String {
        """
        apiVersion: \(apiVersion)
        kind: ExternalSecret
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          refreshInterval: 1h
          secretStoreRef:
            kind: \(storeKind)
            name: \(store)
        \(extraSpec)  data:
        \(data)
        """
    }

    static func vaultStore(
        name: String = "vault", namespace: String = "apps", server: String = "https://vault.example.org:8200",
        extra: String = ""
    ) -> String {
        """
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          provider:
            vault:
              server: \(server)
              path: secret
              version: v2
        \(extra)      auth:
                kubernetes:
                  mountPath: kubernetes
                  role: apps

        """
    }

    static func deployment(env: String, name: String = "api", namespace: String = "apps") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          selector:
            matchLabels: {app: \(name)}
          template:
            metadata:
              labels: {app: \(name)}
            spec:
              containers:
                - name: \(name)
                  image: ghcr.io/example/\(name):1.0
        \(env)
        """
    }

    static let secretEnv =
        "          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n"
        + "                  name: db\n                  key: password\n"

    // MARK: the rules

    public static let yamlSyntax = LintRule(
        id: "yaml-syntax", severity: .error, group: "schema",
        summary: "The file is not valid YAML, so nothing in it can be applied.",
        fix: "Correct the syntax at the position shown.",
        positive: [LintExample("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n")],
        negative: [LintExample("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n")])

    public static let esoAPIVersion = LintRule(
        id: "eso-api-version", severity: .error, group: "schema",
        summary:
            "An ESO object uses an apiVersion current ESO no longer serves (`external-secrets.io/v1beta1` stopped "
            + "being served in ESO 0.17): the cluster rejects it.",
        fix:
            "Bump to `external-secrets.io/v1` (no field moves for v1beta1; a v1alpha1 `dataFrom: - key:` becomes "
            + "`dataFrom: - extract: {key:}`, template `engineVersion: v1` must be rewritten for v2).",
        autofix: true,
        positive: [LintExample(externalSecret(apiVersion: "external-secrets.io/v1beta1"))],
        negative: [LintExample(externalSecret())])

    public static let esoSchema = LintRule(
        id: "eso-schema", severity: .error, group: "schema",
        summary:
            "An ESO object breaks ESO's CRD schema or admission rules: unknown field (with \"did you mean\"), wrong "
            + "type, enum, pattern, CEL rule, forbidden creation / deletion policy pair.",
        fix: "Change the field as the message says; `eskit schema` and the CRDs list every field.",
        positive: [
            LintExample(
                externalSecret(extraSpec: "  target:\n    creationPolicy: Merge\n    deletionPolicy: Delete\n")),
            LintExample(vaultStore().replacingOccurrences(of: "mountPath", with: "mountpath")),
        ],
        negative: [LintExample(externalSecret() + "---\n" + vaultStore())])

    public static let storeNotFound = LintRule(
        id: "store-not-found", severity: .warning, group: "references",
        summary:
            "`secretStoreRef` names a SecretStore (same namespace) or ClusterSecretStore that no file linted "
            + "defines: ESO reports `SecretSyncedError` until it exists.",
        fix: "Correct the name or kind, or lint the folder that defines the store too.",
        positive: [LintExample(externalSecret(store: "vualt") + "---\n" + vaultStore())],
        negative: [LintExample(externalSecret() + "---\n" + vaultStore())])

    public static let storeNamespaceExcluded = LintRule(
        id: "store-namespace-excluded", severity: .error, group: "references",
        summary:
            "A ClusterSecretStore's `conditions` (namespaces, namespaceRegexes) do not admit the ExternalSecret's "
            + "namespace: ESO refuses to use the store there.",
        fix: "Add the namespace to the store's conditions, or use a store the namespace may use.",
        positive: [
            LintExample(
                externalSecret(store: "shared", storeKind: "ClusterSecretStore") + "---\n"
                    + vaultStore(name: "shared", namespace: "x").replacingOccurrences(
                        of: "kind: SecretStore", with: "kind: ClusterSecretStore"
                    ).replacingOccurrences(of: "  namespace: x\n", with: "")
                    + "  conditions:\n    - namespaces: [web]\n")
        ],
        negative: [
            LintExample(
                externalSecret(store: "shared", storeKind: "ClusterSecretStore") + "---\n"
                    + vaultStore(name: "shared", namespace: "x").replacingOccurrences(
                        of: "kind: SecretStore", with: "kind: ClusterSecretStore"
                    ).replacingOccurrences(of: "  namespace: x\n", with: "")
                    + "  conditions:\n    - namespaceRegexes: ['^app.*']\n")
        ])

    public static let duplicateSecretKey = LintRule(
        id: "duplicate-secret-key", severity: .error, group: "references",
        summary: "Two `data` entries write the same `secretKey`: one silently overwrites the other.",
        fix: "Give each entry its own `secretKey`.",
        positive: [
            LintExample(
                externalSecret(
                    data: "    - secretKey: password\n      remoteRef: {key: apps/db, property: password}\n"
                        + "    - secretKey: password\n      remoteRef: {key: apps/db2, property: password}\n"))
        ],
        negative: [LintExample(externalSecret())])

    public static let templateKeyUndeclared = LintRule(
        id: "template-key-undeclared", severity: .error, group: "references",
        summary:
            "`target.template.data` reads a key (`{{ .name }}`) that no `data` entry declares and no `dataFrom` "
            + "can bring: ESO renders it empty (or fails).",
        fix: "Declare the key in `data`, or correct the name in the template.",
        positive: [
            LintExample(
                externalSecret(
                    extraSpec:
                        "  target:\n    template:\n      data:\n        url: \"postgres://app:{{ .pasword }}@db\"\n"
                ))
        ],
        negative: [
            LintExample(
                externalSecret(
                    extraSpec:
                        "  target:\n    template:\n      data:\n        url: \"postgres://app:{{ .password }}@db\"\n"
                ))
        ])

    public static let targetConflict = LintRule(
        id: "target-conflict", severity: .error, group: "references",
        summary:
            "Two ExternalSecrets own the same target Secret: ESO fails the second (\"target is owned by another "
            + "ExternalSecret\") or they overwrite each other.",
        fix: "Give each its own `target.name`, or make all but one `creationPolicy: Merge`.",
        positive: [
            LintExample(
                externalSecret() + "---\n"
                    + externalSecret(extraSpec: "  target:\n    name: db\n").replacingOccurrences(
                        of: "name: db\n  namespace", with: "name: db-copy\n  namespace"))
        ],
        negative: [
            LintExample(
                externalSecret() + "---\n"
                    + externalSecret(extraSpec: "  target:\n    name: db\n    creationPolicy: Merge\n")
                    .replacingOccurrences(of: "name: db\n  namespace", with: "name: db-extra\n  namespace"))
        ])

    public static let refreshNever = LintRule(
        id: "refresh-never", severity: .warning, group: "references",
        summary:
            "`refreshInterval: 0` syncs once and never again (force-sync annotations included): a rotated secret "
            + "never reaches the cluster.",
        fix: "Set an interval (`1h` is ESO's default), or `refreshPolicy: CreatedOnce` to say it on purpose.",
        positive: [
            LintExample(externalSecret().replacingOccurrences(of: "refreshInterval: 1h", with: "refreshInterval: 0s"))
        ],
        negative: [LintExample(externalSecret())])

    public static let refreshCostly = LintRule(
        id: "refresh-costly", severity: .warning, group: "references",
        summary:
            "A `refreshInterval` under 5 minutes: every ExternalSecret calls the provider that often, all month "
            + "(the message gives the calls per month, and their price on AWS Secrets Manager).",
        fix: "Use 15m–1h, and `refreshPolicy: OnChange` or a force-sync annotation when a change must land now.",
        positive: [
            LintExample(externalSecret().replacingOccurrences(of: "refreshInterval: 1h", with: "refreshInterval: 10s"))
        ],
        negative: [LintExample(externalSecret())])

    public static let consumerSecretMissing = LintRule(
        id: "consumer-secret-missing", severity: .warning, group: "consumers",
        summary:
            "A workload reads a Secret (`secretKeyRef`, `envFrom`, a volume, `imagePullSecrets`, a chart value "
            + "such as `existingSecret`) that nothing "
            + "linted produces (no ExternalSecret, Secret, SealedSecret, secretGenerator or Certificate): the Pod "
            + "will not start.",
        fix: "Add the ExternalSecret that writes it, or correct the name.",
        positive: [
            LintExample(deployment(env: secretEnv) + "---\n" + externalSecret(name: "database")),
            LintExample([
                (
                    "harbor/values.yaml",
                    "existingSecretAdminPassword: harbor-admin\nharborAdminExistingSecret: harbor-admin\n"
                ),
                ("harbor/externalsecret.yaml", externalSecret(name: "harbor-admn")),
            ]),
        ],
        negative: [
            LintExample(deployment(env: secretEnv) + "---\n" + externalSecret()),
            LintExample([
                ("harbor/values.yaml", "core:\n  existingSecret: harbor-core\n"),
                ("harbor/externalsecret.yaml", externalSecret(name: "harbor-core")),
            ]),
        ])

    public static let consumerKeyMissing = LintRule(
        id: "consumer-key-missing", severity: .error, group: "consumers",
        summary:
            "A workload reads a key (`secretKeyRef.key`, a volume item) that the ExternalSecret producing the "
            + "Secret does not write: the container fails with CreateContainerConfigError.",
        fix: "Add the key to the ExternalSecret's `data` (or template), or read a key it writes.",
        positive: [
            LintExample(
                deployment(env: secretEnv.replacingOccurrences(of: "key: password", with: "key: passwd")) + "---\n"
                    + externalSecret())
        ],
        negative: [LintExample(deployment(env: secretEnv) + "---\n" + externalSecret())])

    static let chartESO =
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: {{ .Release.Name }}-db\n"
        + "spec:\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: vault\n  target:\n    template:\n"
        + "      data:\n        url: \"postgres://app:%@db:5432/app\"\n  data:\n    - secretKey: password\n"
        + "      remoteRef:\n        key: {{ .Values.env }}/db\n        property: password\n"

    public static let helmRendersESOTemplate = LintRule(
        id: "helm-renders-eso-template", severity: .error, group: "helm",
        summary:
            "ESO template braces (`{{ .password }}`) inside a Helm chart template: Helm renders them first, so ESO "
            + "receives an empty string.",
        fix: "Escape them for Helm: {{ `{{ .password }}` }} (what `--fix` writes).", autofix: true,
        positive: [
            LintExample([
                ("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
                ("chart/templates/db.yaml", chartESO.replacingOccurrences(of: "%", with: "{{ .password }}")),
            ])
        ],
        negative: [
            LintExample([
                ("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
                ("chart/templates/db.yaml", chartESO.replacingOccurrences(of: "%", with: "{{ `{{ .password }}` }}")),
            ])
        ])

    public static let helmOutsideChart = LintRule(
        id: "helm-outside-chart", severity: .error, group: "helm",
        summary:
            "Helm syntax (`{{ .Values.x }}`, `.Release`, `.Chart`) in a plain manifest that no Helm renders: it "
            + "reaches the cluster (or ESO, which reads `.Values` as a missing key) literally.",
        fix: "Write the value, use a kustomize overlay per environment, or move the file into a chart.",
        positive: [
            LintExample(
                externalSecret(
                    data: "    - secretKey: password\n      remoteRef:\n        key: \"{{ .Values.env }}/db\"\n"))
        ],
        negative: [
            LintExample(
                externalSecret(extraSpec: "  target:\n    template:\n      data:\n        url: \"{{ .password }}\"\n"))
        ])

    public static let vaultHCPVaultSecrets = LintRule(
        id: "vault-hcp-vault-secrets", severity: .error, group: "providers",
        summary:
            "A `vault` store points at `*.secrets.hashicorp.cloud` (HCP Vault Secrets): that service never spoke the "
            + "Vault API and reached end of life in 2026.",
        fix:
            "Point the store at a Vault / OpenBao server (HCP Vault Dedicated: namespace `admin`) or another provider.",
        positive: [LintExample(vaultStore(server: "https://your-org.secrets.hashicorp.cloud"))],
        negative: [LintExample(vaultStore())])

    public static let vaultKVPath = LintRule(
        id: "vault-kv-path", severity: .warning, group: "providers",
        summary:
            "A KV v2 `path` or key that already holds `/data/`: ESO inserts `data/` itself, so it reads "
            + "`secret/data/data/…`.",
        fix: "Give the mount as `path` (`secret`) and the key without `data/`.",
        positive: [LintExample(vaultStore().replacingOccurrences(of: "path: secret", with: "path: secret/data"))],
        negative: [LintExample(vaultStore())])

    public static let vaultNoAuth = LintRule(
        id: "vault-no-auth", severity: .warning, group: "providers",
        summary:
            "A `vault` store without `auth`: ESO sends requests without a token, which only works behind a Vault "
            + "agent.",
        fix: "Add `auth.kubernetes` (role + service account), `auth.jwt`, `auth.appRole` or `auth.tokenSecretRef`.",
        positive: [
            LintExample(
                vaultStore().replacingOccurrences(
                    of: "      auth:\n        kubernetes:\n          mountPath: kubernetes\n          role: apps\n",
                    with: ""))
        ],
        negative: [LintExample(vaultStore())])

    static let awsStore =
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata:\n  name: aws\n  namespace: apps\nspec:\n"
        + "  provider:\n    aws:\n      service: SecretsManager\n      region: eu-west-1\n      auth:\n        jwt:\n"
        + "          serviceAccountRef:\n            name: eso-reader\n"

    public static let awsJWTRoleAnnotation = LintRule(
        id: "aws-jwt-role-annotation", severity: .error, group: "providers",
        summary:
            "An `aws` store authenticates with `auth.jwt` as a ServiceAccount that has no "
            + "`eks.amazonaws.com/role-arn` annotation: STS has no role to assume.",
        fix: "Annotate the ServiceAccount with the IAM role's ARN (IRSA).",
        positive: [
            LintExample(
                awsStore
                    + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: eso-reader\n  namespace: apps\n")
        ],
        negative: [
            LintExample(
                awsStore
                    + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: eso-reader\n  namespace: apps\n"
                    + "  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/eso-reader\n")
        ])

    static func clusterRole(verbs: String, resources: String = "[secrets]", extra: String = "") -> String {
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n"
            + "  - apiGroups: [\"\"]\n    resources: \(resources)\n    verbs: \(verbs)\n\(extra)---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: reader\n"
            + "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\nsubjects:\n"
            + "  - kind: ServiceAccount\n    name: ci\n    namespace: tools\n"
    }

    public static let rbacSecretsClusterWide = LintRule(
        id: "rbac-secrets-cluster-wide", severity: .error, group: "rbac",
        summary:
            "A ClusterRoleBinding grants Secret access in every namespace to a subject that is not ESO's "
            + "controller: one leaked token reads every Secret of the cluster.",
        fix: "Bind a Role in the namespaces that need it, or limit the rule with `resourceNames`.",
        positive: [LintExample(clusterRole(verbs: "[get, list, watch]"))],
        negative: [LintExample(clusterRole(verbs: "[get, list, watch]", resources: "[configmaps]"))])

    public static let rbacWildcard = LintRule(
        id: "rbac-wildcard", severity: .warning, group: "rbac",
        summary: "A Role or ClusterRole grants `*` verbs or resources in the core group: that includes Secrets.",
        fix: "List the resources and verbs needed.",
        positive: [LintExample(clusterRole(verbs: "[\"*\"]", resources: "[\"*\"]"))],
        negative: [LintExample(clusterRole(verbs: "[get]", resources: "[configmaps]"))])

    public static let rbacTokenCreate = LintRule(
        id: "rbac-token-create", severity: .warning, group: "rbac",
        summary:
            "`create` on `serviceaccounts/token` without `resourceNames`: the holder can mint a token for any "
            + "service account in scope.",
        fix: "Name the service accounts in `resourceNames`.",
        positive: [LintExample(clusterRole(verbs: "[create]", resources: "[serviceaccounts/token]"))],
        negative: [
            LintExample(
                clusterRole(verbs: "[create]", resources: "[serviceaccounts/token]")
                    .replacingOccurrences(
                        of: "    verbs: [create]\n", with: "    verbs: [create]\n    resourceNames: [vault-auth]\n"))
        ])

    public static let plaintextSecret = LintRule(
        id: "plaintext-secret", severity: .error, group: "plaintext",
        summary:
            "A `kind: Secret` holds a real value in Git (found by the scanner's Kubernetes rules); the value is "
            + "never printed.",
        fix: "Replace the Secret by an ExternalSecret (`eskit migrate`), rotate the value, and purge it from history.",
        positive: [
            LintExample(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: "
                    + "Zx9" + "q4Lm2Tr8vW1pK7nB\n")
        ],
        negative: [
            LintExample("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: changeme\n")
        ])

    public static let consumerEnvRotation = LintRule(
        id: "consumer-env-rotation", severity: .warning, group: "consumers",
        summary:
            "A workload reads an ExternalSecret's Secret through environment variables with no reloader "
            + "annotation: a rotated value reaches mounted files, but environment variables keep the old one until "
            + "the Pod restarts.",
        fix:
            "Mount the Secret as a volume, or annotate the workload for a reloader (`reloader.stakater.com/auto: "
            + "\"true\"`) so it restarts on change.",
        positive: [LintExample(deployment(env: secretEnv) + "---\n" + externalSecret())],
        negative: [
            LintExample(
                deployment(env: secretEnv).replacingOccurrences(
                    of: "metadata:\n  name: api\n",
                    with: "metadata:\n  name: api\n  annotations:\n    "
                        + "reloader.stakater.com/auto: \"true\"\n") + "---\n" + externalSecret())
        ])

    public static let vaultAuthMountPath = LintRule(
        id: "vault-auth-mount-path", severity: .error, group: "providers",
        summary:
            "A vault auth `mountPath` / `path` that starts with `auth/`: ESO puts `auth/` in front itself, so it "
            + "logs in at `auth/auth/…/login`, which does not exist.",
        fix: "Give the mount's name only (`kubernetes`, not `auth/kubernetes`).",
        positive: [
            LintExample(
                vaultStore().replacingOccurrences(of: "mountPath: kubernetes", with: "mountPath: auth/kubernetes"))
        ],
        negative: [LintExample(vaultStore())])

    public static let esoMetricUnknown = LintRule(
        id: "eso-metric-unknown", severity: .warning, group: "monitoring",
        summary:
            "An alert or recording rule (`expr`) uses an ESO metric name ESO does not export (`externalsecrets_…` "
            + "with a plural prefix, a `status` label on `sync_calls_total`, `…_last_update_time`): the alert never "
            + "fires.",
        fix:
            "Use ESO's names: `externalsecret_sync_calls_total`, `externalsecret_sync_calls_error`, "
            + "`externalsecret_status_condition`, `externalsecret_reconcile_duration`, "
            + "`externalsecret_provider_api_calls_count`.",
        positive: [
            LintExample(
                "groups:\n  - name: eso\n    rules:\n      - alert: Sync\n        expr: "
                    + "increase(externalsecrets_sync_calls_total{status=\"error\"}[5m]) > 0\n", path: "alerts.yaml")
        ],
        negative: [
            LintExample(
                "groups:\n  - name: eso\n    rules:\n      - alert: Sync\n        expr: "
                    + "increase(externalsecret_sync_calls_error[5m]) > 0\n", path: "alerts.yaml")
        ])

    public static let esoDeprecatedField = LintRule(
        id: "eso-deprecated-field", severity: .warning, group: "schema",
        summary:
            "An ESO object uses a field its CRD marks deprecated (read from the CRDs in use, e.g. a "
            + "ClusterExternalSecret's `namespaceSelector` / `namespaces`, `data[].sourceRef.generatorRef`).",
        fix: "Use the replacement the message names (e.g. `namespaceSelectors`).",
        positive: [
            LintExample(
                "apiVersion: external-secrets.io/v1\nkind: ClusterExternalSecret\nmetadata:\n  name: shared\nspec:\n"
                    + "  namespaces: [apps]\n  externalSecretSpec:\n    secretStoreRef: {kind: ClusterSecretStore, "
                    + "name: vault}\n    data:\n      - secretKey: token\n        remoteRef: {key: shared/token}\n")
        ],
        negative: [
            LintExample(
                "apiVersion: external-secrets.io/v1\nkind: ClusterExternalSecret\nmetadata:\n  name: shared\nspec:\n"
                    + "  namespaceSelectors:\n    - matchLabels: {team: apps}\n  externalSecretSpec:\n    "
                    + "secretStoreRef: {kind: ClusterSecretStore, name: vault}\n    data:\n      - secretKey: token\n"
                    + "        remoteRef: {key: shared/token}\n")
        ])
}
