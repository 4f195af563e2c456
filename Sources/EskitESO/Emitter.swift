public import EskitYAML

/// The one way ESO objects become YAML. Objects read from YAML keep their key order; objects built in code get the
/// canonical order eskit's generator writes (`apiVersion, kind, metadata, spec`; `secretStoreRef, refreshInterval,
/// refreshPolicy, target, data, dataFrom`; `controller, provider, refreshInterval, retrySettings, conditions`).
/// Strings are written as a double-quoted node is: plain whenever that reads back the same.
///
/// Objects are written field by field into a `YAMLBlockWriter`, not built as a node tree first: the generator
/// writes one ExternalSecret per secret and environment, and the tree cost more than the text.
public enum ESOEmitter {
    /// The object as YAML text (one document, ending in a newline), after an optional header.
    public static func text(_ object: ESOObject, header: String = "") -> String {
        String(decoding: bytes(object, header: header), as: UTF8.self)
    }

    /// The object as UTF-8 YAML (one document, ending in a newline), after an optional header.
    public static func bytes(_ object: ESOObject, header: String = "") -> [UInt8] {
        var w = YAMLBlockWriter(prefix: header)
        write(object, into: &w)
        return w.finish()
    }

    /// Writes the object as the next value of `w` (a document root when `w` is empty).
    public static func write(_ object: ESOObject, into w: inout YAMLBlockWriter) {
        switch object {
        case .externalSecret(let o):
            document(&w, object.apiVersion, "ExternalSecret", o.metadata, o.extras) { spec(o.spec, &$0) }
        case .clusterExternalSecret(let o):
            document(&w, object.apiVersion, "ClusterExternalSecret", o.metadata, o.extras) { w in
                mapping(
                    &w, clusterSpecFields, extras: o.specExtras, order: nil,
                    present: { i in
                        switch i {
                        case 0: o.externalSecretName != nil
                        case 1: !o.namespaces.isEmpty
                        case 2: !o.namespaceSelectors.isEmpty
                        case 3: o.refreshTime != nil
                        default: true
                        }
                    },
                    value: { i, w in
                        switch i {
                        case 0: w.string(o.externalSecretName!)
                        case 1: strings(o.namespaces, &w)
                        case 2: raws(o.namespaceSelectors, &w)
                        case 3: w.string(o.refreshTime!)
                        default: spec(o.externalSecretSpec, &w)
                        }
                    })
            }
        case .secretStore(let o):
            document(&w, object.apiVersion, o.kind, o.metadata, o.extras) { storeSpec(o.spec, &$0) }
        case .pushSecret(let o):
            document(&w, object.apiVersion, o.kind, o.metadata, o.extras) { pushSpec(o, &$0) }
        }
    }

    static let documentFields: [YAMLKey] = ["apiVersion", "kind", "metadata", "spec"]
    static let metadataFields: [YAMLKey] = ["name", "namespace", "labels", "annotations"]
    static let clusterSpecFields: [YAMLKey] = [
        "externalSecretName", "namespaces", "namespaceSelectors", "refreshTime", "externalSecretSpec",
    ]
    static let storeRefFields: [YAMLKey] = ["kind", "name"]
    static let sourceRefFields: [YAMLKey] = ["storeRef", "generatorRef"]
    static let remoteRefFields: [YAMLKey] = [
        "key", "property", "version", "conversionStrategy", "decodingStrategy", "metadataPolicy", "nullBytePolicy",
    ]
    static let dataEntryFields: [YAMLKey] = ["secretKey", "remoteRef", "sourceRef"]
    static let dataFromFields: [YAMLKey] = ["extract", "find", "sourceRef", "rewrite"]
    static let findFields: [YAMLKey] = ["path", "name", "tags"]
    static let targetFields: [YAMLKey] = ["name", "creationPolicy", "deletionPolicy", "immutable", "template"]
    static let specFields: [YAMLKey] = [
        "secretStoreRef", "refreshInterval", "refreshPolicy", "target", "data", "dataFrom",
    ]
    static let storeSpecFields: [YAMLKey] = [
        "controller", "provider", "refreshInterval", "retrySettings", "conditions",
    ]
    static let regexpKey = YAMLKey("regexp")
    static let conditionFields: [YAMLKey] = ["namespaceSelector", "namespaces", "namespaceRegexes"]

