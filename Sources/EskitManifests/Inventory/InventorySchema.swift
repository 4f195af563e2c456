/// The schema of `eskit.yaml` (`apiVersion: eskit/v1alpha1`, `kind: Inventory`). ESO-shaped blocks use ESO's own
/// field names; the loader checks the file against it and `eskit schema` prints it as JSON Schema.
public enum InventorySchema {
    public static let apiVersion = "eskit/v1alpha1"
    public static let kind = "Inventory"

    static let dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
    static let dnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    static let secretKeyPattern = "^[-._a-zA-Z0-9]+$"
    static let durationPattern = "^(0|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$"

    static func string(
        _ description: String, _ values: [String]? = nil, pattern: String? = nil,
        maxLength: Int? = nil
    ) -> Schema {
        Schema(
            types: ["string"], description: description, enumValues: values?.map { .string($0) },
            pattern: pattern.map { try! Pattern($0) }, minLength: values == nil && pattern == nil ? nil : 1,
            maxLength: maxLength)
    }

    static func object(
        _ description: String, _ properties: [(String, Schema)], required: [String] = [],
        open: Bool = false, minProperties: Int? = nil, maxProperties: Int? = nil
    ) -> Schema {
        Schema(
            types: ["object"], description: description, properties: properties, required: required,
            additional: open ? .allowed : .forbidden, minProperties: minProperties, maxProperties: maxProperties)
    }

    static func map(_ description: String, of value: Schema) -> Schema {
        Schema(types: ["object"], description: description, additional: .schema(value))
    }

    static func array(_ description: String, of item: Schema, minItems: Int? = nil) -> Schema {
        Schema(types: ["array"], description: description, items: item, minItems: minItems)
    }

    static func open(_ description: String) -> Schema {
        Schema(types: ["object"], description: description, additional: .allowed, preserveUnknownFields: true)
    }

    static let bool = Schema(types: ["boolean"])
    static let plainString = Schema(types: ["string"])
    static let stringMap = map("String keys to string values.", of: plainString)
    static let duration = Schema(
        description: "A Go duration such as `1h`, `30m`, `90s` or `0` (a bare integer means seconds).",
        pattern: try! Pattern(durationPattern), intOrString: true)

    static let creationPolicies = ["Owner", "Orphan", "Merge", "None", "CreateOrMerge"]
    static let deletionPolicies = ["Retain", "Delete", "Merge"]
    static let refreshPolicies = ["CreatedOnce", "Periodic", "OnChange"]

    static let remoteRef = object(
        "ESO `remoteRef`: where the value lives in the provider.",
        [
            (
                "key",
                string("The provider key; the environment's `keyPrefix` is joined in front unless it starts with `/`.")
            ),
            ("property", string("A field of the provider value (gjson path for JSON values).")),
            ("version", string("Provider-specific version (for AWS Secrets Manager `uuid/<id>` or a staging label).")),
            ("conversionStrategy", string("How invalid key characters are converted.", ["Default", "Unicode"])),
            ("decodingStrategy", string("How the value is decoded.", ["Auto", "Base64", "Base64URL", "None"])),
            ("metadataPolicy", string("`Fetch` returns provider metadata instead of the value.", ["None", "Fetch"])),
            ("nullBytePolicy", string("What to do with NUL bytes.", ["Ignore", "Fail"])),
        ], required: ["key"])

    static let dataEntry = object(
        "ESO `data[]` entry: one key of the target Secret.",
        [
            ("secretKey", string("The key in the target Secret.", pattern: secretKeyPattern)),
            ("remoteRef", remoteRef),
            ("sourceRef", open("ESO `sourceRef` (another store for this entry).")),
        ], required: ["secretKey", "remoteRef"])

