public import EskitCore
public import EskitYAML

/// A YAML value the model keeps as it was written (templates, selectors, provider fields eskit does not type).
/// Two raw values are equal when they emit the same YAML: source positions do not count.
public struct RawNode: Sendable, Hashable {
    public var node: YAMLNode

    public init(_ node: YAMLNode) { self.node = node }

    public static func == (a: RawNode, b: RawNode) -> Bool { YAMLEmitter.emit(a.node) == YAMLEmitter.emit(b.node) }
    public func hash(into hasher: inout Hasher) { hasher.combine(YAMLEmitter.emit(node)) }
}

/// Fields of a mapping the model does not type, in source order, kept so nothing is lost on a round trip.
public struct Extras: Sendable, Hashable {
    public var pairs: [(key: String, value: RawNode)]

    public init(_ pairs: [(key: String, value: RawNode)] = []) { self.pairs = pairs }

    public static func == (a: Extras, b: Extras) -> Bool {
        a.pairs.map(\.key) == b.pairs.map(\.key) && a.pairs.map(\.value) == b.pairs.map(\.value)
    }

    public func hash(into hasher: inout Hasher) { for p in pairs { hasher.combine(p.key); hasher.combine(p.value) } }

    public var isEmpty: Bool { pairs.isEmpty }
    public subscript(key: String) -> RawNode? { pairs.first { $0.key == key }?.value }
}

/// Ordered string pairs (labels, annotations, tags): order is kept for emission, equality is order-insensitive.
public struct StringPairs: Sendable, Hashable {
    public var pairs: [(String, String)]

    public init(_ pairs: [(String, String)] = []) { self.pairs = pairs }

    public static func == (a: StringPairs, b: StringPairs) -> Bool {
        a.pairs.sorted { $0.0 < $1.0 }.map { "\($0.0)\u{0}\($0.1)" }
            == b.pairs.sorted { $0.0 < $1.0 }.map { "\($0.0)\u{0}\($0.1)" }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in pairs.sorted(by: { $0.0 < $1.0 }) { hasher.combine(k); hasher.combine(v) }
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public subscript(key: String) -> String? { pairs.first { $0.0 == key }?.1 }
}

/// `metadata` of an ESO object.
public struct ObjectMeta: Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var labels: StringPairs
    public var annotations: StringPairs
    public var extras: Extras

    public init(
        name: String, namespace: String? = nil, labels: StringPairs = StringPairs(),
        annotations: StringPairs = StringPairs(), extras: Extras = Extras()
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.extras = extras
    }
}

/// A reference to a store (`secretStoreRef`, `sourceRef.storeRef`).
public struct StoreRef: Sendable, Hashable {
    /// The store's name; empty when the reference does not name one (ESO's schema does not require it).
    public var name: String
    /// `SecretStore` (ESO's default) or `ClusterSecretStore`.
    public var kind: String?
    public var keyOrder: [String]?

    public init(name: String, kind: String? = nil, keyOrder: [String]? = nil) {
        self.name = name
        self.kind = kind
        self.keyOrder = keyOrder
    }

    public static func == (a: StoreRef, b: StoreRef) -> Bool { a.name == b.name && a.kind == b.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(name); hasher.combine(kind) }

    /// The kind ESO resolves: `SecretStore` when unset.
    public var resolvedKind: String { kind ?? "SecretStore" }
}

/// `sourceRef`: another store, or a generator.
public struct SourceRef: Sendable, Hashable {
    public var storeRef: StoreRef?
    public var generatorRef: RawNode?
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        storeRef: StoreRef? = nil, generatorRef: RawNode? = nil, extras: Extras = Extras(),
        keyOrder: [String]? = nil
    ) {
        self.storeRef = storeRef
        self.generatorRef = generatorRef
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: SourceRef, b: SourceRef) -> Bool {
        a.storeRef == b.storeRef && a.generatorRef == b.generatorRef && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storeRef) }
}

/// `remoteRef` / `dataFrom[].extract`: one provider value.
public struct RemoteRef: Sendable, Hashable {
    public var key: String
    public var property: String?
    public var version: String?
    public var conversionStrategy: String?
    public var decodingStrategy: String?
    public var metadataPolicy: String?
    public var nullBytePolicy: String?
    public var extras: Extras
    /// Source key order when read (emission follows it); nil for values built in code.
    public var keyOrder: [String]?

