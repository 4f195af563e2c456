public import EskitCore
import EskitYAML
import Foundation

/// A reviewable migration plan: where each plaintext value is, what replaces it, the remote key it moves to. It
/// holds no value: each is named by its 3-character preview and its SHA-256 (`secretHash`), which `apply` checks
/// against the files before touching anything.
public struct MigrationPlan: Sendable, Equatable {
    /// The store the new ExternalSecrets read from, and the environment whose key prefix the remote keys take.
    public var store: StoreRef
    public var environment: String
    public var keyPrefix: String?
    public var items: [Item]

    public struct StoreRef: Sendable, Equatable {
        public var name: String
        public var kind: String
    }

    public enum Action: String, Sendable, Equatable {
        /// A `kind: Secret` document replaced by an ExternalSecret of the same name, keys and type.
        case externalSecret = "replace-secret"
        /// Pod template env literals moved to a Secret written by a new ExternalSecret, read by `secretKeyRef`.
        case envSecretKeyRef = "env-to-secretkeyref"
        /// A kustomize `secretGenerator` with `literals` or `envs` files replaced by an ExternalSecret (the env
        /// files, which hold the values, removed).
        case kustomizeGenerator = "secretgenerator-to-externalsecret"
        /// Harbor chart values (admin password, secret key, core / jobservice / registry secrets, external
        /// database and Redis passwords, S3 keys) moved to one Secret the chart's `existingSecret*` settings name.
        case harborValues = "harbor-values-to-existingsecret"
        /// An Actions Runner Controller scale set's inline `githubConfigSecret` (PAT, or GitHub App id,
        /// installation id and private key) replaced by the name of a Secret an ExternalSecret writes.
        case arcGitHubConfig = "arc-githubconfigsecret-to-externalsecret"
        /// The secret lines of a kustomize `configMapGenerator` (its env files or literals) moved to a Secret an
        /// ExternalSecret writes; the workloads reading the ConfigMap through `envFrom` read that Secret too.
        case configMapEnvSecret = "configmap-env-to-externalsecret"
        /// `kubectl create secret generic NAME --from-literal=…` in a script or doc replaced by an ExternalSecret;
        /// the command becomes a comment, so the script creates nothing secret.
        case kubectlSecret = "kubectl-secret-to-externalsecret"
        /// Found, but not a shape eskit rewrites: the user moves it by hand.
        case manual
    }

    /// One value: the key it is stored under (Secret key or env name), its remote property, hash and preview.
    public struct Value: Sendable, Equatable {
        public var key: String
        public var property: String
        public var secretHash: String
        public var preview: String
        /// Where it is in the file (line of the value).
        public var line: Int
        /// Pushed as base64 text (`decodingStrategy: Base64`) because the bytes are not UTF-8.
        public var base64: Bool
        /// Set when the same value (same hash) appears earlier in the plan: it is read from that remote key
        /// (relative to `keyPrefix`) instead of being stored twice.
        public var sharedKey: String? = nil
        /// The file holding the value when it is not the item's (an env file a secretGenerator reads).
        public var file: String? = nil
    }

    public struct Item: Sendable, Equatable {
        public var action: Action
        public var file: String
        public var line: Int
        /// `Secret`, `Deployment`, ... (the document the item rewrites), or the finding's rule for `manual`.
        public var kind: String
        public var name: String
        public var namespace: String?
        /// The ExternalSecret (and target Secret) name written.
        public var externalSecret: String?
        /// The Secret type kept through the template (`kubernetes.io/tls`, ...).
        public var secretType: String?
        /// The remote key, relative to `keyPrefix`.
        public var remoteKey: String?
        public var values: [Value]
        /// For `manual`: why.
        public var note: String?
        /// Files whose workloads read what the item moves (`envFrom` of a ConfigMap): rewritten too.
        public var consumers: [String] = []
        /// Keys the new Secret needs that no value holds, made by the ExternalSecret's template from the others
        /// (`target.template.data`, merged over the data: Harbor's REGISTRY_HTPASSWD).
        public var template: [String: String] = [:]
    }

