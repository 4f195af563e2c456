public import EskitYAML

/// The one way ESO objects become YAML. Objects read from YAML keep their key order; objects built in code get the
/// canonical order eskit's generator writes (`apiVersion, kind, metadata, spec`; `secretStoreRef, refreshInterval,
/// refreshPolicy, target, data, dataFrom`; `controller, provider, refreshInterval, retrySettings, conditions`).
/// Strings are double-quoted nodes, which the YAML emitter writes plain whenever that reads back the same.
public enum ESOEmitter {
    /// The object as one YAML node (a document root).
    public static func node(_ object: ESOObject) -> YAMLNode {
        switch object {
        case .externalSecret(let o):
            return document(object.apiVersion, "ExternalSecret", o.metadata, spec(o.spec), o.extras)
        case .clusterExternalSecret(let o):
            var pairs: [(String, YAMLNode?)] = [
                ("externalSecretName", o.externalSecretName.map(s)),
                ("namespaces", o.namespaces.isEmpty ? nil : YAMLNode.sequence(o.namespaces.map(s))),
                (
                    "namespaceSelectors",
                    o.namespaceSelectors.isEmpty ? nil : YAMLNode.sequence(o.namespaceSelectors.map(\.node))
                ),
                ("refreshTime", o.refreshTime.map(s)),
                ("externalSecretSpec", spec(o.externalSecretSpec)),
            ]
            pairs += o.specExtras.pairs.map { ($0.key, $0.value.node) }
            return document(object.apiVersion, "ClusterExternalSecret", o.metadata, mapping(pairs), o.extras)
        case .secretStore(let o):
            return document(object.apiVersion, o.kind, o.metadata, storeSpec(o.spec), o.extras)
        case .pushSecret(let o):
            return document(object.apiVersion, o.kind, o.metadata, pushSpec(o), o.extras)
        }
    }

    /// The object as YAML text (one document, ending in a newline), after an optional header.
    public static func text(_ object: ESOObject, header: String = "") -> String {
        String(decoding: YAMLEmitter.emitUTF8([YAMLDocument(root: node(object))], prefix: header), as: UTF8.self)
    }

    static func s(_ value: String) -> YAMLNode { .scalar(value, style: .doubleQuoted) }

    /// A mapping of the present fields, in the given order.
    static func mapping(_ pairs: [(String, YAMLNode?)]) -> YAMLNode {
        var out: [YAMLPair] = []
        out.reserveCapacity(pairs.count)
        for (key, value) in pairs { if let value { out.append(YAMLPair(key: s(key), value: value)) } }
        return YAMLNode(kind: .mapping(out))
    }

    /// `fields` ordered by `order` (source order) when given, else as listed; extras after, in their order.
    /// The generator calls this for every small mapping it writes (a remoteRef, a data entry), so it works in one
    /// array without a dictionary or a sort: each present field is ranked by a linear search of `order` (a
    /// handful of keys) and put in place by a stable insertion, which appends when fields come in order already.
    static func ordered(_ fields: [(String, YAMLNode?)], extras: Extras, order: [String]?) -> YAMLNode {
        var out: [YAMLPair] = []
        var ranks: [Int] = []
        let capacity = fields.count + extras.pairs.count
        out.reserveCapacity(capacity)
        if order != nil { ranks.reserveCapacity(capacity) }
        func add(_ key: String, _ value: YAMLNode) {
            guard let order else {
                out.append(YAMLPair(key: s(key), value: value))
                return
            }
            let rank = order.firstIndex(of: key) ?? Int.max
            var at = ranks.count
            while at > 0, ranks[at - 1] > rank { at -= 1 }
            if at == ranks.count {
                ranks.append(rank)
                out.append(YAMLPair(key: s(key), value: value))
            } else {
                ranks.insert(rank, at: at)
                out.insert(YAMLPair(key: s(key), value: value), at: at)
            }
        }
        for (key, value) in fields { if let value { add(key, value) } }
        for extra in extras.pairs { add(extra.key, extra.value.node) }
        return YAMLNode(kind: .mapping(out))
    }

    static func document(
        _ api: String, _ kind: String, _ meta: ObjectMeta, _ spec: YAMLNode, _ extras: Extras
    ) -> YAMLNode {
        var pairs: [(String, YAMLNode?)] = [
            ("apiVersion", s(api)), ("kind", s(kind)), ("metadata", metadata(meta)),
            ("spec", spec),
        ]
        pairs += extras.pairs.map { ($0.key, $0.value.node) }
        return mapping(pairs)
    }

    static func stringMap(_ pairs: StringPairs) -> YAMLNode? {
        pairs.isEmpty ? nil : mapping(pairs.pairs.map { ($0.0, s($0.1)) })
    }

    static func metadata(_ meta: ObjectMeta) -> YAMLNode {
        var pairs: [(String, YAMLNode?)] = [
            ("name", s(meta.name)), ("namespace", meta.namespace.map(s)),
            ("labels", stringMap(meta.labels)),
            ("annotations", stringMap(meta.annotations)),
        ]
        pairs += meta.extras.pairs.map { ($0.key, $0.value.node) }
        return mapping(pairs)
    }

    static func storeRef(_ ref: StoreRef) -> YAMLNode {
        ordered(
            [("kind", ref.kind.map(s)), ("name", ref.name.isEmpty ? nil : s(ref.name))], extras: Extras(),
            order: ref.keyOrder)
    }

