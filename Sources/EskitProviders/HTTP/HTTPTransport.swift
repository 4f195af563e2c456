import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP request of a provider call. `call` names the API call (`GetSecretValue`, `kv-read`) for call counts
/// and error messages; URLs and headers never hold secret values except the auth headers the provider needs,
/// which are never printed.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var call: String

    public init(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8] = [],
        call: String
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.call = call
    }
}

/// A whole response (bodies of secret APIs are small; the transport caps them at `TransportOptions.maxBodyBytes`).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// Timeouts, retries, concurrency and TLS of one store's transport.
public struct TransportOptions: Sendable {
    /// Per attempt, connect + request + response.
    public var timeout: Duration = .seconds(30)
    /// Attempts after the first one, on 429 / 5xx / throttling / connection failures.
    public var maxRetries: Int = 4
    /// First backoff ceiling; doubles per attempt up to `maxBackoff`; the sleep is uniformly random below it
    /// ("full jitter"), or `Retry-After` (seconds or an HTTP date) when the server sends one, capped at `timeout`.
    public var baseBackoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(10)
    /// Requests in flight at once for this store.
    public var maxConcurrency: Int = 8
    /// A PEM file of CA certificates trusted in addition to the system roots (`caBundle` from a file).
    public var caBundleFile: String?
    /// PEM CA certificates trusted in addition to the system roots (ESO `caBundle` / `caProvider` contents).
    public var caPEM: String?
    /// Largest response body read.
    public var maxBodyBytes: Int = 16 << 20

    public init() {}
}

/// Sends provider requests. Tests and other transports (recorded exchanges) can stand in for the real one.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(ProviderError) -> HTTPResponse
    /// Requests sent so far by call name (every attempt counts: retries are API calls too).
    func callCounts() async -> [String: Int]
}