    public var pushedKeys: [String] {
        Array(Set(items.compactMap { $0.remoteKey.map { Self.join(keyPrefix, $0) } })).sorted()
    }

    static func join(_ prefix: String?, _ key: String) -> String {
        guard let prefix, !prefix.isEmpty, !key.hasPrefix("/") else { return key }
        return prefix.hasSuffix("/") ? prefix + key : prefix + "/" + key
    }

    // MARK: YAML

    /// The plan as YAML (deterministic; no value, only previews and hashes).
    public func yaml() -> String {
        var out = """
            # eskit migration plan: review it, edit remoteKey / externalSecret names if you like, then run
            # `eskit migrate apply` with this file. It holds no secret value: each is named by a 3-character preview
            # and its SHA-256, which apply checks against the files before changing anything.
            apiVersion: eskit/v1alpha1
            kind: MigrationPlan
            store:
              kind: \(store.kind)
              name: \(Self.scalar(store.name))
            environment: \(Self.scalar(environment))

            """
        if let keyPrefix { out += "keyPrefix: \(Self.scalar(keyPrefix))\n" }
        out += items.isEmpty ? "items: []\n" : "items:\n"
        for item in items {
            out += "  - action: \(item.action.rawValue)\n"
            out += "    file: \(Self.scalar(item.file))\n"
            out += "    line: \(item.line)\n"
            out += "    kind: \(Self.scalar(item.kind))\n"
            out += "    name: \(Self.scalar(item.name))\n"
            if let ns = item.namespace { out += "    namespace: \(Self.scalar(ns))\n" }
            if let es = item.externalSecret { out += "    externalSecret: \(Self.scalar(es))\n" }
            if let t = item.secretType { out += "    secretType: \(Self.scalar(t))\n" }
            if let k = item.remoteKey { out += "    remoteKey: \(Self.scalar(k))\n" }
            if let note = item.note { out += "    note: \(Self.scalar(note))\n" }
            if !item.template.isEmpty {
                out += "    template:\n"
                for key in item.template.keys.sorted() {
                    out += "      \(Self.scalar(key)): \(Self.scalar(item.template[key]!))\n"
                }
            }
            if !item.consumers.isEmpty {
                out += "    consumers:\n" + item.consumers.map { "      - \(Self.scalar($0))\n" }.joined()
            }
            out += item.values.isEmpty ? "    values: []\n" : "    values:\n"
            for v in item.values {
                out += "      - key: \(Self.scalar(v.key))\n"
                out += "        property: \(Self.scalar(v.property))\n"
                out += "        line: \(v.line)\n"
                out += "        preview: \(Self.scalar(v.preview))\n"
                out += "        secretHash: \(v.secretHash)\n"
                if v.base64 { out += "        base64: true\n" }
                if let shared = v.sharedKey { out += "        sharedKey: \(Self.scalar(shared))\n" }
                if let file = v.file { out += "        file: \(Self.scalar(file))\n" }
            }
        }
        return out
    }

    /// The plan's summary as JSON (`migrate plan --format json`): counts by action, the remote keys, and each item
    /// by file, line, action and name (manual ones with their rule and note). Never a value, preview or hash.
    public func summaryJSON(planFile: String?) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("tool", "eskit")
        json.field("kind", "MigrationPlanSummary")
        if let planFile { json.field("plan", planFile) } else { json.null("plan") }
        json.beginObject("store")
        json.field("kind", store.kind)
        json.field("name", store.name)
        json.endObject()
        json.field("environment", environment)
        if let keyPrefix { json.field("keyPrefix", keyPrefix) } else { json.null("keyPrefix") }
        json.field("items", items.count)
        json.field("values", items.reduce(0) { $0 + $1.values.count })
        json.field("remoteKeys", pushedKeys.count)
        json.beginObject("byAction")
        let counts = Dictionary(grouping: items, by: \.action).mapValues(\.count)
        for action in counts.keys.map(\.rawValue).sorted() {
            json.field(action, counts[Action(rawValue: action)!] ?? 0)
        }
        json.endObject()
        json.beginArray("entries")
        for item in items {
            json.beginObject()
            json.field("action", item.action.rawValue)
            json.field("file", item.file)
            json.field("line", item.line)
            json.field("kind", item.kind)
            json.field("name", item.name)
            if let ns = item.namespace { json.field("namespace", ns) }
            if let es = item.externalSecret { json.field("externalSecret", es) }
            if let key = item.remoteKey { json.field("remoteKey", Self.join(keyPrefix, key)) }
            json.field("keys", item.values.count)
            if let note = item.note { json.field("note", note) }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }

