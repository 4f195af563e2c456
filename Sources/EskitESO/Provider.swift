public import EskitYAML

/// A store's `spec.provider`: the families eskit works with, typed where eskit reads them, and any other ESO
/// provider kept intact. Every case keeps its whole block as written (`block`), so emitting reproduces it.
public enum Provider: Sendable, Hashable {
    case vault(Vault)
    case aws(AWS)
    case azurekv(AzureKV)
    case gcpsm(GCPSM)
    case pulumi(Pulumi)
    case kubernetes(Kubernetes)
    case fake(Fake)
    /// Any other ESO provider (`onepassword`, `bitwarden`, ...): its key and block, unchanged.
    case other(name: String, block: RawNode)

    /// HashiCorp Vault / OpenBao.
    public struct Vault: Sendable, Hashable {
        public var server: String?
        /// The KV mount (`secret`).
        public var path: String?
        /// `v1` or `v2` (ESO's default).
        public var version: String?
        public var namespace: String?
        /// The auth method configured (`tokenSecretRef`, `appRole`, `kubernetes`, `jwt`, ...), if any.
        public var authMethod: String?
        public var block: RawNode
        /// `caBundle` (base64 PEM) and `caProvider` (a Secret or ConfigMap key), as written.
        public var caBundle: String? = nil
        public var caProvider: RawNode? = nil
        /// The typed parts of `auth`.
        public var auth: VaultAuth? = nil

        public var resolvedVersion: String { version ?? "v2" }
    }

    /// `vault.auth`: the methods eskit reads; secret and service-account references kept as written.
    public struct VaultAuth: Sendable, Hashable {
        public var tokenSecretRef: RawNode?
        public var appRole: RawNode?
        public var kubernetes: KubernetesAuth?
        public var jwt: JWTAuth?

        /// `auth.kubernetes`.
        public struct KubernetesAuth: Sendable, Hashable {
            public var mountPath: String?
            public var role: String?
            public var serviceAccountRef: RawNode?
            public var secretRef: RawNode?
        }

        /// `auth.jwt`.
        public struct JWTAuth: Sendable, Hashable {
            public var path: String?
            public var role: String?
            public var kubernetesServiceAccountToken: RawNode?
            public var secretRef: RawNode?
        }

        static func read(_ node: YAMLNode?) -> VaultAuth? {
            guard let node, node.pairs != nil else { return nil }
            func raw(_ n: YAMLNode?, _ key: String) -> RawNode? { n?[key].map(RawNode.init) }
            // `auth.kubernetes` is Vault's Kubernetes auth method (not the kubernetes provider).
            let kubernetesMethod = "kubernetes"
            let k = node[kubernetesMethod].map { k in
                KubernetesAuth(
                    mountPath: k["mountPath"]?.scalarValue, role: k["role"]?.scalarValue,
                    serviceAccountRef: raw(k, "serviceAccountRef"), secretRef: raw(k, "secretRef"))
            }
            let j = node["jwt"].map { j in
                JWTAuth(
                    path: j["path"]?.scalarValue, role: j["role"]?.scalarValue,
                    kubernetesServiceAccountToken: raw(j, "kubernetesServiceAccountToken"),
                    secretRef: raw(j, "secretRef"))
            }
            return VaultAuth(
                tokenSecretRef: raw(node, "tokenSecretRef"), appRole: raw(node, "appRole"), kubernetes: k, jwt: j)
        }
    }

    /// AWS Secrets Manager / Parameter Store.
    public struct AWS: Sendable, Hashable {
        /// `SecretsManager` or `ParameterStore`.
        public var service: String?
        public var region: String?
        public var role: String?
        /// `jwt` (IRSA) or `secretRef`, if configured.
        public var authMethod: String?
        public var block: RawNode
        /// `auth.secretRef` (access key id / secret access key references), as written.
        public var authSecretRef: RawNode? = nil
        /// `auth.jwt.serviceAccountRef` (IRSA), as written.
        public var jwtServiceAccountRef: RawNode? = nil
    }

    /// Azure Key Vault.
    public struct AzureKV: Sendable, Hashable {
        public var vaultUrl: String?
        public var tenantId: String?
        public var authType: String?
        public var block: RawNode
        public var authSecretRef: RawNode? = nil
        public var serviceAccountRef: RawNode? = nil
        public var environmentType: String? = nil
    }

    /// Google Secret Manager.
    public struct GCPSM: Sendable, Hashable {
        public var projectID: String?
        public var location: String?
        public var block: RawNode
        /// `auth.secretRef` and `auth.workloadIdentity`, as written.
        public var authSecretRef: RawNode? = nil
        public var workloadIdentity: RawNode? = nil
    }