    public init(
        key: String, property: String? = nil, version: String? = nil, conversionStrategy: String? = nil,
        decodingStrategy: String? = nil, metadataPolicy: String? = nil, nullBytePolicy: String? = nil,
        extras: Extras = Extras(), keyOrder: [String]? = nil
    ) {
        self.key = key
        self.property = property
        self.version = version
        self.conversionStrategy = conversionStrategy
        self.decodingStrategy = decodingStrategy
        self.metadataPolicy = metadataPolicy
        self.nullBytePolicy = nullBytePolicy
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: RemoteRef, b: RemoteRef) -> Bool {
        a.key == b.key && a.property == b.property && a.version == b.version
            && a.conversionStrategy == b.conversionStrategy && a.decodingStrategy == b.decodingStrategy
            && a.metadataPolicy == b.metadataPolicy && a.nullBytePolicy == b.nullBytePolicy && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key); hasher.combine(property); hasher.combine(version)
    }
}

/// `data[]`: one key of the target Secret.
public struct DataEntry: Sendable, Hashable {
    public var secretKey: String
    public var remoteRef: RemoteRef
    public var sourceRef: SourceRef?
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        secretKey: String, remoteRef: RemoteRef, sourceRef: SourceRef? = nil, extras: Extras = Extras(),
        keyOrder: [String]? = nil
    ) {
        self.secretKey = secretKey
        self.remoteRef = remoteRef
        self.sourceRef = sourceRef
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: DataEntry, b: DataEntry) -> Bool {
        a.secretKey == b.secretKey && a.remoteRef == b.remoteRef && a.sourceRef == b.sourceRef && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(secretKey); hasher.combine(remoteRef) }
}

/// `dataFrom[].find`: many provider values by path, name or tags.
public struct Find: Sendable, Hashable {
    public var path: String?
    public var nameRegexp: String?
    public var tags: StringPairs
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        path: String? = nil, nameRegexp: String? = nil, tags: StringPairs = StringPairs(),
        extras: Extras = Extras(), keyOrder: [String]? = nil
    ) {
        self.path = path
        self.nameRegexp = nameRegexp
        self.tags = tags
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: Find, b: Find) -> Bool {
        a.path == b.path && a.nameRegexp == b.nameRegexp && a.tags == b.tags && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(path); hasher.combine(nameRegexp) }
}

/// `dataFrom[]`: exactly one of `extract`, `find`, or a generator `sourceRef`, plus rewrites.
public struct DataFromEntry: Sendable, Hashable {
    public var extract: RemoteRef?
    public var find: Find?
    public var sourceRef: SourceRef?
    public var rewrite: [RawNode]
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        extract: RemoteRef? = nil, find: Find? = nil, sourceRef: SourceRef? = nil, rewrite: [RawNode] = [],
        extras: Extras = Extras(), keyOrder: [String]? = nil
    ) {
        self.extract = extract
        self.find = find
        self.sourceRef = sourceRef
        self.rewrite = rewrite
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: DataFromEntry, b: DataFromEntry) -> Bool {
        a.extract == b.extract && a.find == b.find && a.sourceRef == b.sourceRef && a.rewrite == b.rewrite
            && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(extract); hasher.combine(find) }
}

/// `target`: the Secret ESO writes.
public struct Target: Sendable, Hashable {
    public var name: String?
    public var creationPolicy: String?
    public var deletionPolicy: String?
    public var immutable: Bool?
    /// `template` (engine v2), kept as written.
    public var template: RawNode?
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        name: String? = nil, creationPolicy: String? = nil, deletionPolicy: String? = nil,
        immutable: Bool? = nil, template: RawNode? = nil, extras: Extras = Extras(), keyOrder: [String]? = nil
    ) {
        self.name = name
        self.creationPolicy = creationPolicy
        self.deletionPolicy = deletionPolicy
        self.immutable = immutable
        self.template = template
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: Target, b: Target) -> Bool {
        a.name == b.name && a.creationPolicy == b.creationPolicy && a.deletionPolicy == b.deletionPolicy
            && a.immutable == b.immutable && a.template == b.template && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name); hasher.combine(creationPolicy) }

    /// ESO's defaults when unset: Owner and Retain.
    public var resolvedCreationPolicy: String { creationPolicy ?? "Owner" }
    public var resolvedDeletionPolicy: String { deletionPolicy ?? "Retain" }
}

