public import EskitCore
import Foundation

/// AWS Secrets Manager or SSM Parameter Store, read the way ESO's `aws` provider reads them, over JSON 1.1
/// (`POST /` with `X-Amz-Target`) signed with SigV4. `getMany` uses the batch calls (BatchGetSecretValue, 20 ids
/// per call; GetParameters, 10 names per call), so each distinct key costs a twentieth (tenth) of a call.
///
/// Construct with `AWSProvider(config:credentials:transport:)`, e.g.
/// `AWSProvider(config: AWSConfig(service: .secretsManager, region: "eu-west-1").withEndpoints(from: env),
/// credentials: try .fromEnvironment(env), transport: try AWSProvider.transport())`. The store's `role` is
/// assumed over `credentials` (unless `credentials` is web identity for that same role).
public final class AWSProvider: SecretProvider, TransportReporting {
    public let family = "aws"
    public let config: AWSConfig
    let source: AWSCredentialSource
    let transport: any HTTPTransport
    let cache = AWSCredentialCache()

    /// Ids per BatchGetSecretValue call (the botocore model's maximum).
    public static let secretsBatchSize = 20
    /// Names per GetParameters call (the botocore model's maximum).
    public static let parametersBatchSize = 10

    public init(config: AWSConfig, credentials: AWSCredentialSource, transport: any HTTPTransport) {
        self.config = config
        self.transport = transport
        if let role = config.role {
            if case .webIdentity(let webRole, _, _) = credentials, webRole == role {
                source = credentials
            } else {
                source = .assumeRole(
                    roleARN: role, externalID: config.externalID, sessionName: AWSCredentialSource.defaultSessionName,
                    base: credentials)
            }
        } else {
            source = credentials
        }
    }

    /// The real transport, retrying AWS's throttling replies (400 with `ThrottlingException`, ...) as well as
    /// 429 and 5xx.
    public static func transport(
        options: TransportOptions = TransportOptions()
    ) throws(ProviderError)
        -> HTTPClientTransport
    {
        try HTTPClientTransport(options: options, retryable: retryable)
    }

    /// 429, 5xx, and 400 replies whose error code is one of AWS's throttling codes.
    public static let retryable: @Sendable (HTTPResponse) -> Bool = { response in
        if HTTPClientTransport.defaultRetryable(response) { return true }
        guard response.status == 400 else { return false }
        return AWSFailure.throttlingCodes.contains(AWSFailure(response).code)
    }

    /// Requests sent so far by API call (`BatchGetSecretValue`, `GetParameters`, `AssumeRoleWithWebIdentity`, ...),
    /// retries included.
    public var callCounts: [String: Int] { get async { await transport.callCounts() } }

    public func peakConcurrency() async -> Int {
        await (transport as? HTTPClientTransport)?.peakConcurrency() ?? 0
    }

    // MARK: Credentials

    /// The credentials requests are signed with (fetched from STS for web identity and assumed roles).
    func credentials() async throws(ProviderError) -> AWSCredentials {
        if case .fixed(let fixed) = source { return fixed }
        let source = self.source
        return try await cache.get { [self] () async throws(ProviderError) -> AWSCredentials in
            try await self.resolve(source)
        }
    }

    func resolve(_ source: AWSCredentialSource) async throws(ProviderError) -> AWSCredentials {
        switch source {
        case .fixed(let credentials):
            return credentials
        case .webIdentity(let role, let file, let session):
            let token: String
            do {
                token = String(
                    decoding: try FileReader.input(file, what: "the web identity token", limit: 1 << 20),
                    as: UTF8.self
                ).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw .authFailed(detail: "web identity: \(error.message)")
            }
            return try await assumeRoleWithWebIdentity(role: role, token: token, session: session)
        case .assumeRole(let role, let externalID, let session, let base):
            let baseCredentials = try await resolve(base)
            return try await assumeRole(role: role, externalID: externalID, session: session, with: baseCredentials)
        }
    }

    // MARK: JSON 1.1

