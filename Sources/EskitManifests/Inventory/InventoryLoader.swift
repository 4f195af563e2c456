public import EskitCore
public import EskitYAML

/// Reads `eskit.yaml`: YAML syntax, the inventory schema, then references between its parts. Every problem is
/// collected; the result is either an inventory (possibly with warnings) or all errors, sorted.
public enum InventoryLoader {
    /// Loads an inventory from bytes. `file` is the path used in messages.
    public static func load(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> Inventory {
        let documents: [YAMLDocument]
        do {
            documents = try YAML.parse(bytes, file: file)
        } catch {
            throw DiagnosticsError([yamlDiagnostic(error)])
        }
        let roots = documents.compactMap(\.root)
        guard let root = roots.first?.withoutAnchors, !root.isNull else {
            throw DiagnosticsError([
                .error(
                    file, .start,
                    "empty inventory: expected `apiVersion: \(InventorySchema.apiVersion)` and `kind: "
                        + "\(InventorySchema.kind)`; run `eskit init` for a commented starter"
                )
            ])
        }
        if let manifest = foreignManifest(root, file: file) { throw DiagnosticsError([manifest]) }
        if roots.count > 1 {
            throw DiagnosticsError([
                .error(file, roots[1].start, "an inventory is one YAML document; found \(roots.count)")
            ])
        }
        let issues = SchemaValidator.validate(root, against: InventorySchema.root)
        if !issues.isEmpty { throw DiagnosticsError(issues.map { quotingHint($0).diagnostic(file: file) }) }
        var decoder = Decoder(file: file)
        decoder.diagnostics += HelmBraces.check(root, file: file)
        let inventory = decoder.decode(root)
        if decoder.diagnostics.contains(where: \.isError) { throw DiagnosticsError(decoder.diagnostics) }
        return inventory
    }

    /// A string field given an unquoted number, boolean or null: say to quote it (YAML typed it, not the user);
    /// template engine `v1`: say it is gone.
    static func quotingHint(_ issue: SchemaIssue) -> SchemaIssue {
        if issue.path.hasSuffix("template.engineVersion"), issue.message.hasPrefix("\"v1\"") {
            var copy = issue
            copy.message +=
                " (template engine v1 went away with external-secrets.io/v1beta1; in v2, `{{ .key }}` reads a "
                + "fetched key, sprig functions are available)"
            return copy
        }
        guard issue.message.hasPrefix("expected a string, found") else { return issue }
        var copy = issue
        let field = issue.path.split(separator: ".").last.map(String.init) ?? "value"
        copy.message +=
            "; quote it if text is meant (`\(field): \"...\"`): unquoted numbers, yes/no/on/off and null are not "
            + "strings in YAML"
        return copy
    }

    /// An error when `root` is a Kubernetes manifest (an ESO ExternalSecret or store, often `v1beta1` from an old
    /// guide) rather than an inventory.
    static func foreignManifest(_ root: YAMLNode, file: String) -> Diagnostic? {
        guard let apiNode = root["apiVersion"], let api = apiNode.scalarValue, !api.hasPrefix("eskit/"),
            root["kind"]?.scalarValue != InventorySchema.kind
        else { return nil }
        let kind = root["kind"]?.scalarValue ?? "object"
        var message =
            "this is a Kubernetes manifest (`\(api)` \(kind)), not an eskit inventory (`apiVersion: "
            + "\(InventorySchema.apiVersion)`, `kind: \(InventorySchema.kind)`)"
        if api.hasPrefix("external-secrets.io/") {
            message +=
                "; describe it under `secrets:` (and `stores:`) of an inventory, which generates "
                + "external-secrets.io/v1 manifests; `eskit init` writes a starter"
            if api != "external-secrets.io/v1" {
                message +=
                    ". Note: ESO stopped serving \(api) in 0.17; hand-written manifests need `apiVersion: "
                    + "external-secrets.io/v1`"
            }
        } else {
            message += "; `eskit init` writes a starter inventory"
        }
        return .error(file, apiNode.start, message)
    }

    /// A YAML syntax error as a diagnostic (problem and context, without the snippet).
    public static func yamlDiagnostic(_ error: YAMLError) -> Diagnostic {
        var message = error.problem
        if let context = error.context {
            message += error.contextPosition.map { " (\(context) at \($0.line):\($0.column))" } ?? " (\(context))"
        }
        return .error(error.file, error.position, message)
    }

    struct Decoder {
        let file: String
        var diagnostics: [Diagnostic] = []

        mutating func error(_ node: YAMLNode, _ message: String) {
            diagnostics.append(.error(file, node.start, message))
        }

        func value(_ node: YAMLNode?) -> Inventory.Value<String>? {
            guard let node, let s = node.scalarValue else { return nil }
            return Inventory.Value(value: s, position: node.start)
        }

        mutating func decode(_ root: YAMLNode) -> Inventory {
            var defaults = Inventory.Defaults()
            if let d = root["defaults"] {
                defaults.refreshInterval = value(d["refreshInterval"]).map { v in
                    if case .int(let seconds)? = d["refreshInterval"]?.resolved {
                        return Inventory.Value(value: "\(seconds)s", position: v.position)
                    }
                    return v
                }
                defaults.refreshPolicy = value(d["refreshPolicy"])
                defaults.creationPolicy = value(d["creationPolicy"])
                defaults.deletionPolicy = value(d["deletionPolicy"])
                defaults.labels = d["labels"]?.stringPairs ?? []
                defaults.annotations = d["annotations"]?.stringPairs ?? []
            }
            var controller = Inventory.Controller()
            if let c = root["controller"] {
                if let ns = c["namespace"]?.scalarValue { controller.namespace = ns }
                if let sa = c["serviceAccount"]?.scalarValue { controller.serviceAccount = sa }
            }

            var environments: [Inventory.Environment] = []
            var outputs: [String: String] = [:]
            for node in root["environments"]?.items ?? [] {
                let name = node["name"]!.scalarValue!
                if environments.contains(where: { $0.name == name }) {
                    error(node["name"]!, "environments[]: duplicate environment `\(name)`")
                    continue
                }
                var namespaces: [String: Inventory.NamespaceMapping] = [:]
                for pair in node["namespaces"]?.pairs ?? [] {
                    guard let key = pair.key.scalarValue else { continue }
                    namespaces[key] = Inventory.NamespaceMapping(
                        name: pair.value["name"]?.scalarValue,
                        labels: pair.value["labels"].map { Dictionary($0.stringPairs, uniquingKeysWith: { a, _ in a }) }
                    )
                }
                let output = node["output"]?.scalarValue ?? "out/\(name)"
                let normalized = Self.normalize(output)
                if normalized.isEmpty || normalized == "." || normalized.hasPrefix("/") || normalized.hasPrefix("../")
                    || normalized == ".."
                {
                    error(
                        node["output"] ?? node,
                        "environment `\(name)`: output `\(output)` must be a folder inside the inventory's folder")
                } else if let other = outputs[normalized] {
                    error(
                        node["output"] ?? node,
                        "environment `\(name)`: output `\(output)` is also the output of `\(other)`")
                } else if let other = outputs.first(where: {
                    normalized.hasPrefix($0.key + "/") || $0.key.hasPrefix(normalized + "/")
                }) {
                    error(
                        node["output"] ?? node,
                        "environment `\(name)`: output `\(output)` overlaps the output of `\(other.value)`")
                }
                outputs[normalized] = name
                environments.append(
                    Inventory.Environment(
                        name: name, store: value(node["store"]), keyPrefix: node["keyPrefix"]?.scalarValue,
                        output: normalized, namespaces: namespaces, position: node.start))
            }
            let environmentNames = environments.map(\.name)

            var stores: [Inventory.Store] = []
            for node in root["stores"]?.items ?? [] {
                let name = node["name"]!.scalarValue!
                if stores.contains(where: { $0.name == name }) {
                    error(node["name"]!, "stores[]: duplicate store `\(name)`")
                    continue
                }
                let kind = Inventory.StoreKind(rawValue: node["kind"]?.scalarValue ?? "SecretStore") ?? .secretStore
                if kind == .secretStore, let c = node["conditions"] {
                    error(c, "store `\(name)`: `conditions` apply to ClusterSecretStore only")
                }
                let overrides = decodeOverrides(
                    node["overrides"], owner: "store `\(name)`", environments: environmentNames)
                for o in overrides where kind == .secretStore && o.node["conditions"] != nil {
                    error(o.node["conditions"]!, "store `\(name)`: `conditions` apply to ClusterSecretStore only")
                }
                stores.append(
                    Inventory.Store(
                        name: name, kind: kind, node: node.removingKeys(["overrides"]),
                        overrides: overrides, position: node.start))
            }
            let storeNames = stores.map(\.name)
            for env in environments {
                if let s = env.store, !storeNames.contains(s.value) {
                    diagnostics.append(
                        .error(
                            file, s.position,
                            "environment `\(env.name)`: unknown store `\(s.value)`"
                                + Suggestion.hint(s.value, storeNames)))
                }
            }

            var secrets: [Inventory.SecretEntry] = []
            var seen = Set<String>()
            for node in root["secrets"]?.items ?? [] {
                let name = node["name"]!.scalarValue!
                let namespace = node["namespace"]!.scalarValue!
                if !seen.insert("\(namespace)/\(name)").inserted {
                    error(node["name"]!, "secrets[]: duplicate secret `\(name)` in namespace `\(namespace)`")
                    continue
                }
                var envs: [String]?
                if let list = node["environments"]?.items {
                    envs = []
                    for item in list {
                        guard let e = item.scalarValue else { continue }
                        if !environmentNames.contains(e) {
                            error(
                                item,
                                "secret `\(name)`: unknown environment `\(e)`" + Suggestion.hint(e, environmentNames))
                        } else {
                            envs!.append(e)
                        }
                    }
                }
                let overrides = decodeOverrides(
                    node["overrides"], owner: "secret `\(name)`", environments: environmentNames)
                for o in overrides where envs != nil && !envs!.contains(o.environment) {
                    diagnostics.append(
                        .error(
                            file, o.keyPosition,
                            "secret `\(name)`: override for environment `\(o.environment)`, which the secret is not in")
                    )
                }
                var storeNodes = [node["store"]].compactMap({ $0 }) + overrides.compactMap({ $0.node["store"] })
                for holder in [node] + overrides.map(\.node) {
                    for entry in (holder["data"]?.items ?? []) + (holder["dataFrom"]?.items ?? []) {
                        if let n = entry["sourceRef"]?["storeRef"]?["name"] { storeNodes.append(n) }
                    }
                }
                for candidate in storeNodes {
                    if let s = candidate.scalarValue, !storeNames.contains(s) {
                        error(candidate, "secret `\(name)`: unknown store `\(s)`" + Suggestion.hint(s, storeNames))
                    }
                }
                secrets.append(
                    Inventory.SecretEntry(
                        name: name, namespace: namespace, environments: envs,
                        node: node.removingKeys(["name", "namespace", "environments", "overrides"]),
                        overrides: overrides, position: node.start))
            }
            return Inventory(
                file: file, defaults: defaults, controller: controller, environments: environments,
                stores: stores, secrets: secrets)
        }

        mutating func decodeOverrides(
            _ node: YAMLNode?, owner: String,
            environments: [String]
        ) -> [(environment: String, node: YAMLNode, keyPosition: TextPosition)] {
            var result: [(environment: String, node: YAMLNode, keyPosition: TextPosition)] = []
            for pair in node?.pairs ?? [] {
                guard let env = pair.key.scalarValue else { continue }
                if !environments.contains(env) {
                    error(
                        pair.key,
                        "\(owner): override for unknown environment `\(env)`" + Suggestion.hint(env, environments))
                    continue
                }
                result.append((env, pair.value, pair.key.start))
            }
            return result
        }

        static func normalize(_ path: String) -> String {
            var parts: [Substring] = []
            for part in path.split(separator: "/") {
                if part == "." || part.isEmpty { continue }
                if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
                parts.append(part)
            }
            return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
        }
    }
}