/// `ExternalSecret.spec` (also `ClusterExternalSecret.spec.externalSecretSpec`).
public struct ExternalSecretSpec: Sendable, Hashable {
    public var secretStoreRef: StoreRef?
    public var refreshInterval: String?
    public var refreshPolicy: String?
    public var target: Target?
    public var data: [DataEntry]
    public var dataFrom: [DataFromEntry]
    /// `syncWindows` and anything else the model does not type.
    public var extras: Extras

    public init(
        secretStoreRef: StoreRef? = nil, refreshInterval: String? = nil, refreshPolicy: String? = nil,
        target: Target? = nil, data: [DataEntry] = [], dataFrom: [DataFromEntry] = [], extras: Extras = Extras()
    ) {
        self.secretStoreRef = secretStoreRef
        self.refreshInterval = refreshInterval
        self.refreshPolicy = refreshPolicy
        self.target = target
        self.data = data
        self.dataFrom = dataFrom
        self.extras = extras
    }
}

public struct ExternalSecret: Sendable, Hashable {
    public var metadata: ObjectMeta
    public var spec: ExternalSecretSpec
    /// Top-level fields besides apiVersion, kind, metadata and spec (`status`).
    public var extras: Extras

    public init(metadata: ObjectMeta, spec: ExternalSecretSpec, extras: Extras = Extras()) {
        self.metadata = metadata
        self.spec = spec
        self.extras = extras
    }
}

public struct ClusterExternalSecret: Sendable, Hashable {
    public var metadata: ObjectMeta
    public var externalSecretName: String?
    public var namespaces: [String]
    public var namespaceSelectors: [RawNode]
    public var refreshTime: String?
    public var externalSecretSpec: ExternalSecretSpec
    public var specExtras: Extras
    public var extras: Extras

    public init(
        metadata: ObjectMeta, externalSecretName: String? = nil, namespaces: [String] = [],
        namespaceSelectors: [RawNode] = [], refreshTime: String? = nil,
        externalSecretSpec: ExternalSecretSpec, specExtras: Extras = Extras(), extras: Extras = Extras()
    ) {
        self.metadata = metadata
        self.externalSecretName = externalSecretName
        self.namespaces = namespaces
        self.namespaceSelectors = namespaceSelectors
        self.refreshTime = refreshTime
        self.externalSecretSpec = externalSecretSpec
        self.specExtras = specExtras
        self.extras = extras
    }
}

/// A ClusterSecretStore condition: namespaces that may use the store.
public struct StoreCondition: Sendable, Hashable {
    public var namespaceSelector: RawNode?
    public var namespaces: [String]
    public var namespaceRegexes: [String]
    public var keyOrder: [String]?

    public init(
        namespaceSelector: RawNode? = nil, namespaces: [String] = [], namespaceRegexes: [String] = [],
        keyOrder: [String]? = nil
    ) {
        self.namespaceSelector = namespaceSelector
        self.namespaces = namespaces
        self.namespaceRegexes = namespaceRegexes
        self.keyOrder = keyOrder
    }

    public static func == (a: StoreCondition, b: StoreCondition) -> Bool {
        a.namespaceSelector == b.namespaceSelector && a.namespaces == b.namespaces
            && a.namespaceRegexes == b.namespaceRegexes
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(namespaces) }

    /// Reads one condition as the inventory or a manifest writes it.
    public static func read(_ node: YAMLNode) -> StoreCondition {
        StoreCondition(
            namespaceSelector: node["namespaceSelector"].map(RawNode.init),
            namespaces: (node["namespaces"]?.items ?? []).compactMap(\.scalarValue),
            namespaceRegexes: (node["namespaceRegexes"]?.items ?? []).compactMap(\.scalarValue),
            keyOrder: (node.pairs ?? []).compactMap(\.key.scalarValue))
    }
}

/// `SecretStore` / `ClusterSecretStore` `spec`.
public struct StoreSpec: Sendable, Hashable {
    public var controller: String?
    public var provider: Provider
    public var refreshInterval: RawNode?
    public var retrySettings: RawNode?
    public var conditions: [StoreCondition]
    public var extras: Extras
    public var keyOrder: [String]?