    /// Writes a mapping of typed fields (`fields`, in canonical order; `present(i)` tells whether field `i` is
    /// set, `value(i, &w)` writes it) and then `extras`. With `order` (the key order of the source the object was
    /// read from), the present fields and the extras are placed by their rank in it instead, keys it does not
    /// list last, each group in its canonical order: a stable insertion over a handful of keys, which appends
    /// when they come in order already.
    static func mapping(
        _ w: inout YAMLBlockWriter, _ fields: [YAMLKey], extras: Extras, order: [String]?,
        present: (Int) -> Bool, value: (Int, inout YAMLBlockWriter) -> Void
    ) {
        w.beginMapping()
        func write(_ slot: Int) {
            if slot < fields.count {
                w.key(fields[slot])
                value(slot, &w)
            } else {
                let extra = extras.pairs[slot - fields.count]
                w.key(extra.key)
                w.node(extra.value.node)
            }
        }
        let total = fields.count + extras.pairs.count
        if let order {
            withUnsafeTemporaryAllocation(of: (rank: Int, slot: Int).self, capacity: total) { placed in
                var count = 0
                for slot in 0..<total where slot >= fields.count || present(slot) {
                    let key = slot < fields.count ? fields[slot].text : extras.pairs[slot - fields.count].key
                    let rank = order.firstIndex(of: key) ?? Int.max
                    var at = count
                    while at > 0, placed[at - 1].rank > rank {
                        placed[at] = placed[at - 1]
                        at -= 1
                    }
                    placed[at] = (rank, slot)
                    count += 1
                }
                for i in 0..<count { write(placed[i].slot) }
            }
        } else {
            for slot in 0..<total where slot >= fields.count || present(slot) { write(slot) }
        }
        w.endMapping()
    }

    static func document(
        _ w: inout YAMLBlockWriter, _ api: String, _ kind: String, _ meta: ObjectMeta, _ extras: Extras,
        spec: (inout YAMLBlockWriter) -> Void
    ) {
        mapping(
            &w, documentFields, extras: extras, order: nil, present: { _ in true },
            value: { i, w in
                switch i {
                case 0: w.string(api)
                case 1: w.string(kind)
                case 2: metadata(meta, &w)
                default: spec(&w)
                }
            })
    }

    static func strings(_ values: [String], _ w: inout YAMLBlockWriter) {
        w.beginSequence()
        for value in values { w.string(value) }
        w.endSequence()
    }

    static func raws(_ values: [RawNode], _ w: inout YAMLBlockWriter) {
        w.beginSequence()
        for value in values { w.node(value.node) }
        w.endSequence()
    }

    static func stringMap(_ pairs: StringPairs, _ w: inout YAMLBlockWriter) {
        w.beginMapping()
        for (key, value) in pairs.pairs {
            w.key(key)
            w.string(value)
        }
        w.endMapping()
    }