    /// A YAML scalar: plain when that reads back as the same string, else double-quoted.
    static func scalar(_ s: String) -> String {
        let plainSafe =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy { c in
                (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A)
                    || (c.value >= 0x61 && c.value <= 0x7A) || "-._/".unicodeScalars.contains(c)
            } && !(s.first.map { "-.0123456789".contains($0) } ?? true)
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        if plainSafe { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\x%02X", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    /// Reads a plan written by `yaml()` (and edited by hand): errors name file:line:col.
    public static func read(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> MigrationPlan {
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: file) } catch {
            throw DiagnosticsError([.error(file, error.position, error.problem)])
        }
        guard let root = documents.first?.root else {
            throw DiagnosticsError([.error(file, .start, "the plan is empty")])
        }
        func need(_ node: YAMLNode?, _ key: String, in parent: YAMLNode) throws(DiagnosticsError) -> String {
            guard let value = node?[key]?.scalarValue else {
                throw DiagnosticsError([.error(file, (node ?? parent).start, "missing `\(key)`")])
            }
            return value
        }
        guard root["kind"]?.scalarValue == "MigrationPlan" else {
            throw DiagnosticsError([.error(file, root.start, "not an eskit migration plan (kind: MigrationPlan)")])
        }
        let storeNode = root["store"]
        var plan = MigrationPlan(
            store: StoreRef(
                name: try need(storeNode, "name", in: root), kind: try need(storeNode, "kind", in: root)),
            environment: try need(root, "environment", in: root), keyPrefix: root["keyPrefix"]?.scalarValue,
            items: [])
        for node in root["items"]?.items ?? [] {
            let actionText = try need(node, "action", in: root)
            guard let action = Action(rawValue: actionText) else {
                throw DiagnosticsError([.error(file, node["action"]!.start, "unknown action `\(actionText)`")])
            }
            var values: [Value] = []
            for v in node["values"]?.items ?? [] {
                values.append(
                    Value(
                        key: try need(v, "key", in: node), property: try need(v, "property", in: node),
                        secretHash: try need(v, "secretHash", in: node), preview: v["preview"]?.scalarValue ?? "",
                        line: Int(v["line"]?.scalarValue ?? "") ?? 0, base64: v["base64"]?.scalarValue == "true",
                        sharedKey: v["sharedKey"]?.scalarValue, file: v["file"]?.scalarValue))
            }
            plan.items.append(
                Item(
                    action: action, file: try need(node, "file", in: root),
                    line: Int(node["line"]?.scalarValue ?? "") ?? 0, kind: node["kind"]?.scalarValue ?? "",
                    name: node["name"]?.scalarValue ?? "", namespace: node["namespace"]?.scalarValue,
                    externalSecret: node["externalSecret"]?.scalarValue, secretType: node["secretType"]?.scalarValue,
                    remoteKey: node["remoteKey"]?.scalarValue, values: values, note: node["note"]?.scalarValue,
                    consumers: (node["consumers"]?.items ?? []).compactMap(\.scalarValue),
                    template: Dictionary(
                        (node["template"]?.pairs ?? []).compactMap { pair in
                            pair.key.scalarValue.flatMap { k in pair.value.scalarValue.map { (k, $0) } }
                        }, uniquingKeysWith: { a, _ in a })))
        }
        return plan
    }
}
