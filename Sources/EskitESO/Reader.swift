public import EskitCore
public import EskitYAML

/// Where each field of a read object was written, by JSON path (`spec.data[2].remoteRef.key`): what lint and
/// validate point at. Every node of the document has an entry, typed or not.
public struct Marks: Sendable {
    public var file: String
    private var spans: [String: TextSpan]

    init(file: String, spans: [String: TextSpan]) {
        self.file = file
        self.spans = spans
    }

    /// The span of the node at `path` (`""` is the whole object).
    public subscript(path: String) -> TextSpan? { spans[path] }

    /// `file:line:col` of the node at `path`, or of the nearest enclosing node that exists.
    public func location(_ path: String) -> SourceLocation {
        var current = path
        while true {
            if let span = spans[current] { return SourceLocation(file: file, position: span.start) }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = String(current[..<cut])
        }
        return SourceLocation(file: file, position: spans[""]?.start ?? .start)
    }

    static func collect(_ node: YAMLNode, file: String) -> Marks {
        var spans: [String: TextSpan] = [:]
        func walk(_ node: YAMLNode, _ path: String) {
            spans[path] = node.span
            switch node.kind {
            case .mapping(let pairs):
                for pair in pairs {
                    guard let key = pair.key.scalarValue else { continue }
                    walk(pair.value, path.isEmpty ? key : "\(path).\(key)")
                }
            case .sequence(let items):
                for (i, item) in items.enumerated() { walk(item, "\(path)[\(i)]") }
            case .scalar:
                break
            }
        }
        walk(node, "")
        return Marks(file: file, spans: spans)
    }
}

/// An object read from YAML with the marks of its fields.
public struct ReadObject: Sendable {
    public var object: ESOObject
    public var marks: Marks
}

/// What one YAML document held.
public enum ReadResult: Sendable {
    /// An ESO object of the served API.
    case eso(ReadObject)
    /// An ESO kind the model could not read: every problem, with `file:line:col`.
    case invalid([Diagnostic])
    /// Not an ESO object (a Deployment, a Secret, a kustomization): left to other readers.
    case other(YAMLNode)
}

/// Reads ESO objects from YAML. Structural problems (a wrong type, a missing required field, an apiVersion ESO no
/// longer serves) are diagnostics naming the field path, never a value; fields the model does not type are kept.
/// `ESORules` adds unknown fields, enums, patterns and webhook rules (`rules: true`); the full CRD schema check is
/// `EskitManifests.ESOManifests`, which runs ESO's own CRDs before this reader.
public enum ESOReader {
    public static let kinds = [
        "ExternalSecret", "ClusterExternalSecret", "SecretStore", "ClusterSecretStore",
        "PushSecret", "ClusterPushSecret",
    ]

    /// Every document of `bytes`. With `rules` (the default) the CRD / webhook rules of `ESORules` are checked too.
    public static func read(_ bytes: [UInt8], file: String, rules: Bool = true) throws(YAMLError) -> [ReadResult] {
        try YAML.parse(bytes, file: file).compactMap(\.root).map { read($0, file: file, rules: rules) }
    }

    /// One document's root. With `rules` (the default) the CRD / webhook rules of `ESORules` are checked too.
    public static func read(_ root: YAMLNode, file: String, rules: Bool = true) -> ReadResult {
        guard let api = root["apiVersion"]?.scalarValue, api.hasPrefix(ESO.group + "/"),
            let kind = root["kind"]?.scalarValue, kinds.contains(kind)
        else { return .other(root) }
        var reader = Decoding(file: file)
        let expected = kind.hasSuffix("PushSecret") ? ESO.pushAPIVersion : ESO.apiVersion
        if api != expected, let node = root["apiVersion"] {
            var message = "apiVersion: `\(api)` is not served for \(kind) by current ESO; use `\(expected)`"
            if api.hasSuffix("/v1beta1") { message += " (v1beta1 stopped being served in ESO 0.17)" }
            reader.error(node, message)
        }
        let object: ESOObject?
        switch kind {
        case "ExternalSecret": object = reader.externalSecret(root).map(ESOObject.externalSecret)
        case "ClusterExternalSecret": object = reader.clusterExternalSecret(root).map(ESOObject.clusterExternalSecret)
        case "SecretStore", "ClusterSecretStore":
            object = reader.secretStore(root, cluster: kind == "ClusterSecretStore").map(ESOObject.secretStore)
        default: object = reader.pushSecret(root, cluster: kind == "ClusterPushSecret").map(ESOObject.pushSecret)
        }
        if rules { reader.diagnostics += ESORules.check(root, kind: kind, file: file) }
        guard reader.diagnostics.isEmpty, let object else { return .invalid(reader.diagnostics.sorted()) }
        return .eso(ReadObject(object: object, marks: Marks.collect(root, file: file)))
    }

