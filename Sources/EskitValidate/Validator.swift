public import EskitCore
public import EskitProviders
import EskitYAML
import Foundation

/// The outcome of a validate run.
public struct ValidationReport: Sendable {
    /// One result per reference (plus a `.leaked` result for each reference whose value was once committed), in
    /// reference order.
    public var results: [ReferenceResult]
    /// API calls made, by `family call` (`aws BatchGetSecretValue`), every attempt counted.
    public var apiCalls: [String: Int]
    /// Stores contacted (distinct store configurations).
    public var stores: Int
    /// Distinct remote keys read (key and version), whatever the number of references and environments.
    public var distinctKeys: Int
    /// The most requests in flight at once against one store.
    public var peakConcurrency: Int

    /// 0 every reference resolves, 1 any does not (or a leaked value), 2 a store could not be checked.
    public var exitStatus: Int32 { results.map(\.verdict.exitStatus).max() ?? 0 }

    public var totalCalls: Int { apiCalls.values.reduce(0, +) }
}

/// Checks references against their providers: one client per distinct store configuration, each distinct remote
/// key fetched once (batched where the provider can), `find` queries run once each. Values are hashed and
/// dropped as soon as their references are judged; nothing else keeps them.
public struct Validator: Sendable {
    /// Makes the client of a store (the provider factories by default; tests and `--offline` put others in).
    public typealias ClientMaker = @Sendable (StoreBinding) throws(ProviderError) -> any SecretProvider

    let makeClient: ClientMaker
    /// SHA-256 (hex) of every value once committed in plaintext (`--against-history`).
    let leakedHashes: Set<String>
    /// Stores checked at once.
    let storeConcurrency: Int

    public init(makeClient: @escaping ClientMaker, leakedHashes: Set<String> = [], storeConcurrency: Int = 4) {
        self.makeClient = makeClient
        self.leakedHashes = leakedHashes
        self.storeConcurrency = max(1, storeConcurrency)
    }

    /// The client maker of the built-in provider factories.
    public static func factories(credentials: CredentialSource, options: TransportOptions) -> ClientMaker {
        { (store) throws(ProviderError) -> any SecretProvider in
            guard let factory = ProviderClients.factory(for: store.family) else {
                let known = ProviderClients.all.map(\.family).joined(separator: ", ")
                throw .invalidConfiguration(
                    detail: "eskit has no client for provider `\(store.family)` (it has: \(known))")
            }
            return try factory.make(store, credentials: credentials, options: options)
        }
    }

