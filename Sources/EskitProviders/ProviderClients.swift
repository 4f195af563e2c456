public import EskitCore
public import EskitYAML
import Foundation

/// A store as a client needs it: its identity (for messages) and its provider block (`spec.provider.<family>`),
/// from an inventory (overrides applied) or a hand-written SecretStore.
public struct StoreBinding: Sendable {
    public var name: String
    /// `SecretStore` or `ClusterSecretStore`.
    public var kind: String
    public var namespace: String?
    /// The provider family (`vault`, `aws`, ...): the single key of `spec.provider`.
    public var family: String
    /// The family's block.
    public var block: YAMLNode

    public init(name: String, kind: String, namespace: String? = nil, family: String, block: YAMLNode) {
        self.name = name
        self.kind = kind
        self.namespace = namespace
        self.family = family
        self.block = block
    }

    /// `SecretStore ns/name` or `ClusterSecretStore name`, for messages.
    public var display: String { namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)" }
}

/// Where credentials come from when eskit (not the cluster) talks to a provider: the environment, a local file
/// named on the command line, and a service-account token file. Never the repository.
public struct CredentialSource: Sendable {
    public var environment: [String: String]
    /// `--credentials FILE`: per store name, a map of fields (`token`, `secretId`, `jwt`, `accessKeyID`, ...).
    public var perStore: [String: [String: String]]
    /// `--sa-token FILE`: a Kubernetes service-account token (Vault kubernetes / JWT login, AWS web identity,
    /// Azure federation).
    public var serviceAccountTokenFile: String?

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        perStore: [String: [String: String]] = [:], serviceAccountTokenFile: String? = nil
    ) {
        self.environment = environment
        self.perStore = perStore
        self.serviceAccountTokenFile = serviceAccountTokenFile
    }

    /// A credential field: the store's entry in the credentials file first, then the environment variables in
    /// order.
    public func value(store: String, field: String, environment names: [String] = []) -> String? {
        if let v = perStore[store]?[field], !v.isEmpty { return v }
        for name in names { if let v = environment[name], !v.isEmpty { return v } }
        return nil
    }

    /// The service-account token, read from `serviceAccountTokenFile` (trailing whitespace removed).
    public func serviceAccountToken() throws(ProviderError) -> String? {
        guard let path = serviceAccountTokenFile else { return nil }
        do {
            let bytes = try FileReader.input(path, what: "the service-account token", limit: 1 << 20)
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .invalidConfiguration(detail: error.message)
        }
    }

    /// Reads a credentials file: YAML or JSON, `stores: {<store name>: {<field>: <value>}}`. Errors name the
    /// file, position and field path, never a value.
    public static func loadFile(_ path: String) throws(EskitError) -> [String: [String: String]] {
        struct File: Decodable { var stores: [String: [String: String]]? }
        let bytes = try FileReader.input(path, what: "the credentials file", limit: 1 << 20)
        do {
            return try YAMLDecoder(file: path).decode(File.self, from: bytes).stores ?? [:]
        } catch {
            throw EskitError(
                .input, "", hint: "a credentials file is `stores: {<store name>: {<field>: <value>}}`",
                diagnostics: error.diagnostics)
        }
    }
}

/// A client that can say how many requests it had in flight at most (the HTTP providers), for summaries and
/// benches.
public protocol TransportReporting: Sendable {
    func peakConcurrency() async -> Int
}

/// Makes clients for one provider family from a store's block. One per family, in `ProviderClients.all`.
public protocol ProviderClientFactory: Sendable {
    /// The family name, as `spec.provider.<name>`.
    var family: String { get }
    /// A client for `store`. Throws `.invalidConfiguration` (block or credentials incomplete: say which field or
    /// variable) or `.authFailed`.
    func make(
        _ store: StoreBinding, credentials: CredentialSource,
        options: TransportOptions
    ) throws(ProviderError) -> any SecretProvider
}

/// The provider clients eskit has, sorted by family.
public enum ProviderClients {
    /// Set by each family's factory file; sorted by family name.
    public static var all: [any ProviderClientFactory] { registered.sorted { $0.family < $1.family } }

    private static let registered: [any ProviderClientFactory] = builtInFactories

    /// The factory for `family`, if eskit has a client for it.
    public static func factory(for family: String) -> (any ProviderClientFactory)? {
        registered.first { $0.family == family }
    }
}