    /// One signed `POST /` of the service's JSON protocol; an error reply comes back as `.failure`. An expired
    /// temporary credential is fetched again once.
    func call(
        _ operation: String, _ body: [String: Any]
    ) async throws(ProviderError)
        -> Result<[String: Any], AWSFailure>
    {
        var retried = false
        while true {
            let credentials = try await credentials()
            let url = config.serviceURL + "/"
            guard let host = AWSWire.host(of: url) else {
                throw .invalidConfiguration(detail: "AWS endpoint `\(config.serviceURL)` is not a URL")
            }
            var request = SigV4Signer.Request(
                method: "POST",
                headers: [
                    ("Host", host), ("Content-Type", "application/x-amz-json-1.1"),
                    ("X-Amz-Target", "\(config.service.targetPrefix).\(operation)"),
                ],
                body: AWSWire.encode(body))
            SigV4Signer(credentials: credentials, region: config.region, service: config.service.signingName)
                .sign(&request)
            let response = try await transport.send(
                HTTPRequest("POST", url, headers: request.headers, body: request.body, call: operation))
            if (200..<300).contains(response.status) {
                guard let json = AWSWire.json(response.body) ?? (response.body.isEmpty ? [:] : nil) else {
                    throw .protocolError(detail: "\(operation): the reply is not a JSON object")
                }
                return .success(json)
            }
            let failure = AWSFailure(response)
            if !retried, ["ExpiredTokenException", "ExpiredToken"].contains(failure.code) {
                if case .fixed = source {
                } else {
                    retried = true
                    await cache.invalidate()
                    continue
                }
            }
            return .failure(failure)
        }
    }

    /// `call`, with an error reply thrown as the `ProviderError` for `key`.
    func require(
        _ operation: String, _ body: [String: Any], key: String?
    ) async throws(ProviderError)
        -> [String: Any]
    {
        switch try await call(operation, body) {
        case .success(let json): return json
        case .failure(let failure): throw failure.error(operation, key: key)
        }
    }

    // MARK: SecretProvider

    /// Checks that the credentials are accepted: STS `GetCallerIdentity` (allowed to every principal), after
    /// fetching temporary credentials when the source needs them. Per-key permissions show up in `getMany`.
    public func checkAccess(keys: [RemoteKey]) async throws(ProviderError) {
        _ = try await callerIdentity()
    }

    public func get(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        switch config.service {
        case .secretsManager: try await getSecretValue(ref)
        case .parameterStore: try await getParameter(ref)
        }
    }

    /// `get` as a `Result` (batch fallbacks and versioned references).
    func getResult(_ ref: RemoteKey) async -> Result<ProviderValue, ProviderError> {
        do throws(ProviderError) { return .success(try await get(ref)) } catch { return .failure(error) }
    }

    public func getMany(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        switch config.service {
        case .secretsManager: await batchSecrets(refs)
        case .parameterStore: await batchParameters(refs)
        }
    }

    public func find(_ query: FindQuery) async throws(ProviderError) -> [String] {
        var regex: NSRegularExpression?
        if let pattern = query.nameRegexp {
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw .invalidConfiguration(detail: "find name regexp `\(pattern)` does not compile")
            }
        }
        let names: [String]
        switch config.service {
        case .secretsManager: names = try await listSecrets(query)
        case .parameterStore: names = try await findParameters(query)
        }
        let matching = names.filter { name in
            guard let regex else { return true }
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
        return Array(Set(matching)).sorted()
    }

    public func put(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        switch config.service {
        case .secretsManager: try await putSecret(key, value: value, mode: mode)
        case .parameterStore: try await putParameter(key, value: value, mode: mode)
        }
    }

    public func delete(_ key: String) async throws(ProviderError) {
        switch config.service {
        case .secretsManager: try await deleteSecret(key)
        case .parameterStore: try await deleteParameter(key)
        }
    }

    /// Runs `work` for each item, at most `limit` at once (the transport limits requests in flight as well).
    static func each<Item: Sendable, Output: Sendable>(
        _ items: [Item], limit: Int = 8,
        _ work: @escaping @Sendable (Item) async -> Output
    ) async -> [Output] {
        var outputs: [Output] = []
        await withTaskGroup(of: Output.self) { group in
            var next = 0
            func add() {
                guard next < items.count else { return }
                let item = items[next]
                next += 1
                group.addTask { await work(item) }
            }
            for _ in 0..<min(limit, items.count) { add() }
            while let output = await group.next() {
                outputs.append(output)
                add()
            }
        }
        return outputs
    }
}
