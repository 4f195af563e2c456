public import EskitCore
public import EskitProviders
public import EskitYAML

/// What one reference asks of its store.
public enum ReferenceKind: Sendable, Hashable {
    /// `data[].remoteRef`: the key (and version) exists; with a property, the value is a JSON object holding it.
    case key(RemoteKey, property: String?)
    /// `dataFrom[].extract`: the key exists and its value is a JSON object.
    case extract(RemoteKey)
    /// `dataFrom[].find`: at least one key matches.
    case find(FindQuery)
}

/// One remote reference of an ExternalSecret (generated from the inventory or hand-written), where it was
/// written and which store serves it.
public struct Reference: Sendable {
    public var kind: ReferenceKind
    /// The store that serves it (overrides of its environment applied).
    public var store: StoreBinding
    /// The environment (inventory mode), or nil for manifests.
    public var environment: String?
    /// `namespace/name` of the ExternalSecret, and the target Secret key when there is one (`data[].secretKey`).
    public var owner: String
    public var secretKey: String?
    /// Where the reference is written: the `remoteRef.key` / `extract.key` / `find` node.
    public var location: SourceLocation

    public init(
        kind: ReferenceKind, store: StoreBinding, environment: String?, owner: String, secretKey: String?,
        location: SourceLocation
    ) {
        self.kind = kind
        self.store = store
        self.environment = environment
        self.owner = owner
        self.secretKey = secretKey
        self.location = location
    }

    /// `key`, `key@version#property`, `find path=… name=…`: what was asked, for reports (never a value).
    public var target: String {
        switch kind {
        case .key(let ref, let property): return ref.description + (property.map { "#\($0)" } ?? "")
        case .extract(let ref): return ref.description + " (extract)"
        case .find(let query):
            var parts: [String] = []
            if let path = query.path { parts.append("path=\(path)") }
            if let name = query.nameRegexp { parts.append("name=\(name)") }
            for (k, v) in query.tags.sorted(by: { $0.key < $1.key }) { parts.append("tag \(k)=\(v)") }
            return "find " + (parts.isEmpty ? "(everything)" : parts.joined(separator: " "))
        }
    }
}

/// The outcome of checking one reference.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    case ok
    case missingKey = "missing-key"
    case missingVersion = "missing-version"
    case missingProperty = "missing-property"
    case notAnObject = "not-an-object"
    case noMatch = "no-match"
    case deletedVersion = "deleted-version"
    case destroyedVersion = "destroyed-version"
    case permissionDenied = "permission-denied"
    case authFailed = "auth-failed"
    case unreachable
    case invalidStore = "invalid-store"
    /// The provider value equals a value once committed in plaintext (`--against-history`).
    case leaked = "leaked-value"

    /// Exit status contribution: 0 ok, 1 a reference does not resolve (or a leak), 2 the check itself could not
    /// run (configuration, credentials, connectivity).
    public var exitStatus: Int32 {
        switch self {
        case .ok: 0
        case .authFailed, .unreachable, .invalidStore: 2
        default: 1
        }
    }

    /// One line for humans.
    public var summary: String {
        switch self {
        case .ok: "found"
        case .missingKey: "the key does not exist"
        case .missingVersion: "the version does not exist"
        case .missingProperty: "the property is not in the value"
        case .notAnObject: "the value is not a JSON object (dataFrom.extract needs one)"
        case .noMatch: "find matches no key"
        case .deletedVersion: "the version was deleted"
        case .destroyedVersion: "the version was destroyed"
        case .permissionDenied: "permission denied"
        case .authFailed: "the store cannot log in"
        case .unreachable: "the provider is unreachable"
        case .invalidStore: "the store cannot be used as configured"
        case .leaked: "leaked value still in use: this value was committed in plaintext; rotate it"
        }
    }
}

/// A checked reference.
public struct ReferenceResult: Sendable {
    public var reference: Reference
    public var verdict: Verdict
    /// The provider's reason (a call and a status), never a value.
    public var detail: String?
    /// `.leaked`: the SHA-256 of the committed value the provider still holds (for `migrate history`; reports do
    /// not print it).
    public var leakedHash: String?

    public init(reference: Reference, verdict: Verdict, detail: String? = nil, leakedHash: String? = nil) {
        self.reference = reference
        self.verdict = verdict
        self.detail = detail
        self.leakedHash = leakedHash
    }
}