    /// Pulumi ESC.
    public struct Pulumi: Sendable, Hashable {
        public var organization: String?
        public var project: String?
        public var environment: String?
        public var apiUrl: String?
        public var block: RawNode
        /// `accessToken` (a Secret reference) or `auth`, as written.
        public var accessToken: RawNode? = nil
        public var auth: RawNode? = nil
    }

    /// Another Kubernetes cluster or namespace.
    public struct Kubernetes: Sendable, Hashable {
        public var server: RawNode?
        public var remoteNamespace: String?
        public var block: RawNode
        public var auth: RawNode? = nil
        public var authRef: RawNode? = nil
    }

    /// ESO's fake provider: values in the store.
    public struct Fake: Sendable, Hashable {
        /// `data[]`: key, value (or valueMap) and version.
        public var entries: [(key: String, value: String?, version: String?)]
        public var block: RawNode

        public static func == (a: Fake, b: Fake) -> Bool { a.block == b.block }
        public func hash(into hasher: inout Hasher) { hasher.combine(block) }
    }

    /// The families the model types, by their key under `spec.provider`.
    public enum Family: String, Sendable, CaseIterable {
        case vault, aws, azurekv, gcpsm, pulumi, kubernetes, fake
    }

    /// The key under `spec.provider`.
    public var name: String {
        switch self {
        case .vault: Family.vault.rawValue
        case .aws: Family.aws.rawValue
        case .azurekv: Family.azurekv.rawValue
        case .gcpsm: Family.gcpsm.rawValue
        case .pulumi: Family.pulumi.rawValue
        case .kubernetes: Family.kubernetes.rawValue
        case .fake: Family.fake.rawValue
        case .other(let name, _): name
        }
    }

    /// The block as written (or built).
    public var block: RawNode {
        switch self {
        case .vault(let p): p.block
        case .aws(let p): p.block
        case .azurekv(let p): p.block
        case .gcpsm(let p): p.block
        case .pulumi(let p): p.block
        case .kubernetes(let p): p.block
        case .fake(let p): p.block
        case .other(_, let block): block
        }
    }

    /// Reads the block of provider `name`: the typed fields of the families eskit knows, `.other` for the rest.
    public static func read(name: String, block: YAMLNode) -> Provider {
        let raw = RawNode(block)
        func s(_ key: String) -> String? { block[key]?.scalarValue }
        func r(_ key: String) -> RawNode? { block[key].map(RawNode.init) }
        func firstKey(_ node: YAMLNode?) -> String? { node?.pairs?.first?.key.scalarValue }
        switch Family(rawValue: name) {
        case .vault?:
            return .vault(
                Vault(
                    server: s("server"), path: s("path"), version: s("version"), namespace: s("namespace"),
                    authMethod: firstKey(block["auth"]), block: raw, caBundle: s("caBundle"),
                    caProvider: r("caProvider"), auth: VaultAuth.read(block["auth"])))
        case .aws?:
            return .aws(
                AWS(
                    service: s("service"), region: s("region"), role: s("role"),
                    authMethod: firstKey(block["auth"]), block: raw,
                    authSecretRef: block["auth"]?["secretRef"].map(RawNode.init),
                    jwtServiceAccountRef: block["auth"]?["jwt"]?["serviceAccountRef"].map(RawNode.init)))
        case .azurekv?:
            return .azurekv(
                AzureKV(
                    vaultUrl: s("vaultUrl"), tenantId: s("tenantId"), authType: s("authType"),
                    block: raw, authSecretRef: r("authSecretRef"), serviceAccountRef: r("serviceAccountRef"),
                    environmentType: s("environmentType")))
        case .gcpsm?:
            return .gcpsm(
                GCPSM(
                    projectID: s("projectID"), location: s("location"), block: raw,
                    authSecretRef: block["auth"]?["secretRef"].map(RawNode.init),
                    workloadIdentity: block["auth"]?["workloadIdentity"].map(RawNode.init)))
        case .pulumi?:
            return .pulumi(
                Pulumi(
                    organization: s("organization"), project: s("project"),
                    environment: s("environment"), apiUrl: s("apiUrl"), block: raw,
                    accessToken: r("accessToken"), auth: r("auth")))
        case .kubernetes?:
            return .kubernetes(
                Kubernetes(
                    server: block["server"].map(RawNode.init),
                    remoteNamespace: s("remoteNamespace"), block: raw, auth: r("auth"), authRef: r("authRef")))
        case .fake?:
            let entries = (block["data"]?.items ?? []).map { item in
                (
                    key: item["key"]?.scalarValue ?? "", value: item["value"]?.scalarValue,
                    version: item["version"]?.scalarValue
                )
            }
            return .fake(Fake(entries: entries, block: raw))
        case nil:
            return .other(name: name, block: raw)
        }
    }
}
