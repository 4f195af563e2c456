public import EskitCore
public import EskitYAML

/// The rules of ESO's CRD schemas and admission webhook that the reader checks on an ExternalSecret /
/// ClusterExternalSecret / store document: unknown fields (with "did you mean"), enums, the `secretKey` pattern,
/// exactly-one-of constraints, forbidden creation / deletion policy pairs, and "at least one of data / dataFrom".
/// Messages name field paths, allowed enum values and kinds, never a value read from the document.
public enum ESORules {
    /// The fields ESO's v1 schema allows in each object the model types, by schema position.
    static let fields: [String: [String]] = [
        "spec": ["secretStoreRef", "refreshInterval", "refreshPolicy", "target", "data", "dataFrom", "syncWindows"],
        "data": ["secretKey", "remoteRef", "sourceRef"],
        "remoteRef": [
            "key", "property", "version", "conversionStrategy", "decodingStrategy", "metadataPolicy",
            "nullBytePolicy",
        ],
        "dataFrom": ["extract", "find", "rewrite", "sourceRef"],
        "find": ["path", "name", "tags", "conversionStrategy", "decodingStrategy", "nullBytePolicy"],
        "sourceRef": ["storeRef", "generatorRef"],
        "storeRef": ["kind", "name"],
        "target": ["name", "creationPolicy", "deletionPolicy", "immutable", "template", "manifest"],
        "template": ["type", "engineVersion", "mergePolicy", "metadata", "data", "templateFrom"],
        "storeSpec": ["controller", "provider", "refreshInterval", "retrySettings", "conditions"],
        "condition": ["namespaceSelector", "namespaces", "namespaceRegexes"],
        "vault": [
            "auth", "caBundle", "caProvider", "checkAndSet", "forwardInconsistent", "headers", "namespace", "path",
            "readYourWrites", "server", "tls", "version",
        ],
        "vaultAuth": [
            "appRole", "cert", "gcp", "iam", "jwt", "kubernetes", "ldap", "namespace", "tokenSecretRef", "userPass",
        ],
        "vaultKubernetes": ["mountPath", "role", "secretRef", "serviceAccountRef"],
        "vaultJWT": ["kubernetesServiceAccountToken", "path", "role", "secretRef"],
    ]

    /// The provider keys ESO 2.9's `spec.provider` schema allows.
    public static let providerNames = [
        "akeyless", "aws", "azurekv", "barbican", "beyondtrust", "beyondtrustworkloadcredentials",
        "bitwardensecretsmanager", "chef", "cloudrusm", "conjur", "crd", "delinea", "doppler", "dvls", "fake",
        "fortanix", "gcpsm", "github", "gitlab", "ibm", "infisical", "keepersecurity", "kubernetes",
        "nebiusmysterybox", "ngrok", "onboardbase", "onepassword", "onepasswordSDK", "openBao", "oracle", "ovh",
        "passbolt", "passworddepot", "previder", "pulumi", "scaleway", "secretserver", "senhasegura", "vault",
        "volcengine", "webhook", "yandexcertificatemanager", "yandexlockbox",
    ]

    /// Enum-valued fields and their allowed values.
    static let enums: [String: [String]] = [
        "conversionStrategy": ["Default", "Unicode"],
        "decodingStrategy": ["Auto", "Base64", "Base64URL", "None"],
        "metadataPolicy": ["None", "Fetch"],
        "nullBytePolicy": ["Ignore", "Fail"],
        "refreshPolicy": ["CreatedOnce", "Periodic", "OnChange"],
        "storeRef.kind": ["SecretStore", "ClusterSecretStore"],
        "creationPolicy": ["Owner", "Orphan", "Merge", "None", "CreateOrMerge"],
        "deletionPolicy": ["Delete", "Merge", "Retain"],
        "engineVersion": ["v2"],
        "mergePolicy": ["Replace", "Merge"],
        "vault.version": ["v1", "v2"],
    ]

    /// Every rule violation of `root` (a document of `kind`), sorted by position.
    public static func check(_ root: YAMLNode, kind: String, file: String) -> [Diagnostic] {
        var c = Checker(file: file)
        switch kind {
        case "ExternalSecret":
            if let spec = root["spec"] { c.externalSecretSpec(spec, "spec") }
        case "ClusterExternalSecret":
            if let spec = root["spec"]?["externalSecretSpec"] {
                c.externalSecretSpec(spec, "spec.externalSecretSpec")
            }
        case "SecretStore", "ClusterSecretStore":
            if let spec = root["spec"] { c.storeSpec(spec) }
        default:
            break
        }
        return c.diagnostics.sorted()
    }

    struct Checker {
        let file: String
        var diagnostics: [Diagnostic] = []

        mutating func error(_ node: YAMLNode, _ message: String) {
            diagnostics.append(.error(file, node.start, message))
        }

