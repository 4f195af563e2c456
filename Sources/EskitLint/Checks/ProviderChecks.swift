import EskitCore
import EskitESO
import EskitYAML

enum ProviderChecks {
    static func vault(_ rule: LintRule, _ c: inout LintContext) {
        for (doc, store) in c.stores {
            guard case .vault(let vault) = store.spec.provider, let marks = doc.eso?.marks else { continue }
            let base = "spec.provider.vault"
            switch rule.id {
            case LintRules.vaultHCPVaultSecrets.id:
                guard let server = vault.server, let host = host(of: server),
                    host == "secrets.hashicorp.cloud" || host.hasSuffix(".secrets.hashicorp.cloud")
                else { continue }
                c.report(
                    LintProblem(
                        rule, at: marks.location(base + ".server"),
                        "\(doc.display): `\(host)` is HCP Vault Secrets, which never served the Vault API and is "
                            + "end-of-life"))
            case LintRules.vaultKVPath.id:
                guard vault.resolvedVersion == "v2", let path = vault.path else { continue }
                let parts = path.split(separator: "/")
                if parts.count >= 2, parts.contains("data") {
                    c.report(
                        LintProblem(
                            rule, at: marks.location(base + ".path"),
                            "\(doc.display): KV v2 path `\(path)` holds `data`; ESO adds `/data/` itself",
                            hint: "use `path: \(parts[0])`"))
                }
            case LintRules.vaultAuthMountPath.id:
                for pair in vault.block.node["auth"]?.pairs ?? [] {
                    guard let method = pair.key.scalarValue else { continue }
                    for field in ["mountPath", "path"] {
                        guard let value = pair.value[field]?.scalarValue, value.hasPrefix("auth/") else { continue }
                        c.report(
                            LintProblem(
                                rule, at: marks.location("\(base).auth.\(method).\(field)"),
                                "\(doc.display): auth.\(method).\(field) `\(value)` starts with `auth/`; ESO logs in "
                                    + "at "
                                    + "`auth/\(value)/login`",
                                hint: "use `\(field): \(value.dropFirst(5))`"))
                    }
                }
            case LintRules.vaultNoAuth.id:
                if vault.auth == nil, vault.block.node["auth"] == nil {
                    c.report(
                        LintProblem(
                            rule, at: marks.location(base),
                            "\(doc.display): the vault provider has no `auth`"))
                }
            default:
                break
            }
        }
        guard rule.id == LintRules.vaultKVPath.id else { return }
        // Keys that start with `data/` read through a v2 store.
        let stores = c.stores
        for es in c.externalSecrets {
            guard let ref = es.spec.secretStoreRef,
                let store = stores.first(where: {
                    $0.doc.name == ref.name && $0.store.isCluster == (ref.resolvedKind == "ClusterSecretStore")
                }),
                case .vault(let vault) = store.store.spec.provider, vault.resolvedVersion == "v2"
            else { continue }
            for (i, d) in es.spec.data.enumerated() where d.remoteRef.key.hasPrefix("data/") {
                c.report(
                    LintProblem(
                        rule, at: es.location("data[\(i)].remoteRef.key"),
                        "\(es.doc.display): key `\(d.remoteRef.key)` starts with `data/` but \(store.doc.display) is "
                            + "KV v2: ESO reads `\(vault.path ?? "secret")/data/\(d.remoteRef.key)`"))
            }
        }
    }

    static func host(of url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }
        return host.isEmpty ? nil : host.lowercased()
    }

    static func awsJWT(_ c: inout LintContext) {
        let accounts = c.documents.filter { $0.kind == "ServiceAccount" && $0.apiVersion == "v1" }
        for (doc, store) in c.stores {
            guard case .aws(let aws) = store.spec.provider, let ref = aws.jwtServiceAccountRef?.node,
                let name = ref["name"]?.scalarValue, let marks = doc.eso?.marks
            else { continue }
            let namespace = ref["namespace"]?.scalarValue ?? doc.namespace
            guard
                let account = accounts.first(where: {
                    $0.name == name && (namespace == nil || $0.namespace == nil || $0.namespace == namespace)
                })
            else { continue }
            let annotations = account.root["metadata"]?["annotations"]
            if annotations?["eks.amazonaws.com/role-arn"]?.scalarValue?.isEmpty == false { continue }
            if aws.role != nil { continue }
            c.report(
                LintProblem(
                    LintRules.awsJWTRoleAnnotation,
                    at: marks.location("spec.provider.aws.auth.jwt.serviceAccountRef.name"),
                    "\(doc.display): ServiceAccount `\(name)` (\(account.file)) has no `eks.amazonaws.com/role-arn` "
                        + "annotation"))
        }
    }
}