    static func metadata(_ meta: ObjectMeta, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, metadataFields, extras: meta.extras, order: nil,
            present: { i in
                switch i {
                case 1: meta.namespace != nil
                case 2: !meta.labels.isEmpty
                case 3: !meta.annotations.isEmpty
                default: true
                }
            },
            value: { i, w in
                switch i {
                case 0: w.string(meta.name)
                case 1: w.string(meta.namespace!)
                case 2: stringMap(meta.labels, &w)
                default: stringMap(meta.annotations, &w)
                }
            })
    }

    static func storeRef(_ ref: StoreRef, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, storeRefFields, extras: Extras(), order: ref.keyOrder,
            present: { i in i == 0 ? ref.kind != nil : !ref.name.isEmpty },
            value: { i, w in w.string(i == 0 ? ref.kind! : ref.name) })
    }

    static func sourceRef(_ ref: SourceRef, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, sourceRefFields, extras: ref.extras, order: ref.keyOrder,
            present: { i in i == 0 ? ref.storeRef != nil : ref.generatorRef != nil },
            value: { i, w in
                if i == 0 { storeRef(ref.storeRef!, &w) } else { w.node(ref.generatorRef!.node) }
            })
    }

    static func remoteRef(_ ref: RemoteRef, _ w: inout YAMLBlockWriter) {
        func field(_ i: Int) -> String? {
            switch i {
            case 0: ref.key
            case 1: ref.property
            case 2: ref.version
            case 3: ref.conversionStrategy
            case 4: ref.decodingStrategy
            case 5: ref.metadataPolicy
            default: ref.nullBytePolicy
            }
        }
        mapping(
            &w, remoteRefFields, extras: ref.extras, order: ref.keyOrder, present: { field($0) != nil },
            value: { i, w in w.string(field(i)!) })
    }

    static func dataEntry(_ entry: DataEntry, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, dataEntryFields, extras: entry.extras, order: entry.keyOrder,
            present: { i in i < 2 || entry.sourceRef != nil },
            value: { i, w in
                switch i {
                case 0: w.string(entry.secretKey)
                case 1: remoteRef(entry.remoteRef, &w)
                default: sourceRef(entry.sourceRef!, &w)
                }
            })
    }

    static func find(_ find: Find, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, findFields, extras: find.extras, order: find.keyOrder,
            present: { i in
                switch i {
                case 0: find.path != nil
                case 1: find.nameRegexp != nil
                default: !find.tags.isEmpty
                }
            },
            value: { i, w in
                switch i {
                case 0: w.string(find.path!)
                case 1:
                    w.beginMapping()
                    w.key(regexpKey)
                    w.string(find.nameRegexp!)
                    w.endMapping()
                default: stringMap(find.tags, &w)
                }
            })
    }

    static func dataFromEntry(_ entry: DataFromEntry, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, dataFromFields, extras: entry.extras, order: entry.keyOrder,
            present: { i in
                switch i {
                case 0: entry.extract != nil
                case 1: entry.find != nil
                case 2: entry.sourceRef != nil
                default: !entry.rewrite.isEmpty
                }
            },
            value: { i, w in
                switch i {
                case 0: remoteRef(entry.extract!, &w)
                case 1: find(entry.find!, &w)
                case 2: sourceRef(entry.sourceRef!, &w)
                default: raws(entry.rewrite, &w)
                }
            })
    }

    static func target(_ target: Target, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, targetFields, extras: target.extras, order: target.keyOrder,
            present: { i in
                switch i {
                case 0: target.name != nil
                case 1: target.creationPolicy != nil
                case 2: target.deletionPolicy != nil
                case 3: target.immutable != nil
                default: target.template != nil
                }
            },
            value: { i, w in
                switch i {
                case 0: w.string(target.name!)
                case 1: w.string(target.creationPolicy!)
                case 2: w.string(target.deletionPolicy!)
                case 3: w.scalar(target.immutable! ? "true" : "false", style: .plain)
                default: w.node(target.template!.node)
                }
            })
    }

    static func spec(_ spec: ExternalSecretSpec, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, specFields, extras: spec.extras, order: nil,
            present: { i in
                switch i {
                case 0: spec.secretStoreRef != nil
                case 1: spec.refreshInterval != nil
                case 2: spec.refreshPolicy != nil
                case 3: spec.target != nil
                case 4: !spec.data.isEmpty
                default: !spec.dataFrom.isEmpty
                }
            },
            value: { i, w in
                switch i {
                case 0: storeRef(spec.secretStoreRef!, &w)
                case 1: w.string(spec.refreshInterval!)
                case 2: w.string(spec.refreshPolicy!)
                case 3: target(spec.target!, &w)
                case 4:
                    w.beginSequence()
                    for entry in spec.data { dataEntry(entry, &w) }
                    w.endSequence()
                default:
                    w.beginSequence()
                    for entry in spec.dataFrom { dataFromEntry(entry, &w) }
                    w.endSequence()
                }
            })
    }

    static func condition(_ c: StoreCondition, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, conditionFields, extras: Extras(), order: c.keyOrder,
            present: { i in
                switch i {
                case 0: c.namespaceSelector != nil
                case 1: !c.namespaces.isEmpty
                default: !c.namespaceRegexes.isEmpty
                }
            },
            value: { i, w in
                switch i {
                case 0: w.node(c.namespaceSelector!.node)
                case 1: strings(c.namespaces, &w)
                default: strings(c.namespaceRegexes, &w)
                }
            })
    }

    static func storeSpec(_ spec: StoreSpec, _ w: inout YAMLBlockWriter) {
        mapping(
            &w, storeSpecFields, extras: spec.extras, order: spec.keyOrder,
            present: { i in
                switch i {
                case 0: spec.controller != nil
                case 2: spec.refreshInterval != nil
                case 3: spec.retrySettings != nil
                case 4: !spec.conditions.isEmpty
                default: true
                }
            },
            value: { i, w in
                switch i {
                case 0: w.string(spec.controller!)
                case 1:
                    w.beginMapping()
                    w.key(spec.provider.name)
                    w.node(spec.provider.block.node)
                    w.endMapping()
                case 2: w.node(spec.refreshInterval!.node)
                case 3: w.node(spec.retrySettings!.node)
                default:
                    w.beginSequence()
                    for c in spec.conditions { condition(c, &w) }
                    w.endSequence()
                }
            })
    }

    static func pushSpec(_ push: PushSecret, _ w: inout YAMLBlockWriter) {
        if let written = push.specExtras["spec"] {
            w.node(written.node)
            return
        }
        if push.isCluster {
            w.beginMapping()
            w.key("pushSecretSpec")
        }
        w.beginMapping()
        w.key("secretStoreRefs")
        w.beginSequence()
        for ref in push.secretStoreRefs { storeRef(ref, &w) }
        w.endSequence()
        if let name = push.secretName {
            w.key("selector")
            w.beginMapping()
            w.key("secret")
            w.beginMapping()
            w.key("name")
            w.string(name)
            w.endMapping()
            w.endMapping()
        }
        if !push.data.isEmpty {
            w.key("data")
            w.beginSequence()
            for d in push.data {
                w.beginMapping()
                w.key("match")
                w.beginMapping()
                if let key = d.secretKey {
                    w.key("secretKey")
                    w.string(key)
                }
                w.key("remoteRef")
                w.beginMapping()
                w.key("remoteKey")
                w.string(d.remoteKey)
                if let property = d.property {
                    w.key("property")
                    w.string(property)
                }
                w.endMapping()
                w.endMapping()
                w.endMapping()
            }
            w.endSequence()
        }
        for (key, value) in [
            ("refreshInterval", push.refreshInterval), ("updatePolicy", push.updatePolicy),
            ("deletionPolicy", push.deletionPolicy),
        ] {
            if let value {
                w.key(key)
                w.string(value)
            }
        }
        w.endMapping()
        if push.isCluster { w.endMapping() }
    }
}