        /// Unknown keys of the mapping `node`, checked against `fields[schema]`.
        mutating func known(_ node: YAMLNode, _ schema: String, _ path: String) {
            guard let pairs = node.pairs, let allowed = ESORules.fields[schema] else { return }
            for pair in pairs {
                guard let key = pair.key.scalarValue, !allowed.contains(key) else { continue }
                var message = "\(path).\(key): unknown field"
                if let hint = Suggestion.closest(to: key, in: allowed) { message += "; did you mean `\(hint)`?" }
                error(pair.key, message)
            }
        }

        /// An enum field: the allowed values (and the closest one) when the value is not one of them.
        /// `untyped`: the reader keeps this field as written, so a wrong type is reported here.
        mutating func enumeration(_ node: YAMLNode?, _ name: String, _ path: String, untyped: Bool = false) {
            guard let node, !node.isNull, let allowed = ESORules.enums[name] else { return }
            guard let value = node.scalarValue else {
                if untyped { error(node, "\(path): expected text, found \(Decoding.kindName(node))") }
                return
            }
            if allowed.contains(value) { return }
            var message = "\(path): must be one of \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
            if let hint = Suggestion.closest(to: value, in: allowed) { message += "; did you mean `\(hint)`?" }
            error(node, message)
        }

        static func isSecretKey(_ text: String) -> Bool {
            !text.isEmpty
                && text.unicodeScalars.allSatisfy { s in
                    s == "-" || s == "." || s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s)
                        || ("0"..."9").contains(s)
                }
        }

        mutating func remoteRef(_ node: YAMLNode, _ path: String, schema: String = "remoteRef") {
            guard node.pairs != nil else { return }
            known(node, schema, path)
            for name in ["conversionStrategy", "decodingStrategy", "metadataPolicy", "nullBytePolicy"] {
                enumeration(node[name], name, "\(path).\(name)")
            }
        }

        mutating func sourceRef(_ node: YAMLNode, _ path: String) {
            guard node.pairs != nil else { return }
            known(node, "sourceRef", path)
            if let store = node["storeRef"] { storeRef(store, "\(path).storeRef") }
            if let generator = node["generatorRef"], generator.pairs != nil {
                for field in ["kind", "name"] where generator[field] == nil {
                    error(generator, "\(path).generatorRef.\(field): missing required field")
                }
            }
        }

        mutating func storeRef(_ node: YAMLNode, _ path: String) {
            guard node.pairs != nil else { return }
            known(node, "storeRef", path)
            enumeration(node["kind"], "storeRef.kind", "\(path).kind")
            dnsName(node["name"], "\(path).name")
        }