enum RBACChecks {
    struct Grant {
        var doc: LintDocument
        var rule: YAMLNode
        var resources: [String]
        var verbs: [String]
        var resourceNames: [String]
        var groups: [String]
    }

    static func grants(_ doc: LintDocument) -> [Grant] {
        (doc.root["rules"]?.items ?? []).map { r in
            Grant(
                doc: doc, rule: r, resources: (r["resources"]?.items ?? []).compactMap(\.scalarValue),
                verbs: (r["verbs"]?.items ?? []).compactMap(\.scalarValue),
                resourceNames: (r["resourceNames"]?.items ?? []).compactMap(\.scalarValue),
                groups: (r["apiGroups"]?.items ?? []).compactMap(\.scalarValue))
        }
    }

    static let roleKinds: Set<String> = ["Role", "ClusterRole"]

    static func run(_ rule: LintRule, _ c: inout LintContext) {
        let roles = c.documents.filter { roleKinds.contains($0.kind) && $0.group == "rbac.authorization.k8s.io" }
        switch rule.id {
        case LintRules.rbacWildcard.id:
            for role in roles {
                for g in grants(role) where g.groups.contains("") || g.groups.contains("*") {
                    guard g.verbs.contains("*") || g.resources.contains("*") else { continue }
                    c.report(
                        LintProblem(
                            rule, at: role.location(g.rule),
                            "\(role.display) grants "
                                + (g.resources.contains("*") ? "every resource" : "every verb")
                                + " in the core API group, Secrets included"))
                }
            }
        case LintRules.rbacTokenCreate.id:
            for role in roles {
                for g in grants(role)
                where g.resources.contains("serviceaccounts/token")
                    && (g.verbs.contains("create") || g.verbs.contains("*"))
                    && g.resourceNames.isEmpty
                {
                    c.report(
                        LintProblem(
                            rule, at: role.location(g.rule),
                            "\(role.display) may create tokens for any service account in scope"))
                }
            }
        case LintRules.rbacSecretsClusterWide.id:
            let secretRoles = Set(
                roles.filter { $0.kind == "ClusterRole" && grants($0).contains(where: readsSecrets) }.compactMap(\.name)
            )
            for binding in c.documents where binding.kind == "ClusterRoleBinding" {
                guard let roleRef = binding.root["roleRef"], roleRef["kind"]?.scalarValue == "ClusterRole",
                    let roleName = roleRef["name"]?.scalarValue, secretRoles.contains(roleName)
                else { continue }
                for subject in binding.root["subjects"]?.items ?? [] {
                    let kind = subject["kind"]?.scalarValue ?? ""
                    let name = subject["name"]?.scalarValue ?? ""
                    let namespace = subject["namespace"]?.scalarValue ?? ""
                    if kind == "ServiceAccount", c.options.controllers.contains("\(namespace)/\(name)") { continue }
                    c.report(
                        LintProblem(
                            rule, at: binding.location(subject),
                            "\(binding.display) gives \(kind) `\(namespace.isEmpty ? "" : namespace + "/")\(name)` "
                                + "Secret access in every namespace (ClusterRole `\(roleName)`)"))
                }
            }
        default:
            break
        }
    }

    /// A grant on Secrets (or every resource) in the core group without `resourceNames`.
    static func readsSecrets(_ g: Grant) -> Bool {
        (g.groups.contains("") || g.groups.contains("*"))
            && (g.resources.contains("secrets") || g.resources.contains("*")) && g.resourceNames.isEmpty
            && !g.verbs.isEmpty
    }
}
