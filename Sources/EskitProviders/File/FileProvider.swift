public import EskitCore
import EskitYAML
import Foundation

/// A local YAML or JSON map of keys (`key: value`; a mapping value is the JSON object ESO would get) that answers
/// for every store: offline CI, tests and the demo (`eskit validate --offline FILE`). `put` rewrites the file
/// atomically with mode 0600. Versions are not kept: a reference with a `version` is not found.
public actor FileProvider: SecretProvider {
    public nonisolated let family = "file"
    let path: String
    private var values: [String: RedactedSecret]
    private var calls: [String: Int] = [:]

    /// Reads `path`. Errors name the file and position, never a value.
    public init(path: String) throws(ProviderError) {
        self.path = path
        let bytes: [UInt8]
        do { bytes = try FileReader.input(path, what: "the offline secrets file", limit: 64 << 20) } catch {
            throw .invalidConfiguration(detail: error.message)
        }
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: path) } catch {
            // libyaml's problem and context are fixed phrases; the source line (which may hold a value) is left out.
            let why = [error.problem, error.context ?? ""].filter { !$0.isEmpty }
            throw .invalidConfiguration(
                detail: "\(path):\(error.position.line):\(error.position.column): not YAML or JSON"
                    + (why.isEmpty ? "" : " (\(why.joined(separator: " ")))"))
        }
        var values: [String: RedactedSecret] = [:]
        guard let root = documents.first?.root, !root.isNull else {
            self.values = [:]
            return
        }
        guard let pairs = root.pairs else {
            throw .invalidConfiguration(
                detail: "\(path):\(root.start.line):\(root.start.column): expected a mapping of keys to values")
        }
        for pair in pairs {
            guard let key = pair.key.scalarValue else {
                throw .invalidConfiguration(
                    detail: "\(path):\(pair.key.start.line):\(pair.key.start.column): keys are text")
            }
            values[key] = RedactedSecret(Self.text(pair.value))
        }
        self.values = values
    }

    /// A scalar as is; a mapping or list as JSON (sorted keys), as a provider's JSON secret.
    static func text(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar(let s, _): return s
        default:
            let object = json(node)
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func json(_ node: YAMLNode) -> Any {
        switch node.kind {
        case .scalar(let s, _): return s
        case .sequence(let items): return items.map(json)
        case .mapping(let pairs):
            var out: [String: Any] = [:]
            for p in pairs { if let k = p.key.scalarValue { out[k] = json(p.value) } }
            return out
        }
    }

    public var callCounts: [String: Int] { calls }

    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {}

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        calls["get", default: 0] += 1
        if ref.version != nil { throw .notFound(key: ref.description, detail: "\(path) keeps no versions") }
        guard let value = values[ref.key] else { throw .notFound(key: ref.key, detail: "not in \(path)") }
        return ProviderValue(secret: value)
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        var out: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        for ref in Set(refs) {
            do { out[ref] = .success(try await get(ref)) } catch { out[ref] = .failure(error) }
        }
        return out
    }

    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        calls["find", default: 0] += 1
        if !query.tags.isEmpty { throw .invalidConfiguration(detail: "\(path) has no tags") }
        var regex: Regex<AnyRegexOutput>?
        if let pattern = query.nameRegexp {
            do { regex = try Regex(pattern) } catch {
                throw .invalidConfiguration(detail: "find.name.regexp is not a regular expression")
            }
        }
        return values.keys.filter { key in
            (query.path.map { key.hasPrefix($0) } ?? true) && (regex.map { key.contains($0) } ?? true)
        }.sorted()
    }

    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        calls["put", default: 0] += 1
        if let current = values[key] {
            if current.revealedBytes == value.revealedBytes { return .unchanged }
            if mode == .createOnly { throw .conflict(key: key, detail: "\(path) holds a different value") }
        }
        let existed = values[key] != nil
        values[key] = value
        try save()
        return existed ? .updated : .created
    }

    public func delete(_ key: String) async throws(ProviderError) {
        calls["delete", default: 0] += 1
        guard values.removeValue(forKey: key) != nil else { return }
        try save()
    }

    func save() throws(ProviderError) {
        let node = YAMLNode(
            kind: .mapping(
                values.keys.sorted().map { key in
                    YAMLPair(
                        key: .scalar(key, style: .doubleQuoted),
                        value: .scalar(values[key]!.revealed, style: .doubleQuoted))
                }))
        do { try AtomicFile.write(YAMLEmitter.emit(node), to: path, mode: 0o600) } catch {
            throw .unreachable(detail: "cannot write \(path): \(error.reason)")
        }
    }
}
