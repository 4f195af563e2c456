public import EskitCore
public import EskitYAML

/// HashiCorp Vault and OpenBao (KV v1 / v2); HCP Vault Dedicated is Vault with namespace `admin`.
public struct VaultFamily: ProviderFamily {
    public init() {}
    public let name = "vault"
    public let summary = "HashiCorp Vault or OpenBao (KV)."
    public let hasStarter = true
    public let keySyntax =
        "the secret's path below the KV mount of the store's `path` (`team/app`), as `vault kv get <mount>/<key>` "
        + "names it"
    public let authKinds: [AuthKind] = [
        AuthKind(
            name: "tokenSecretRef", path: ["auth", "tokenSecretRef"],
            validateCredentials: "a Vault token: VAULT_TOKEN or `token` in --credentials"),
        AuthKind(
            name: "appRole", path: ["auth", "appRole"], required: ["path"],
            validateCredentials: "the AppRole secret id: VAULT_SECRET_ID or `secretId` in --credentials"),
        AuthKind(
            name: "kubernetes", path: ["auth", "kubernetes"], required: ["role"],
            usesServiceAccount: true,
            validateCredentials: "a service account token for the role: --sa-token FILE"),
        AuthKind(
            name: "jwt", path: ["auth", "jwt"], required: ["path"], usesServiceAccount: true,
            validateCredentials: "a JWT the role accepts: --sa-token FILE or `jwt` in --credentials"),
        AuthKind(
            name: "userPass", path: ["auth", "userPass"], required: ["path", "username"],
            validateCredentials: "the password: `password` in --credentials"),
        AuthKind(
            name: "ldap", path: ["auth", "ldap"], required: ["path", "username"],
            validateCredentials: "the password: `password` in --credentials"),
        AuthKind(
            name: "cert", path: ["auth", "cert"],
            validateCredentials: "not supported by validate: use a token"),
        AuthKind(
            name: "iam", path: ["auth", "iam"],
            validateCredentials: "not supported by validate: use a token"),
        AuthKind(
            name: "gcp", path: ["auth", "gcp"],
            validateCredentials: "not supported by validate: use a token"),
    ]
    public let validateChecks = [
        "login (token lookup or the store's auth method)", "read capability on each path (sys/capabilities-self)",
        "key exists (KV v1 / v2), version exists, soft-deleted or destroyed versions", "property inside the value",
        "dataFrom.find matches at least one key",
    ]

    /// HCP Vault Secrets' host suffix: it never spoke the Vault API and reached end of life in 2026.
    static let hcpVaultSecretsSuffix = ".secrets.hashicorp.cloud"

    /// The KV `version` spelled out (`v2`, ESO's default) when the block leaves it unset, after `path`
    /// (else `server`).
    public func withDefaults(_ block: YAMLNode) -> YAMLNode {
        guard var pairs = block.pairs, block["version"] == nil else { return block }
        let at =
            (pairs.firstIndex { $0.key.scalarValue == "path" }
            ?? pairs.firstIndex { $0.key.scalarValue == "server" }).map { $0 + 1 } ?? pairs.count
        pairs.insert(
            YAMLPair(
                key: .scalar("version", style: .doubleQuoted),
                value: .scalar("v2", style: .doubleQuoted)), at: at)
        var node = block
        node.kind = .mapping(pairs)
        return node
    }

    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] {
        var out = checkAuthRequirements(context)
        let vault = context.block
        let storeName = context.store.name
        if let pathNode = vault["path"], let path = pathNode.scalarValue, Self.isKVv2(vault) {
            let mount = path.split(separator: "/").first.map(String.init) ?? path
            if path.hasSuffix("/data") || path.contains("/data/") {
                out.append(
                    .error(
                        context.file, pathNode.start,
                        "store `\(storeName)`: vault `path` is the KV v2 mount (`\(mount)`); ESO inserts `/data/` "
                            + "itself, so `\(path)` would read `\(path)/data/<key>`"
                    ))
            } else if path.hasPrefix("/") || path.hasSuffix("/") {
                out.append(
                    .warning(
                        context.file, pathNode.start,
                        "store `\(storeName)`: vault `path` is the mount name; write "
                            + "`\(path.split(separator: "/").joined(separator: "/"))` without leading or trailing `/`"
                    ))
            }
        }
        if let server = vault["server"], let url = server.scalarValue,
            url.lowercased().contains(Self.hcpVaultSecretsSuffix)
        {
            out.append(
                .error(
                    context.file, server.start,
                    "store `\(storeName)`: `\(url)` is HCP Vault Secrets, which does not speak the Vault API (and "
                        + "reached end of life); use HCP Vault Dedicated or another provider"
                ))
        }
        return out
    }

    static func isKVv2(_ block: YAMLNode) -> Bool { block["version"]?.scalarValue ?? "v2" == "v2" }

    /// The KV v2 mount of a store (`path`'s first component), or nil for KV v1 or no `path`.
    static func kvV2Mount(_ block: YAMLNode?) -> String? {
        guard let block, isKVv2(block) else { return nil }
        guard let path = block["path"]?.scalarValue else { return nil }
        let mount = path.prefix { $0 != "/" }
        return mount.isEmpty ? nil : String(mount)
    }

    /// KV v2 keys that ESO rewrites: a leading mount is stripped, and `/data/` is inserted after the mount.
    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] {
        keyChecker(for: store)(key, keyNode, who, file)
    }

    /// The store's KV v2 mount is read once; each key is then compared byte by byte, no string built.
    public func keyChecker(for store: ResolvedStore) -> KeyChecker {
        guard let mount = Self.kvV2Mount(store.node["provider"]?[name]) else { return { _, _, _, _ in [] } }
        return { key, keyNode, who, file in
            let underMount = key.utf8.starts(with: mount.utf8) && key.utf8.dropFirst(mount.utf8.count).first == 0x2F
            if (underMount && key.utf8.dropFirst(mount.utf8.count + 1).starts(with: "data/".utf8))
                || key.hasPrefix("data/")
            {
                return [
                    .warning(
                        file, keyNode.start,
                        "\(who): remote key `\(key)` spells out KV v2's `data/`; ESO adds it itself, so write the key "
                            + "as stored (`vault kv get \(mount)/<key>`), without "
                            + "`\(key.hasPrefix("data/") ? "data/" : mount + "/data/")`"
                    )
                ]
            } else if underMount {
                return [
                    .warning(
                        file, keyNode.start,
                        "\(who): remote key `\(key)` starts with the store's mount `\(mount)/`, which ESO strips (a "
                            + "secret really stored under `\(mount)/\(mount)/...` cannot be read); write the key "
                            + "without the mount"
                    )
                ]
            }
            return []
        }
    }
}