        /// A DNS subdomain name (`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`).
        mutating func dnsName(_ node: YAMLNode?, _ path: String) {
            guard let node, !node.isNull, let text = node.scalarValue else { return }
            let labels = text.split(separator: ".", omittingEmptySubsequences: false)
            let ok = labels.allSatisfy { label in
                guard let first = label.unicodeScalars.first, let last = label.unicodeScalars.last else { return false }
                func alnum(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
                return alnum(first) && alnum(last) && label.unicodeScalars.allSatisfy { alnum($0) || $0 == "-" }
            }
            if !ok { error(node, "\(path): must be a lowercase DNS name (a-z, 0-9, '-', '.')") }
        }

        mutating func externalSecretSpec(_ spec: YAMLNode, _ path: String) {
            guard spec.pairs != nil else { return }
            known(spec, "spec", path)
            enumeration(spec["refreshPolicy"], "refreshPolicy", "\(path).refreshPolicy")
            if let ref = spec["secretStoreRef"] { storeRef(ref, "\(path).secretStoreRef") }
            if let target = spec["target"], target.pairs != nil { self.target(target, "\(path).target") }
            let data = spec["data"]?.items ?? []
            for (i, entry) in data.enumerated() where entry.pairs != nil {
                let p = "\(path).data[\(i)]"
                known(entry, "data", p)
                if let key = entry["secretKey"], let text = key.scalarValue, !key.isNull, !Self.isSecretKey(text) {
                    error(key, "\(p).secretKey: must match `^[-._a-zA-Z0-9]+$`")
                }
                if let remote = entry["remoteRef"] { remoteRef(remote, "\(p).remoteRef") }
                if let source = entry["sourceRef"] { sourceRef(source, "\(p).sourceRef") }
            }
            let dataFrom = spec["dataFrom"]?.items ?? []
            for (i, entry) in dataFrom.enumerated() where entry.pairs != nil {
                self.dataFrom(entry, "\(path).dataFrom[\(i)]")
            }
            // Webhook: at least one of data / dataFrom.
            if data.isEmpty && dataFrom.isEmpty {
                error(spec, "\(path): at least one of `data` or `dataFrom` is required")
            }
        }

        mutating func dataFrom(_ entry: YAMLNode, _ p: String) {
            known(entry, "dataFrom", p)
            if let extract = entry["extract"] {
                remoteRef(extract, "\(p).extract")
                if extract.pairs != nil, extract["key"] == nil {
                    error(extract, "\(p).extract.key: missing required field")
                }
            }
            if let find = entry["find"], find.pairs != nil {
                known(find, "find", "\(p).find")
                for name in ["conversionStrategy", "decodingStrategy", "nullBytePolicy"] {
                    enumeration(find[name], name, "\(p).find.\(name)", untyped: true)
                }
            }
            if let source = entry["sourceRef"] { sourceRef(source, "\(p).sourceRef") }
            // Webhook: exactly one of extract, find, or a generator sourceRef.
            let sources = [
                entry["extract"] != nil, entry["find"] != nil, entry["sourceRef"]?["generatorRef"] != nil,
            ].filter { $0 }.count
            if sources != 1 {
                error(
                    entry,
                    "\(p): exactly one of `extract`, `find` or `sourceRef.generatorRef` is required (found \(sources))"
                )
            }
        }

        mutating func target(_ target: YAMLNode, _ path: String) {
            known(target, "target", path)
            dnsName(target["name"], "\(path).name")
            enumeration(target["creationPolicy"], "creationPolicy", "\(path).creationPolicy")
            enumeration(target["deletionPolicy"], "deletionPolicy", "\(path).deletionPolicy")
            if let template = target["template"], template.pairs != nil {
                known(template, "template", "\(path).template")
                enumeration(
                    template["engineVersion"], "engineVersion", "\(path).template.engineVersion", untyped: true)
                enumeration(template["mergePolicy"], "mergePolicy", "\(path).template.mergePolicy", untyped: true)
            }
            // Webhook: forbidden creation / deletion policy pairs.
            let creation = target["creationPolicy"]?.scalarValue ?? "Owner"
            if let node = target["deletionPolicy"], let deletion = node.scalarValue {
                let forbidden =
                    (deletion == "Delete" && ["Merge", "None", "CreateOrMerge"].contains(creation))
                    || (deletion == "Merge" && creation == "None")
                if forbidden {
                    error(
                        node,
                        "\(path).deletionPolicy: `\(deletion)` cannot be combined with creationPolicy `\(creation)`")
                }
            }
        }

        /// A text field the model keeps as written: an error when it is a mapping or a list.
        mutating func text(_ node: YAMLNode?, _ path: String) {
            guard let node, !node.isNull, node.scalarValue == nil else { return }
            error(node, "\(path): expected text, found \(Decoding.kindName(node))")
        }

        mutating func requiredFields(_ node: YAMLNode, _ fields: [String], _ path: String) {
            for field in fields where node[field] == nil { error(node, "\(path).\(field): missing required field") }
        }

        /// The vault block: fields, `server` required, `version` v1 / v2, Kubernetes and JWT auth.
        mutating func vault(_ node: YAMLNode, _ path: String) {
            guard node.pairs != nil else { return }
            known(node, "vault", path)
            requiredFields(node, ["server"], path)
            for field in ["server", "path", "namespace", "caBundle"] { text(node[field], "\(path).\(field)") }
            text(node["version"], "\(path).version")
            enumeration(node["version"], "vault.version", "\(path).version")
            guard let auth = node["auth"], auth.pairs != nil else { return }
            known(auth, "vaultAuth", "\(path).auth")
            let kubernetesMethod = "kubernetes"  // Vault's Kubernetes auth method, not the kubernetes provider
            if let k = auth[kubernetesMethod], k.pairs != nil {
                let p = "\(path).auth.kubernetes"
                known(k, "vaultKubernetes", p)
                requiredFields(k, ["role"], p)  // mountPath has a default
                text(k["mountPath"], "\(p).mountPath")
                text(k["role"], "\(p).role")
            }
            if let j = auth["jwt"], j.pairs != nil {
                let p = "\(path).auth.jwt"
                known(j, "vaultJWT", p)
                requiredFields(j, ["path"], p)
                text(j["path"], "\(p).path")
                text(j["role"], "\(p).role")
            }
        }

        mutating func storeSpec(_ spec: YAMLNode) {
            guard spec.pairs != nil else { return }
            known(spec, "storeSpec", "spec")
            if let interval = spec["refreshInterval"], !interval.isNull, interval.scalarValue == nil {
                error(interval, "spec.refreshInterval: expected a number of seconds or a duration")
            }
            if let provider = spec["provider"]?.pairs, provider.count == 1, let name = provider[0].key.scalarValue {
                if !ESORules.providerNames.contains(name) {
                    var message = "spec.provider.\(name): unknown provider"
                    if let hint = Suggestion.closest(to: name, in: ESORules.providerNames) {
                        message += "; did you mean `\(hint)`?"
                    }
                    error(provider[0].key, message)
                } else if Provider.Family(rawValue: name) == .vault {
                    vault(provider[0].value, "spec.provider.\(name)")
                }
            }
            for (i, condition) in (spec["conditions"]?.items ?? []).enumerated() where condition.pairs != nil {
                known(condition, "condition", "spec.conditions[\(i)]")
            }
        }
    }
}