    static let find = object(
        "ESO `dataFrom[].find`: many provider secrets by name or tags.",
        [
            (
                "path",
                string("A path prefix; the environment's `keyPrefix` is joined in front unless it starts with `/`.")
            ),
            ("name", object("Match provider secret names.", [("regexp", string("A Go regular expression."))])),
            ("tags", stringMap),
            ("conversionStrategy", string("How invalid key characters are converted.", ["Default", "Unicode"])),
            ("decodingStrategy", string("How values are decoded.", ["Auto", "Base64", "Base64URL", "None"])),
            ("nullBytePolicy", string("What to do with NUL bytes.", ["Ignore", "Fail"])),
        ])

    static let rewrite = object(
        "One rewrite: exactly one of `regexp`, `transform`, `merge`.",
        [
            (
                "regexp",
                object(
                    "Rename keys with a Go regular expression.",
                    [
                        ("source", string("A Go regular expression over each key.")),
                        ("target", string("The replacement (`$1` refers to a group).")),
                    ])
            ),
            (
                "transform",
                object(
                    "Rename keys with a Go template.",
                    [
                        ("template", string("A Go template over `.value` (the key), e.g. `{{ .value | upper }}`."))
                    ])
            ),
            ("merge", open("Merge JSON values into one key (ESO `merge` rewrite).")),
        ])

    static let dataFromEntry = object(
        "ESO `dataFrom[]` entry: exactly one of `extract`, `find`, `sourceRef`.",
        [
            ("extract", remoteRef),
            ("find", find),
            ("rewrite", array("ESO key rewrites, applied in order.", of: rewrite)),
            ("sourceRef", open("ESO `sourceRef` (`storeRef` or `generatorRef`).")),
        ])

    static let template = object(
        "ESO `target.template` (engine v2).",
        [
            ("type", string("The Secret type, e.g. `kubernetes.io/dockerconfigjson`.")),
            ("engineVersion", string("Template engine version.", ["v2"])),
            (
                "mergePolicy",
                string("`Replace` keeps only templated keys; `Merge` adds fetched keys.", ["Replace", "Merge"])
            ),
            (
                "metadata",
                object(
                    "Labels, annotations and finalizers of the target Secret.",
                    [
                        ("labels", stringMap), ("annotations", stringMap),
                        ("finalizers", array("Finalizers.", of: plainString)),
                    ])
            ),
            (
                "data",
                map("Templated keys: Go text/template over the fetched keys (`{{ .password }}`).", of: plainString)
            ),
            ("templateFrom", array("ESO `templateFrom` entries.", of: open("A templateFrom entry."))),
        ])

    static let target = object(
        "ESO `target`: the Secret that is written.",
        [
            ("name", string("The Secret name (default: the secret's `name`).", pattern: dnsSubdomain, maxLength: 253)),
            ("creationPolicy", string("Default from `defaults.creationPolicy`, else `Owner`.", creationPolicies)),
            ("deletionPolicy", string("Default from `defaults.deletionPolicy`, else `Retain`.", deletionPolicies)),
            ("immutable", bool),
            ("template", template),
            (
                "manifest",
                object(
                    "Render into another kind (needs ESO's generic targets).",
                    [
                        ("apiVersion", plainString), ("kind", plainString),
                    ], required: ["apiVersion", "kind"])
            ),
        ])

    static func secretFields() -> [(String, Schema)] {
        [
            ("store", string("The store name (default: the environment's `store`).")),
            ("refreshInterval", duration),
            ("refreshPolicy", string("Default from `defaults.refreshPolicy`.", refreshPolicies)),
            ("target", target),
            ("data", array("Keys fetched one by one.", of: dataEntry)),
            ("dataFrom", array("Many keys at once.", of: dataFromEntry)),
            ("syncWindows", open("ESO `syncWindows` (allow/deny schedules).")),
            ("labels", stringMap),
            ("annotations", stringMap),
        ]
    }