    public func run(_ references: [Reference]) async -> ValidationReport {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, reference) in references.enumerated() {
            let id = Self.clientIdentity(reference.store)
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(i)
        }
        var results = [[ReferenceResult]](repeating: [], count: references.count)
        var calls: [String: Int] = [:]
        var distinct = 0
        var peak = 0
        await withTaskGroup(of: StoreOutcome.self) { group in
            var next = 0
            func add() {
                guard next < order.count else { return }
                let indices = groups[order[next]] ?? []
                next += 1
                let refs = indices.map { references[$0] }
                group.addTask { await self.check(store: refs[0].store, refs, indices: indices) }
            }
            for _ in 0..<min(storeConcurrency, order.count) { add() }
            while let outcome = await group.next() {
                for (index, result) in outcome.results { results[index].append(result) }
                for (call, count) in outcome.calls { calls[call, default: 0] += count }
                distinct += outcome.distinctKeys
                peak = max(peak, outcome.peak)
                add()
            }
        }
        return ValidationReport(
            results: results.flatMap { $0 }, apiCalls: calls, stores: order.count,
            distinctKeys: distinct, peakConcurrency: peak)
    }

    /// Same store name, family and block: the same client (credentials are chosen per store name).
    static func clientIdentity(_ store: StoreBinding) -> String {
        "\(store.kind)\u{0}\(store.namespace ?? "")\u{0}\(store.name)\u{0}\(store.family)\u{0}"
            + YAMLEmitter.emit(store.block)
    }

    struct StoreOutcome: Sendable {
        var results: [(Int, ReferenceResult)] = []
        var calls: [String: Int] = [:]
        var distinctKeys = 0
        var peak = 0
    }

    func check(store: StoreBinding, _ refs: [Reference], indices: [Int]) async -> StoreOutcome {
        var outcome = StoreOutcome()
        func judgeAll(_ error: ProviderError) {
            for (i, ref) in zip(indices, refs) {
                outcome.results.append(
                    (
                        i,
                        ReferenceResult(
                            reference: ref, verdict: Self.verdict(error, ref),
                            detail: error.description)
                    ))
            }
        }
        let client: any SecretProvider
        do { client = try makeClient(store) } catch {
            judgeAll(error)
            return outcome
        }
        var keys: [RemoteKey] = []
        var seen = Set<RemoteKey>()
        for ref in refs {
            switch ref.kind {
            case .key(let key, _), .extract(let key):
                if seen.insert(key).inserted { keys.append(key) }
            case .find: break
            }
        }
        outcome.distinctKeys = keys.count
        do {
            try await client.checkAccess(keys: keys)
        } catch {
            switch error {
            case .authFailed, .unreachable, .invalidConfiguration:
                judgeAll(error)
                outcome.calls = Self.prefixed(await client.callCounts, store.family)
                return outcome
            default:
                break  // a key the store may not read is judged with that key
            }
        }
        var values = keys.isEmpty ? [:] : await client.getMany(keys)
        var finds: [FindQuery: Result<[String], ProviderError>] = [:]
        for ref in refs {
            guard case .find(let query) = ref.kind, finds[query] == nil else { continue }
            do { finds[query] = .success(try await client.find(query)) } catch { finds[query] = .failure(error) }
        }
        for (i, ref) in zip(indices, refs) {
            for result in judge(ref, values: values, finds: finds) { outcome.results.append((i, result)) }
        }
        values.removeAll()
        outcome.calls = Self.prefixed(await client.callCounts, store.family)
        if let http = client as? any TransportReporting { outcome.peak = await http.peakConcurrency() }
        return outcome
    }

    static func prefixed(_ counts: [String: Int], _ family: String) -> [String: Int] {
        Dictionary(counts.map { ("\(family) \($0.key)", $0.value) }, uniquingKeysWith: +)
    }

    func judge(
        _ ref: Reference, values: [RemoteKey: Result<ProviderValue, ProviderError>],
        finds: [FindQuery: Result<[String], ProviderError>]
    ) -> [ReferenceResult] {
        switch ref.kind {
        case .find(let query):
            switch finds[query] {
            case .success(let names)?:
                return [
                    names.isEmpty
                        ? ReferenceResult(reference: ref, verdict: .noMatch)
                        : ReferenceResult(reference: ref, verdict: .ok, detail: "\(names.count) keys")
                ]
            case .failure(let error)?:
                return [ReferenceResult(reference: ref, verdict: Self.verdict(error, ref), detail: error.description)]
            case nil:
                return [ReferenceResult(reference: ref, verdict: .unreachable, detail: "find was not run")]
            }
        case .key(let key, let property):
            return judge(ref, key: key, values: values) { value in
                guard let property else { return (.ok, nil, [value.secret.sha256]) }
                guard let found = Self.property(property, of: value) else {
                    let shape = value.properties() == nil ? "the value is not a JSON object" : "no such property"
                    return (.missingProperty, "`\(property)`: \(shape)", [])
                }
                return (.ok, nil, [found.sha256])
            }
        case .extract(let key):
            return judge(ref, key: key, values: values) { value in
                guard let properties = value.properties() else { return (.notAnObject, nil, []) }
                return (.ok, "\(properties.count) properties", properties.values.map(\.sha256))
            }
        }
    }

    /// Judges a key reference with `accept` (verdict, detail, hashes of the values the Secret would receive).
    func judge(
        _ ref: Reference, key: RemoteKey, values: [RemoteKey: Result<ProviderValue, ProviderError>],
        accept: (ProviderValue) -> (Verdict, String?, [String])
    ) -> [ReferenceResult] {
        switch values[key] {
        case .success(let value)?:
            let (verdict, detail, hashes) = accept(value)
            var out = [ReferenceResult(reference: ref, verdict: verdict, detail: detail)]
            if !leakedHashes.isEmpty, let hash = hashes.first(where: leakedHashes.contains) {
                out.append(
                    ReferenceResult(
                        reference: ref, verdict: .leaked,
                        detail: "the value's SHA-256 matches a secret `eskit scan --history` found", leakedHash: hash))
            }
            return out
        case .failure(let error)?:
            return [ReferenceResult(reference: ref, verdict: Self.verdict(error, ref), detail: error.description)]
        case nil:
            return [ReferenceResult(reference: ref, verdict: .unreachable, detail: "the provider returned no result")]
        }
    }

    /// A property as ESO reads it: the top-level key when there is one, else a dotted path into nested objects.
    static func property(_ path: String, of value: ProviderValue) -> RedactedSecret? {
        guard let top = value.properties() else { return nil }
        if let direct = top[path] { return direct }
        var current = top
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for (i, part) in parts.enumerated() {
            guard let next = current[part] else { return nil }
            if i == parts.count - 1 { return next }
            guard let nested = ProviderValue(secret: next).properties() else { return nil }
            current = nested
        }
        return nil
    }

    static func verdict(_ error: ProviderError, _ ref: Reference) -> Verdict {
        switch error {
        case .notFound:
            switch ref.kind {
            case .key(let key, _) where key.version != nil: return .missingVersion
            case .extract(let key) where key.version != nil: return .missingVersion
            default: return .missingKey
            }
        case .deleted: return .deletedVersion
        case .destroyed: return .destroyedVersion
        case .permissionDenied: return .permissionDenied
        case .authFailed: return .authFailed
        case .unreachable, .protocolError: return .unreachable
        case .invalidConfiguration, .conflict: return .invalidStore
        }
    }
}