/// The real transport: async-http-client over NIO with BoringSSL, retries with jittered exponential backoff,
/// and a per-store concurrency limit.
public final class HTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let options: TransportOptions
    private let limiter: ConcurrencyLimiter
    private let counter = CallCounter()
    /// Whether a response should be retried (default: 429 and 5xx). AWS adds its throttling error codes.
    private let retryable: @Sendable (HTTPResponse) -> Bool

    public init(
        options: TransportOptions = TransportOptions(),
        retryable: @escaping @Sendable (HTTPResponse) -> Bool = HTTPClientTransport.defaultRetryable
    )
        throws(ProviderError)
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        var extra: [NIOSSLCertificate] = []
        do {
            if let file = options.caBundleFile { extra += try NIOSSLCertificate.fromPEMFile(file) }
            if let pem = options.caPEM { extra += try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)) }
        } catch {
            throw .invalidConfiguration(detail: "CA bundle \(options.caBundleFile ?? "(inline)") is not PEM: \(error)")
        }
        if !extra.isEmpty { tls.additionalTrustRoots = [.certificates(extra)] }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(
            idleTimeout: .seconds(30),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, options.maxConcurrency))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.options = options
        self.limiter = ConcurrencyLimiter(limit: max(1, options.maxConcurrency))
        self.retryable = retryable
    }

    deinit {
        client.shutdown { _ in }
    }

    /// 429 (too many requests) and every 5xx.
    public static let defaultRetryable: @Sendable (HTTPResponse) -> Bool = { $0.status == 429 || $0.status >= 500 }

    public func callCounts() async -> [String: Int] { await counter.counts }

    /// The most requests that were in flight at once.
    public func peakConcurrency() async -> Int { await limiter.peak }

    /// Sends `request`, retrying 429 / 5xx / `retryable` answers and connection failures up to `maxRetries`
    /// times. A retryable answer that is still there after the last retry is `.unreachable` (the provider kept
    /// failing); any other answer is returned as it is.
    public func send(_ request: HTTPRequest) async throws(ProviderError) -> HTTPResponse {
        var attempt = 0
        while true {
            let outcome: Result<HTTPResponse, ProviderError>
            await limiter.acquire()
            await counter.add(request.call)
            outcome = await once(request)
            await limiter.release()
            switch outcome {
            case .success(let response) where retryable(response) && attempt < options.maxRetries:
                try await sleep(attempt: attempt, retryAfter: response.header("Retry-After"), call: request.call)
            case .success(let response) where retryable(response):
                let host = URL(string: request.url)?.host ?? "?"
                throw .unreachable(
                    detail: "\(request.call) \(host): HTTP \(response.status) after \(attempt + 1) attempts")
            case .success(let response):
                return response
            case .failure(.unreachable) where attempt < options.maxRetries:
                try await sleep(attempt: attempt, retryAfter: nil, call: request.call)
            case .failure(let error):
                throw error
            }
            attempt += 1
        }
    }

    private func sleep(attempt: Int, retryAfter: String?, call: String) async throws(ProviderError) {
        let delay = Self.backoff(attempt: attempt, retryAfter: retryAfter, options: options)
        do { try await Task.sleep(for: delay) } catch { throw .unreachable(detail: "\(call): cancelled") }
    }

    /// The sleep before retry `attempt + 1`: uniformly random below min(`maxBackoff`, `baseBackoff` · 2^attempt)
    /// ("full jitter"), or the server's `Retry-After` (seconds or an HTTP date), capped at the request `timeout`
    /// (a server asking for longer is not waited for beyond what one attempt may take). `random(n)` draws from
    /// 0...n.
    static func backoff(
        attempt: Int, retryAfter: String?, options: TransportOptions, now: Date = Date(),
        random: (Int64) -> Int64 = { Int64.random(in: 0...$0) }
    ) -> Duration {
        if let text = retryAfter?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Int(text), seconds >= 0 { return min(options.timeout, .seconds(seconds)) }
            if let date = httpDate(text) {
                let milliseconds = max(0, Int64((date.timeIntervalSince(now) * 1000).rounded(.up)))
                return min(options.timeout, .milliseconds(milliseconds))
            }
        }
        let cap = min(options.maxBackoff, options.baseBackoff * (1 << min(attempt, 20)))
        return .nanoseconds(random(max(1, nanoseconds(cap))))
    }

    /// An HTTP date (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, RFC 9110 §5.6.7 IMF-fixdate).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    private func once(_ request: HTTPRequest) async -> Result<HTTPResponse, ProviderError> {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let host = URL(string: request.url)?.host ?? "?"
        do {
            let timeout = TimeAmount.nanoseconds(Self.nanoseconds(options.timeout))
            let response = try await client.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: options.maxBodyBytes)
            return .success(
                HTTPResponse(
                    status: Int(response.status.code),
                    headers: response.headers.map { ($0.name, $0.value) },
                    body: Array(buffer: body)))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            return .failure(.unreachable(detail: "\(request.call) \(host): timed out after \(options.timeout)"))
        } catch let error as NIOTooManyBytesError {
            _ = error
            return .failure(
                .protocolError(detail: "\(request.call) \(host): response larger than \(options.maxBodyBytes) bytes"))
        } catch {
            return .failure(.unreachable(detail: "\(request.call) \(host): \(Self.describe(error))"))
        }
    }

    /// A connection error without anything request-specific in it.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED: give its CA as caBundle)"
        }
        if let tls = error as? NIOSSLError { return "TLS: \(tls)" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Counts calls by name.
actor CallCounter {
    var counts: [String: Int] = [:]
    func add(_ call: String) { counts[call, default: 0] += 1 }
}

/// At most `limit` holders at once; waiters resume in arrival order.
public actor ConcurrencyLimiter {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// The most holders seen at once (tests and benches check the limit held).
    public private(set) var peak = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    public func acquire() async {
        if inUse < limit {
            inUse += 1
            peak = max(peak, inUse)
            return
        }
        await withCheckedContinuation { waiters.append($0) }
        peak = max(peak, inUse)
    }

    public func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