    static let secret: Schema = object(
        "One ExternalSecret per environment it belongs to.",
        [
            ("name", string("The ExternalSecret name.", pattern: dnsSubdomain, maxLength: 253)),
            (
                "namespace",
                string(
                    "The namespace (mapped per environment by `environments[].namespaces`).",
                    pattern: dnsLabel, maxLength: 63)
            ),
            ("environments", array("The environments this secret exists in (default: all).", of: plainString)),
        ] + secretFields() + [
            (
                "overrides",
                map(
                    "Per-environment replacements of any field above (mappings merge, other values replace).",
                    of: object("Fields that replace the secret's own in one environment.", secretFields()).partial)
            )
        ], required: ["name", "namespace"])

    static let labelSelector = object(
        "A Kubernetes label selector.",
        [
            ("matchLabels", stringMap),
            (
                "matchExpressions",
                array(
                    "Set-based requirements.",
                    of: object(
                        "A requirement.",
                        [
                            ("key", plainString),
                            ("operator", string("The operator.", ["In", "NotIn", "Exists", "DoesNotExist"])),
                            ("values", array("Values.", of: plainString)),
                        ], required: ["key", "operator"]))
            ),
        ])

    static let condition = object(
        "ESO ClusterSecretStore condition: namespaces that may use the store.",
        [
            ("namespaceSelector", labelSelector),
            ("namespaces", array("Namespace names.", of: plainString)),
            ("namespaceRegexes", array("Go regular expressions (unanchored).", of: plainString)),
        ])

    /// Every provider of ESO's `SecretStore` `spec.provider`, with ESO's own schema (built-in CRDs, closed: a
    /// misspelt field anywhere in a provider or auth block is an error with "did you mean"); the families eskit
    /// knows add their summary and the fields the inventory requires. Each provider's schema is read from the
    /// built-in CRD when first needed: an inventory uses one or two of the forty, and reading the whole CRD
    /// took more than half of a small inventory's load.
    static let providers: [(String, Schema)] = {
        let file = "external-secrets.io_secretstores.yaml"
        let path: [EmbeddedJSON.Step] = [
            .key("spec"), .key("versions"), .named("v1"), .key("schema"), .key("openAPIV3Schema"),
            .key("properties"), .key("spec"), .key("properties"), .key("provider"), .key("properties"),
        ]
        guard let json = EmbeddedCRDs.files.first(where: { $0.name == file })?.json,
            let block = try? EmbeddedJSON.locate(path, in: json),
            let members = try? EmbeddedJSON.members(of: block, in: json)
        else { preconditionFailure("built-in SecretStore CRD has no spec.provider") }
        return members.map { name, range in
            let schema = Schema(deferred: {
                // The embedded text is generated and checked by tests: failing to read it is a build defect.
                guard let node = try? EmbeddedJSON.parse(json, range: range),
                    let schema = try? Schema.read(node, file: "<built-in>/\(file)")
                else { preconditionFailure("built-in provider schema \(name) is unusable") }
                guard let family = ProviderFamilies.named(name) else { return schema }
                return schema.adding(required: family.inventoryRequired, description: family.summary)
            })
            return (name, schema)
        }.sorted { $0.0 < $1.0 }
    }()

    static let serviceAccount = object(
        "The service account(s) the store's auth refers to, as eskit generates them.",
        [
            ("annotations", stringMap),
            ("labels", stringMap),
        ] + ProviderFamilies.accountAnnotations.map { ($0.field, string($0.description, pattern: $0.pattern)) })

    /// What editors get (`eskit schema`): ESO's schema for the families eskit knows, any object for the other ESO
    /// providers (eskit itself checks those against ESO's schema too; their full schemas would make the file
    /// ten times larger).
    static let editorProviders: [(String, Schema)] = providers.map { name, schema in
        ProviderFamilies.named(name) == nil
            ? (name, open("ESO's `\(name)` provider (eskit checks it against ESO's CRD).")) : (name, schema)
    }