    static func sourceRef(_ ref: SourceRef) -> YAMLNode {
        ordered(
            [("storeRef", ref.storeRef.map(storeRef)), ("generatorRef", ref.generatorRef?.node)],
            extras: ref.extras, order: ref.keyOrder)
    }

    static func remoteRef(_ ref: RemoteRef) -> YAMLNode {
        ordered(
            [
                ("key", s(ref.key)), ("property", ref.property.map(s)), ("version", ref.version.map(s)),
                ("conversionStrategy", ref.conversionStrategy.map(s)),
                ("decodingStrategy", ref.decodingStrategy.map(s)),
                ("metadataPolicy", ref.metadataPolicy.map(s)), ("nullBytePolicy", ref.nullBytePolicy.map(s)),
            ],
            extras: ref.extras, order: ref.keyOrder)
    }

    static func dataEntry(_ entry: DataEntry) -> YAMLNode {
        ordered(
            [
                ("secretKey", s(entry.secretKey)), ("remoteRef", remoteRef(entry.remoteRef)),
                ("sourceRef", entry.sourceRef.map(sourceRef)),
            ], extras: entry.extras, order: entry.keyOrder)
    }

    static func dataFromEntry(_ entry: DataFromEntry) -> YAMLNode {
        var find: YAMLNode?
        if let f = entry.find {
            find = ordered(
                [
                    ("path", f.path.map(s)),
                    ("name", f.nameRegexp.map { mapping([("regexp", s($0))]) }),
                    ("tags", stringMap(f.tags)),
                ], extras: f.extras, order: f.keyOrder)
        }
        return ordered(
            [
                ("extract", entry.extract.map(remoteRef)), ("find", find),
                ("sourceRef", entry.sourceRef.map(sourceRef)),
                ("rewrite", entry.rewrite.isEmpty ? nil : YAMLNode.sequence(entry.rewrite.map(\.node))),
            ],
            extras: entry.extras, order: entry.keyOrder)
    }

    static func target(_ target: Target) -> YAMLNode {
        ordered(
            [
                ("name", target.name.map(s)), ("creationPolicy", target.creationPolicy.map(s)),
                ("deletionPolicy", target.deletionPolicy.map(s)),
                ("immutable", target.immutable.map { .scalar($0 ? "true" : "false", style: .plain) }),
                ("template", target.template?.node),
            ], extras: target.extras, order: target.keyOrder)
    }

    static func spec(_ spec: ExternalSecretSpec) -> YAMLNode {
        var pairs: [(String, YAMLNode?)] = [
            ("secretStoreRef", spec.secretStoreRef.map(storeRef)), ("refreshInterval", spec.refreshInterval.map(s)),
            ("refreshPolicy", spec.refreshPolicy.map(s)), ("target", spec.target.map(target)),
            ("data", spec.data.isEmpty ? nil : YAMLNode.sequence(spec.data.map(dataEntry))),
            ("dataFrom", spec.dataFrom.isEmpty ? nil : YAMLNode.sequence(spec.dataFrom.map(dataFromEntry))),
        ]
        pairs += spec.extras.pairs.map { ($0.key, $0.value.node) }
        return mapping(pairs)
    }

    static func storeSpec(_ spec: StoreSpec) -> YAMLNode {
        let conditions: YAMLNode? =
            spec.conditions.isEmpty
            ? nil
            : YAMLNode.sequence(
                spec.conditions.map { c in
                    ordered(
                        [
                            ("namespaceSelector", c.namespaceSelector?.node),
                            ("namespaces", c.namespaces.isEmpty ? nil : YAMLNode.sequence(c.namespaces.map(s))),
                            (
                                "namespaceRegexes",
                                c.namespaceRegexes.isEmpty ? nil : YAMLNode.sequence(c.namespaceRegexes.map(s))
                            ),
                        ],
                        extras: Extras(), order: c.keyOrder)
                })
        return ordered(
            [
                ("controller", spec.controller.map(s)),
                ("provider", mapping([(spec.provider.name, spec.provider.block.node)])),
                ("refreshInterval", spec.refreshInterval?.node), ("retrySettings", spec.retrySettings?.node),
                ("conditions", conditions),
            ], extras: spec.extras, order: spec.keyOrder)
    }

    static func pushSpec(_ push: PushSecret) -> YAMLNode {
        if let written = push.specExtras["spec"] { return written.node }
        let data: [YAMLNode] = push.data.map { d in
            mapping([
                (
                    "match",
                    mapping([
                        ("secretKey", d.secretKey.map(s)),
                        (
                            "remoteRef",
                            mapping([
                                ("remoteKey", s(d.remoteKey)),
                                ("property", d.property.map(s)),
                            ])
                        ),
                    ])
                )
            ])
        }
        let spec = mapping([
            ("secretStoreRefs", YAMLNode.sequence(push.secretStoreRefs.map(storeRef))),
            ("selector", push.secretName.map { mapping([("secret", mapping([("name", s($0))]))]) }),
            ("data", data.isEmpty ? nil : YAMLNode.sequence(data)), ("refreshInterval", push.refreshInterval.map(s)),
            ("updatePolicy", push.updatePolicy.map(s)), ("deletionPolicy", push.deletionPolicy.map(s)),
        ])
        return push.isCluster ? mapping([("pushSecretSpec", spec)]) : spec
    }
}