    public init(
        controller: String? = nil, provider: Provider, refreshInterval: RawNode? = nil,
        retrySettings: RawNode? = nil, conditions: [StoreCondition] = [], extras: Extras = Extras(),
        keyOrder: [String]? = nil
    ) {
        self.controller = controller
        self.provider = provider
        self.refreshInterval = refreshInterval
        self.retrySettings = retrySettings
        self.conditions = conditions
        self.extras = extras
        self.keyOrder = keyOrder
    }

    public static func == (a: StoreSpec, b: StoreSpec) -> Bool {
        a.controller == b.controller && a.provider == b.provider && a.refreshInterval == b.refreshInterval
            && a.retrySettings == b.retrySettings && a.conditions == b.conditions && a.extras == b.extras
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(controller); hasher.combine(provider) }
}

public struct SecretStore: Sendable, Hashable {
    /// True for `ClusterSecretStore`.
    public var isCluster: Bool
    public var metadata: ObjectMeta
    public var spec: StoreSpec
    public var extras: Extras

    public init(isCluster: Bool, metadata: ObjectMeta, spec: StoreSpec, extras: Extras = Extras()) {
        self.isCluster = isCluster
        self.metadata = metadata
        self.spec = spec
        self.extras = extras
    }

    public var kind: String { isCluster ? "ClusterSecretStore" : "SecretStore" }
}

/// `PushSecret.spec.data[]`: which Secret key goes to which remote key.
public struct PushData: Sendable, Hashable {
    public var secretKey: String?
    public var remoteKey: String
    public var property: String?
    public var extras: Extras

    public init(secretKey: String? = nil, remoteKey: String, property: String? = nil, extras: Extras = Extras()) {
        self.secretKey = secretKey
        self.remoteKey = remoteKey
        self.property = property
        self.extras = extras
    }
}

/// `PushSecret` and `ClusterPushSecret` (`external-secrets.io/v1alpha1`).
public struct PushSecret: Sendable, Hashable {
    public var isCluster: Bool
    public var metadata: ObjectMeta
    public var secretStoreRefs: [StoreRef]
    /// `selector.secret.name` (the Secret pushed), when the selector names one.
    public var secretName: String?
    public var data: [PushData]
    public var refreshInterval: String?
    public var updatePolicy: String?
    public var deletionPolicy: String?
    /// The rest of `spec` (selector, template, and for ClusterPushSecret `pushSecretSpec` fields), as written.
    public var specExtras: Extras
    public var extras: Extras

    public init(
        isCluster: Bool = false, metadata: ObjectMeta, secretStoreRefs: [StoreRef] = [], secretName: String? = nil,
        data: [PushData] = [], refreshInterval: String? = nil, updatePolicy: String? = nil,
        deletionPolicy: String? = nil, specExtras: Extras = Extras(), extras: Extras = Extras()
    ) {
        self.isCluster = isCluster
        self.metadata = metadata
        self.secretStoreRefs = secretStoreRefs
        self.secretName = secretName
        self.data = data
        self.refreshInterval = refreshInterval
        self.updatePolicy = updatePolicy
        self.deletionPolicy = deletionPolicy
        self.specExtras = specExtras
        self.extras = extras
    }

    public var kind: String { isCluster ? "ClusterPushSecret" : "PushSecret" }
}

/// One ESO object of the served API.
public enum ESOObject: Sendable, Hashable {
    case externalSecret(ExternalSecret)
    case clusterExternalSecret(ClusterExternalSecret)
    case secretStore(SecretStore)
    case pushSecret(PushSecret)

    public var kind: String {
        switch self {
        case .externalSecret: "ExternalSecret"
        case .clusterExternalSecret: "ClusterExternalSecret"
        case .secretStore(let s): s.kind
        case .pushSecret(let p): p.kind
        }
    }

    public var metadata: ObjectMeta {
        switch self {
        case .externalSecret(let o): o.metadata
        case .clusterExternalSecret(let o): o.metadata
        case .secretStore(let o): o.metadata
        case .pushSecret(let o): o.metadata
        }
    }

    /// The apiVersion this kind is served at.
    public var apiVersion: String {
        switch self {
        case .pushSecret: ESO.pushAPIVersion
        default: ESO.apiVersion
        }
    }
}
