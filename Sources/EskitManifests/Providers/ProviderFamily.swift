public import EskitCore
public import EskitYAML

/// One way a store of a family logs in (ESO `auth.<kind>` or an equivalent switch such as azurekv `authType`).
public struct AuthKind: Sendable, Hashable {
    /// The name users know it by (`kubernetes`, `appRole`, `jwt`, `secretRef`, `WorkloadIdentity`, ...).
    public var name: String
    /// The path of its block below the provider block (`["auth", "kubernetes"]`); empty when the kind is chosen
    /// by a field value instead (see `selector`).
    public var path: [String]
    /// For kinds chosen by a field value: the field and the value (`authType: WorkloadIdentity`).
    public var selector: (field: String, value: String)? {
        get { selectorField.map { ($0, selectorValue ?? "") } }
        set { selectorField = newValue?.field; selectorValue = newValue?.value }
    }
    private var selectorField: String?
    private var selectorValue: String?
    /// Fields that must be set in its block (relative to the block, dotted), beyond what ESO's CRD requires.
    public var required: [String]
    /// True when ESO requests a token for a Kubernetes service account (`serviceAccountRef`), so the generator
    /// writes the account and the `serviceaccounts/token` Role.
    public var usesServiceAccount: Bool
    /// What `eskit validate` needs from the person or CI job running it to log in the same way (never read from
    /// the repository).
    public var validateCredentials: String

    public init(
        name: String, path: [String], selector: (field: String, value: String)? = nil,
        required: [String] = [], usesServiceAccount: Bool = false, validateCredentials: String
    ) {
        self.name = name
        self.path = path
        self.selectorField = selector?.field
        self.selectorValue = selector?.value
        self.required = required
        self.usesServiceAccount = usesServiceAccount
        self.validateCredentials = validateCredentials
    }

    /// True when `block` (the provider block) configures this kind.
    public func isConfigured(in block: YAMLNode) -> Bool {
        if let selector { return block[selector.field]?.scalarValue == selector.value }
        var node: YAMLNode? = block
        for key in path { node = node?[key] }
        return node != nil
    }
}

/// A service-account annotation the inventory's `serviceAccount` block can set by a short field
/// (`awsRoleArn` -> `eks.amazonaws.com/role-arn`).
public struct AccountAnnotation: Sendable, Hashable {
    public var field: String
    public var annotation: String
    public var description: String
    public var pattern: String?

    public init(field: String, annotation: String, description: String, pattern: String? = nil) {
        self.field = field
        self.annotation = annotation
        self.description = description
        self.pattern = pattern
    }
}

/// What a family-specific check sees: the store (overrides applied) and where to report.
public struct StoreCheckContext: Sendable {
    public var store: ResolvedStore
    /// The family's block (`spec.provider.<family>`).
    public var block: YAMLNode
    public var file: String

    public func error(_ node: YAMLNode?, _ message: String) -> Diagnostic {
        .error(file, (node ?? block).start, "store `\(store.name)`: \(message)")
    }

    public func warning(_ node: YAMLNode?, _ message: String) -> Diagnostic {
        .warning(file, (node ?? block).start, "store `\(store.name)`: \(message)")
    }
}

/// One provider family, declared once: its name in a store, how it logs in, its remote key syntax, what the
/// inventory accepts, the RBAC it needs and what `validate` can check. The inventory schema, the generator, the
/// semantic checks, `eskit schema`, `eskit init` and the validate / lint commands read these declarations;
/// nothing else compares provider names.
///
/// Adding a family: one file `Sources/EskitManifests/Providers/<Name>Family.swift` with a value conforming to
/// this protocol, listed in `ProviderFamilies.all`, plus its tests. ESO's CRD schema for the block (built in)
/// is applied to the inventory automatically.
public protocol ProviderFamily: Sendable {
    /// The key under a store's `spec.provider` (`vault`, `aws`, ...).
    var name: String { get }
    /// One line for help texts and the JSON Schema.
    var summary: String { get }
    /// The ways a store of this family logs in. Empty when the family needs no credentials.
    var authKinds: [AuthKind] { get }
    /// Fields the inventory requires in the block beyond ESO's CRD (eskit generates for real clusters, where
    /// ESO's defaulting from the controller's environment does not apply).
    var inventoryRequired: [String] { get }
    /// How a remote key is written for this family (docs and messages).
    var keySyntax: String { get }
    /// Service-account annotations the family's workload identity reads (generator sugar and RBAC).
    var accountAnnotations: [AccountAnnotation] { get }
    /// What `eskit validate` checks against a store of this family (docs and `eskit schema`).
    var validateChecks: [String] { get }
    /// True when `eskit init --provider <name>` has a starter inventory (`templates/inventory/<name>.yaml`).
    var hasStarter: Bool { get }
    /// True when the store block itself holds secret values by design (ESO's `fake` provider), so inline
    /// credential fields are not an error.
    var holdsValues: Bool { get }
    /// True when a store of this family that configures no auth kind logs in with the ESO controller pod's own
    /// workload identity (the annotations of the controller's service account: IRSA, GKE workload identity), so
    /// its `serviceAccount` settings go to the controller's account in the generated Helm values.
    var usesControllerIdentityWithoutAuth: Bool { get }