    /// A `data[]` entry as the inventory or a manifest writes it (for builders that start from YAML).
    public static func dataEntry(_ node: YAMLNode, file: String) throws(DiagnosticsError) -> DataEntry {
        var reader = Decoding(file: file)
        guard let entry = reader.dataEntry(node, "data[]"), reader.diagnostics.isEmpty else {
            throw DiagnosticsError(reader.diagnostics)
        }
        return entry
    }

    /// A `dataFrom[]` entry (see `dataEntry`).
    public static func dataFromEntry(_ node: YAMLNode, file: String) throws(DiagnosticsError) -> DataFromEntry {
        var reader = Decoding(file: file)
        guard let entry = reader.dataFromEntry(node, "dataFrom[]"), reader.diagnostics.isEmpty else {
            throw DiagnosticsError(reader.diagnostics)
        }
        return entry
    }
}

/// The decoding state: diagnostics so far.
struct Decoding {
    let file: String
    var diagnostics: [Diagnostic] = []

    mutating func error(_ node: YAMLNode, _ message: String) {
        diagnostics.append(.error(file, node.start, message))
    }

    static func kindName(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: node.isNull ? "null" : "a scalar"
        }
    }

    /// The pairs of a mapping (or an error and nil).
    mutating func mapping(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> [YAMLPair]? {
        guard let node else { return nil }
        guard let pairs = node.pairs else {
            error(node, "\(path()): expected a mapping, found \(Self.kindName(node))")
            return nil
        }
        return pairs
    }

    mutating func string(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard case .scalar(let text, _) = node.kind else {
            error(node, "\(path()): expected text, found \(Self.kindName(node))")
            return nil
        }
        return text
    }

    mutating func required(_ node: YAMLNode?, in parent: YAMLNode, _ path: @autoclosure () -> String) -> String? {
        guard let node else {
            error(parent, "\(path()): missing required field")
            return nil
        }
        return string(node, path())
    }

    mutating func strings(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else {
            error(node, "\(path()): expected a list, found \(Self.kindName(node))")
            return []
        }
        return items.enumerated().compactMap { string($1, "\(path())[\($0)]") }
    }

    mutating func pairs(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> StringPairs {
        guard let pairs = mapping(node, path()) else { return StringPairs() }
        return StringPairs(
            pairs.compactMap { p in
                guard let k = p.key.scalarValue else { return nil }
                return string(p.value, "\(path()).\(k)").map { (k, $0) }
            })
    }

    /// Untyped fields of `node` (every key not in `typed`), in source order.
    func extras(_ node: YAMLNode, typed: [String]) -> Extras {
        guard let pairs = node.pairs else { return Extras() }
        var out: [(key: String, value: RawNode)] = []
        for p in pairs {
            guard let k = p.key.scalarValue, !typed.contains(k) else { continue }
            out.append((k, RawNode(p.value)))
        }
        return Extras(out)
    }

    func order(_ node: YAMLNode) -> [String] {
        guard let pairs = node.pairs else { return [] }
        var out: [String] = []
        out.reserveCapacity(pairs.count)
        for p in pairs { if let k = p.key.scalarValue { out.append(k) } }
        return out
    }

    mutating func metadata(_ root: YAMLNode) -> ObjectMeta? {
        guard let node = root["metadata"] else {
            error(root, "metadata: missing required field")
            return nil
        }
        guard mapping(node, "metadata") != nil else { return nil }
        guard let name = required(node["name"], in: node, "metadata.name") else { return nil }
        return ObjectMeta(
            name: name, namespace: string(node["namespace"], "metadata.namespace"),
            labels: pairs(node["labels"], "metadata.labels"),
            annotations: pairs(node["annotations"], "metadata.annotations"),
            extras: extras(node, typed: ["name", "namespace", "labels", "annotations"]))
    }

    mutating func storeRef(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> StoreRef? {
        guard let node, mapping(node, path()) != nil else { return nil }
        // ESO's schema does not require `name` (an empty name is rejected by its pattern): "" when not written.
        let name = string(node["name"], "\(path()).name") ?? ""
        return StoreRef(name: name, kind: string(node["kind"], "\(path()).kind"), keyOrder: order(node))
    }

    mutating func sourceRef(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> SourceRef? {
        guard let node, mapping(node, path()) != nil else { return nil }
        return SourceRef(
            storeRef: storeRef(node["storeRef"], "\(path()).storeRef"),
            generatorRef: node["generatorRef"].map(RawNode.init),
            extras: extras(node, typed: ["storeRef", "generatorRef"]), keyOrder: order(node))
    }

    static let remoteRefFields: [String] = [
        "key", "property", "version", "conversionStrategy", "decodingStrategy",
        "metadataPolicy", "nullBytePolicy",
    ]

    /// The most frequent object of all (one per `data[]` entry): its fields, extras and key order are taken in
    /// one pass over the pairs (the first of a repeated key, as `node[key]` would) instead of a lookup per field.
    mutating func remoteRef(_ node: YAMLNode?, in parent: YAMLNode, _ path: @autoclosure () -> String) -> RemoteRef? {
        guard let node else {
            error(parent, "\(path()): missing required field")
            return nil
        }
        guard let pairs = mapping(node, path()) else { return nil }
        let (fields, extras, order) = Self.split(pairs, Self.remoteRefFields)
        guard let key = required(fields[0], in: node, "\(path()).key") else { return nil }
        return RemoteRef(
            key: key, property: string(fields[1], "\(path()).property"),
            version: string(fields[2], "\(path()).version"),
            conversionStrategy: string(fields[3], "\(path()).conversionStrategy"),
            decodingStrategy: string(fields[4], "\(path()).decodingStrategy"),
            metadataPolicy: string(fields[5], "\(path()).metadataPolicy"),
            nullBytePolicy: string(fields[6], "\(path()).nullBytePolicy"),
            extras: extras, keyOrder: order)
    }

    /// The pairs of a mapping in one pass: the value of each of `typed` (the first of a repeated key, as
    /// `node[key]` would give), the other fields as extras, and the key order.
    @inline(__always)
    static func split(
        _ pairs: [YAMLPair], _ typed: [String]
    ) -> (fields: [YAMLNode?], extras: Extras, order: [String]) {
        var fields = [YAMLNode?](repeating: nil, count: typed.count)
        var extras: [(key: String, value: RawNode)] = []
        var order: [String] = []
        order.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let k = pair.key.scalarValue else { continue }
            order.append(k)
            if let i = typed.firstIndex(of: k) {
                if fields[i] == nil { fields[i] = pair.value }
            } else {
                extras.append((k, RawNode(pair.value)))
            }
        }
        return (fields, Extras(extras), order)
    }

    static let dataEntryFields: [String] = ["secretKey", "remoteRef", "sourceRef"]

    /// One pass over the pairs, as `remoteRef` (the generator reads one entry per key and environment).
    mutating func dataEntry(_ node: YAMLNode, _ path: @autoclosure () -> String) -> DataEntry? {
        guard let pairs = mapping(node, path()) else { return nil }
        let (fields, extras, order) = Self.split(pairs, Self.dataEntryFields)
        guard let secretKey = required(fields[0], in: node, "\(path()).secretKey"),
            let remote = remoteRef(fields[1], in: node, "\(path()).remoteRef")
        else { return nil }
        return DataEntry(
            secretKey: secretKey, remoteRef: remote, sourceRef: sourceRef(fields[2], "\(path()).sourceRef"),
            extras: extras, keyOrder: order)
    }

    mutating func dataFromEntry(_ node: YAMLNode, _ path: @autoclosure () -> String) -> DataFromEntry? {
        guard mapping(node, path()) != nil else { return nil }
        var find: Find?
        if let f = node["find"], mapping(f, "\(path()).find") != nil {
            find = Find(
                path: string(f["path"], "\(path()).find.path"),
                nameRegexp: string(f["name"]?["regexp"], "\(path()).find.name.regexp"),
                tags: pairs(f["tags"], "\(path()).find.tags"),
                extras: extras(f, typed: ["path", "name", "tags"]), keyOrder: order(f))
        }
        let rewrite = (node["rewrite"]?.items ?? []).map(RawNode.init)
        if let r = node["rewrite"], r.items == nil {
            error(r, "\(path()).rewrite: expected a list, found \(Self.kindName(r))")
        }
        return DataFromEntry(
            extract: node["extract"].flatMap { remoteRef($0, in: node, "\(path()).extract") },
            find: find, sourceRef: sourceRef(node["sourceRef"], "\(path()).sourceRef"), rewrite: rewrite,
            extras: extras(node, typed: ["extract", "find", "sourceRef", "rewrite"]),
            keyOrder: order(node))
    }

    mutating func target(_ node: YAMLNode?, _ path: @autoclosure () -> String) -> Target? {
        guard let node, mapping(node, path()) != nil else { return nil }
        var immutable: Bool?
        if let i = node["immutable"] {
            switch i.scalarValue {
            case "true": immutable = true
            case "false": immutable = false
            default: error(i, "\(path()).immutable: expected true or false")
            }
        }
        return Target(
            name: string(node["name"], "\(path()).name"),
            creationPolicy: string(node["creationPolicy"], "\(path()).creationPolicy"),
            deletionPolicy: string(node["deletionPolicy"], "\(path()).deletionPolicy"), immutable: immutable,
            template: node["template"].map(RawNode.init),
            extras: extras(node, typed: ["name", "creationPolicy", "deletionPolicy", "immutable", "template"]),
            keyOrder: order(node))
    }

    mutating func externalSecretSpec(
        _ node: YAMLNode?, in parent: YAMLNode, _ path: @autoclosure () -> String
    ) -> ExternalSecretSpec? {
        guard let node else {
            error(parent, "\(path()): missing required field")
            return nil
        }
        guard mapping(node, path()) != nil else { return nil }
        var data: [DataEntry] = []
        if let list = node["data"] {
            if let items = list.items {
                for (i, item) in items.enumerated() {
                    if let e = dataEntry(item, "\(path()).data[\(i)]") { data.append(e) }
                }
            } else {
                error(list, "\(path()).data: expected a list, found \(Self.kindName(list))")
            }
        }
        var dataFrom: [DataFromEntry] = []
        if let list = node["dataFrom"] {
            if let items = list.items {
                for (i, item) in items.enumerated() {
                    if let e = dataFromEntry(item, "\(path()).dataFrom[\(i)]") { dataFrom.append(e) }
                }
            } else {
                error(list, "\(path()).dataFrom: expected a list, found \(Self.kindName(list))")
            }
        }
        var interval = string(node["refreshInterval"], "\(path()).refreshInterval")
        if let n = node["refreshInterval"], case .int(let seconds)? = n.resolved { interval = "\(seconds)s" }
        return ExternalSecretSpec(
            secretStoreRef: storeRef(node["secretStoreRef"], "\(path()).secretStoreRef"),
            refreshInterval: interval,
            refreshPolicy: string(node["refreshPolicy"], "\(path()).refreshPolicy"),
            target: target(node["target"], "\(path()).target"), data: data, dataFrom: dataFrom,
            extras: extras(
                node,
                typed: [
                    "secretStoreRef", "refreshInterval", "refreshPolicy",
                    "target", "data", "dataFrom",
                ]))
    }

    static let topLevel: [String] = ["apiVersion", "kind", "metadata", "spec"]

    mutating func externalSecret(_ root: YAMLNode) -> ExternalSecret? {
        let meta = metadata(root)
        let spec = externalSecretSpec(root["spec"], in: root, "spec")
        guard let meta, let spec else { return nil }
        return ExternalSecret(metadata: meta, spec: spec, extras: extras(root, typed: Self.topLevel))
    }

    mutating func clusterExternalSecret(_ root: YAMLNode) -> ClusterExternalSecret? {
        let meta = metadata(root)
        guard let specNode = root["spec"] else {
            error(root, "spec: missing required field")
            return nil
        }
        guard mapping(specNode, "spec") != nil else { return nil }
        let inner = externalSecretSpec(specNode["externalSecretSpec"], in: specNode, "spec.externalSecretSpec")
        guard let meta, let inner else { return nil }
        return ClusterExternalSecret(
            metadata: meta, externalSecretName: string(specNode["externalSecretName"], "spec.externalSecretName"),
            namespaces: strings(specNode["namespaces"], "spec.namespaces"),
            namespaceSelectors: (specNode["namespaceSelectors"]?.items ?? []).map(RawNode.init),
            refreshTime: string(specNode["refreshTime"], "spec.refreshTime"), externalSecretSpec: inner,
            specExtras: extras(
                specNode,
                typed: [
                    "externalSecretName", "namespaces", "namespaceSelectors",
                    "refreshTime", "externalSecretSpec",
                ]),
            extras: extras(root, typed: Self.topLevel))
    }

    mutating func secretStore(_ root: YAMLNode, cluster: Bool) -> SecretStore? {
        let meta = metadata(root)
        guard let spec = root["spec"] else {
            error(root, "spec: missing required field")
            return nil
        }
        guard mapping(spec, "spec") != nil else { return nil }
        guard let providerNode = spec["provider"] else {
            error(spec, "spec.provider: missing required field")
            return nil
        }
        guard let providerPairs = mapping(providerNode, "spec.provider") else { return nil }
        guard providerPairs.count == 1, let name = providerPairs[0].key.scalarValue else {
            error(providerNode, "spec.provider: exactly one provider is required (found \(providerPairs.count))")
            return nil
        }
        var conditions: [StoreCondition] = []
        for (i, c) in (spec["conditions"]?.items ?? []).enumerated() where mapping(c, "spec.conditions[\(i)]") != nil {
            _ = strings(c["namespaces"], "spec.conditions[\(i)].namespaces")
            _ = strings(c["namespaceRegexes"], "spec.conditions[\(i)].namespaceRegexes")
            conditions.append(StoreCondition.read(c))
        }
        guard let meta else { return nil }
        let storeSpec = StoreSpec(
            controller: string(spec["controller"], "spec.controller"),
            provider: Provider.read(name: name, block: providerPairs[0].value),
            refreshInterval: spec["refreshInterval"].map(RawNode.init),
            retrySettings: spec["retrySettings"].map(RawNode.init), conditions: conditions,
            extras: extras(
                spec,
                typed: [
                    "controller", "provider", "refreshInterval",
                    "retrySettings", "conditions",
                ]),
            keyOrder: order(spec))
        return SecretStore(
            isCluster: cluster, metadata: meta, spec: storeSpec, extras: extras(root, typed: Self.topLevel))
    }

    mutating func pushSecret(_ root: YAMLNode, cluster: Bool) -> PushSecret? {
        let meta = metadata(root)
        guard let outer = root["spec"] else {
            error(root, "spec: missing required field")
            return nil
        }
        guard mapping(outer, "spec") != nil else { return nil }
        // A ClusterPushSecret nests the PushSecret spec under `pushSecretSpec`.
        let spec = cluster ? (outer["pushSecretSpec"] ?? outer) : outer
        let base = cluster ? "spec.pushSecretSpec" : "spec"
        var refs: [StoreRef] = []
        for (i, item) in (spec["secretStoreRefs"]?.items ?? []).enumerated() {
            if let ref = storeRef(item, "\(base).secretStoreRefs[\(i)]") { refs.append(ref) }
        }
        var data: [PushData] = []
        for (i, item) in (spec["data"]?.items ?? []).enumerated() {
            let path = "\(base).data[\(i)]"
            guard let match = item["match"] else {
                error(item, "\(path).match: missing required field")
                continue
            }
            guard let remote = match["remoteRef"],
                let key = required(
                    remote["remoteKey"], in: remote,
                    "\(path).match.remoteRef.remoteKey")
            else {
                if match["remoteRef"] == nil { error(match, "\(path).match.remoteRef: missing required field") }
                continue
            }
            data.append(
                PushData(
                    secretKey: string(match["secretKey"], "\(path).match.secretKey"), remoteKey: key,
                    property: string(remote["property"], "\(path).match.remoteRef.property"),
                    extras: extras(item, typed: ["match"])))
        }
        guard let meta else { return nil }
        return PushSecret(
            isCluster: cluster, metadata: meta, secretStoreRefs: refs,
            secretName: string(spec["selector"]?["secret"]?["name"], "\(base).selector.secret.name"),
            data: data, refreshInterval: string(spec["refreshInterval"], "\(base).refreshInterval"),
            updatePolicy: string(spec["updatePolicy"], "\(base).updatePolicy"),
            deletionPolicy: string(spec["deletionPolicy"], "\(base).deletionPolicy"),
            specExtras: Extras([("spec", RawNode(outer))]), extras: extras(root, typed: Self.topLevel))
    }
}