    static func storeFields(_ providers: [(String, Schema)]) -> [(String, Schema)] {
        [
            (
                "provider",
                Schema(
                    types: ["object"], description: "Exactly ESO's `spec.provider` block (one provider key).",
                    properties: providers, additional: .forbidden, minProperties: 1, maxProperties: 1)
            ),
            ("conditions", array("ClusterSecretStore only: ESO `conditions`.", of: condition)),
            (
                "refreshInterval",
                Schema(
                    description: "Store revalidation interval (seconds or a duration).",
                    intOrString: true)
            ),
            ("controller", string("ESO controller class.")),
            (
                "retrySettings",
                object(
                    "ESO `retrySettings`.",
                    [
                        ("maxRetries", Schema(types: ["integer"])), ("retryInterval", plainString),
                    ])
            ),
            ("serviceAccount", serviceAccount),
            (
                "keyPrefix",
                string(
                    "Replaces the environment's `keyPrefix` for keys read through this store (`\"\"` for none), e.g. "
                        + "per environment under `overrides`."
                )
            ),
        ]
    }

    static func store(_ providers: [(String, Schema)]) -> Schema {
        object(
            "A SecretStore or ClusterSecretStore.",
            [
                ("name", string("The store name.", pattern: dnsSubdomain, maxLength: 253)),
                ("kind", string("Default `SecretStore`.", ["SecretStore", "ClusterSecretStore"])),
            ] + storeFields(providers) + [
                (
                    "overrides",
                    map(
                        "Per-environment replacements (e.g. another server or region).",
                        of: object(
                            "Fields that replace the store's own in one environment.",
                            storeFields(providers)
                        ).partial)
                )
            ], required: ["name", "provider"])
    }

    static let namespaceMapping = object(
        "How a namespace of the inventory is named and labelled in this environment.",
        [
            ("name", string("The namespace name in this environment.", pattern: dnsLabel, maxLength: 63)),
            ("labels", stringMap),
        ])

    static let environment = object(
        "A target environment: one output folder.",
        [
            ("name", string("The environment name.", pattern: dnsLabel, maxLength: 63)),
            ("store", string("The default store of this environment's secrets.")),
            ("keyPrefix", string("Joined with `/` in front of every remote key that does not start with `/`.")),
            ("output", string("The output folder, relative to the inventory (default `out/<name>`).")),
            ("namespaces", map("Namespace mapping by inventory namespace.", of: namespaceMapping)),
        ], required: ["name"])

    /// The whole inventory document, as the loader checks it.
    public static let root = makeRoot(providers: providers)

    /// The whole inventory document as `eskit schema` writes it for editors (see `editorProviders`).
    public static let editorRoot = makeRoot(providers: editorProviders)

    static func makeRoot(providers: [(String, Schema)]) -> Schema {
        object(
            "An eskit inventory: External Secrets for every environment.",
            [
                ("apiVersion", string("The inventory format version.", [apiVersion])),
                ("kind", string("Always `Inventory`.", [kind])),
                (
                    "defaults",
                    object(
                        "Defaults for every secret.",
                        [
                            ("refreshInterval", duration),
                            ("refreshPolicy", string("Default refresh policy.", refreshPolicies)),
                            ("creationPolicy", string("Default creation policy.", creationPolicies)),
                            ("deletionPolicy", string("Default deletion policy.", deletionPolicies)),
                            ("labels", stringMap),
                            ("annotations", stringMap),
                        ])
                ),
                (
                    "controller",
                    object(
                        "Where ESO runs (for least-privilege RBAC).",
                        [
                            ("namespace", string("Default `external-secrets`.", pattern: dnsLabel)),
                            ("serviceAccount", string("Default `external-secrets`.", pattern: dnsSubdomain)),
                        ])
                ),
                ("environments", array("The environments.", of: environment, minItems: 1)),
                ("stores", array("The stores.", of: store(providers), minItems: 1)),
                ("secrets", array("The secrets.", of: secret)),
            ], required: ["apiVersion", "kind", "environments", "stores"])
    }
}