    /// The block as generated: ESO defaults the family spells out so a GitOps diff shows no server-side change.
    func withDefaults(_ block: YAMLNode) -> YAMLNode
    /// Mistakes in the store's block that ESO's schema cannot express.
    func checkStore(_ context: StoreCheckContext) -> [Diagnostic]
    /// Mistakes in one remote key used with a store of this family (`key` is as written, before any prefix).
    /// `keyNode` is where it was written.
    func checkKey(_ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String, file: String) -> [Diagnostic]
    /// `checkKey` for one store, with what it reads from the store's block worked out once (a plan checks every
    /// remote key of the inventory against a handful of stores). The default calls `checkKey` each time.
    func keyChecker(for store: ResolvedStore) -> KeyChecker
}

/// Checks one remote key (as written, where written, by whom, in which file) used with one store.
public typealias KeyChecker =
    @Sendable (_ key: String, _ keyNode: YAMLNode, _ who: String, _ file: String) -> [Diagnostic]

extension ProviderFamily {
    public var inventoryRequired: [String] { [] }
    public var accountAnnotations: [AccountAnnotation] { [] }
    public var hasStarter: Bool { false }
    public var holdsValues: Bool { false }
    public var usesControllerIdentityWithoutAuth: Bool { false }
    public func withDefaults(_ block: YAMLNode) -> YAMLNode { block }
    public func checkStore(_ context: StoreCheckContext) -> [Diagnostic] { [] }
    public func checkKey(
        _ key: String, keyNode: YAMLNode, store: ResolvedStore, who: String,
        file: String
    ) -> [Diagnostic] { [] }
    public func keyChecker(for store: ResolvedStore) -> KeyChecker {
        { key, keyNode, who, file in checkKey(key, keyNode: keyNode, store: store, who: who, file: file) }
    }

    /// True when the controller must read the store's service accounts (their annotations select the cloud
    /// identity), so the generated Role also grants `get` on them.
    public var readsAccountAnnotations: Bool { !accountAnnotations.isEmpty }

    /// The auth kind `block` configures, if any.
    public func authKind(of block: YAMLNode) -> AuthKind? { authKinds.first { $0.isConfigured(in: block) } }

    /// Generic auth checks: the fields each configured kind requires.
    func checkAuthRequirements(_ context: StoreCheckContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for kind in authKinds where kind.isConfigured(in: context.block) {
            var holder: YAMLNode? = context.block
            for key in kind.path { holder = holder?[key] }
            for field in kind.required {
                var node = holder
                for part in field.split(separator: ".") { node = node?[String(part)] }
                if node == nil {
                    out.append(context.error(holder, "\(name) auth `\(kind.name)` needs `\(field)`"))
                }
            }
        }
        return out
    }
}

/// Credential values written into a store's provider block, where ESO expects a reference to a Kubernetes
/// Secret: generating them would commit the credential in the SecretStore manifest.
public enum InlineCredentials {
    /// Field names (lower-cased) that hold a credential when given as text.
    static let names: Set<String> = [
        "password", "token", "secret", "secretid", "clientsecret", "secretaccesskey", "apikey", "privatekey",
        "bearertoken", "accesstoken", "sessiontoken", "credentials", "serviceaccountkey", "clientcertificate",
    ]

    /// One error per text credential under `provider` (any family, unless it holds values by design). Messages
    /// name the field path, never the value.
    public static func check(_ provider: YAMLNode, store: String, file: String) -> [Diagnostic] {
        guard let (family, block) = provider.pairs?.first.flatMap({ p in p.key.scalarValue.map { ($0, p.value) } })
        else { return [] }
        if ProviderFamilies.named(family)?.holdsValues == true { return [] }
        var out: [Diagnostic] = []
        func walk(_ node: YAMLNode, _ path: [String]) {
            switch node.kind {
            case .mapping(let pairs):
                for pair in pairs {
                    guard let key = pair.key.scalarValue else { continue }
                    let lower = key.lowercased()
                    let parent = path.last?.lowercased() ?? ""
                    let credential = names.contains(lower) || (lower == "value" && names.contains(parent))
                    if credential, case .scalar(let text, _) = pair.value.kind, !text.isEmpty, !pair.value.isNull {
                        let field = (["provider", family] + path + [key]).joined(separator: ".")
                        let reference =
                            lower == "value"
                            ? "`\(path.last ?? key): {secretRef: {name: <secret>, key: <key>}}`"
                            : "the provider's `...SecretRef: {name: <secret>, key: <key>}` form"
                        out.append(
                            .error(
                                file, pair.value.start,
                                "store `\(store)`: `\(field)` holds a credential "
                                    + "value, which `eskit generate` would commit in the SecretStore; put it in a "
                                    + "Kubernetes "
                                    + "Secret and reference it (\(reference))"))
                    } else {
                        walk(pair.value, path + [key])
                    }
                }
            case .sequence(let items):
                for (i, item) in items.enumerated() { walk(item, path.dropLast() + ["\(path.last ?? "")[\(i)]"]) }
            case .scalar:
                break
            }
        }
        walk(block, [])
        return out
    }
}

/// The provider families eskit knows, sorted by name.
public enum ProviderFamilies {
    public static let all: [any ProviderFamily] = [
        AWSFamily(), AzureKVFamily(), FakeFamily(), GCPSMFamily(), KubernetesFamily(), PulumiFamily(), VaultFamily(),
    ]

    private static let index: [String: any ProviderFamily] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The family named `name`, or nil for a provider eskit passes through unchanged (any other ESO provider).
    public static func named(_ name: String) -> (any ProviderFamily)? { index[name] }

    /// The families with a starter inventory for `eskit init`.
    public static var starters: [String] { all.filter(\.hasStarter).map(\.name) }

    /// Every service-account annotation field of every family, in family order.
    public static var accountAnnotations: [AccountAnnotation] { all.flatMap(\.accountAnnotations) }
}
