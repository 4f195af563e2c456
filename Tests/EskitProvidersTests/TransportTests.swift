import EskitCore
import Foundation
import NIOSSL
import Testing

@testable import EskitProviders

/// HTTPClientTransport against an in-test NIO server: retries on 429 / 503 with jittered backoff, `Retry-After`,
/// giving up after `maxRetries`, no retry on 400 / 404, the per-store concurrency limit under 50 parallel reads,
/// timeouts, and HTTPS with a CA bundle made at test time.
@Suite struct TransportTests {
    func options(
        retries: Int = 4, timeout: Duration = .seconds(5), base: Duration = .milliseconds(5), limit: Int = 8
    ) -> TransportOptions {
        var options = TransportOptions()
        options.maxRetries = retries
        options.timeout = timeout
        options.baseBackoff = base
        options.maxConcurrency = limit
        return options
    }

    func probe(_ server: TransportTestServer, _ path: String = "/probe") -> HTTPRequest {
        HTTPRequest("GET", server.url + path, call: "probe")
    }

    /// The ProviderError `body` throws (an issue when it returns or throws something else).
    func failure<T>(_ body: () async throws -> T) async -> ProviderError? {
        do {
            _ = try await body()
            Issue.record("expected a ProviderError")
            return nil
        } catch let error as ProviderError {
            return error
        } catch {
            Issue.record("not a ProviderError: \(error)")
            return nil
        }
    }

    /// A server answering the statuses in `script` in turn (the last one from then on).
    func scripted(_ script: [Int], headers: [(String, String)] = []) async throws -> TransportTestServer {
        let count = Locked(0)
        return try await TransportTestServer { _ in
            let n = count.withLock {
                $0 += 1
                return $0
            }
            let status = script[min(n, script.count) - 1]
            return .init(response: .json(status, ["n": n], headers: status == 200 ? [] : headers))
        }
    }

    @Test func retries429And503ThenAnswers() async throws {
        let server = try await scripted([429, 503, 502, 200])
        defer { Task { await server.stop() } }
        let transport = try HTTPClientTransport(options: options())
        let response = try await transport.send(probe(server))
        #expect(response.status == 200)
        #expect(await transport.callCounts() == ["probe": 4])
        #expect(server.served == 4)
    }

    @Test func backoffIsFullJitterBelowADoublingCap() throws {
        var o = options(base: .milliseconds(100))
        o.maxBackoff = .seconds(1)
        let ceilings = (0..<6).map { HTTPClientTransport.backoff(attempt: $0, retryAfter: nil, options: o) { $0 } }
        #expect(ceilings == [100, 200, 400, 800, 1000, 1000].map { Duration.milliseconds($0) })
        #expect(HTTPClientTransport.backoff(attempt: 3, retryAfter: nil, options: o) { _ in 0 } == .zero)
        let draws = (0..<200).map { _ in HTTPClientTransport.backoff(attempt: 2, retryAfter: nil, options: o) }
        #expect(draws.allSatisfy { $0 >= .zero && $0 <= .milliseconds(400) })
        #expect(Set(draws).count > 100, "the sleep is random below the ceiling")
        // Retry-After seconds win over the jitter, capped at the request timeout; anything else is ignored.
        #expect(HTTPClientTransport.backoff(attempt: 0, retryAfter: " 2 ", options: o) == .seconds(2))
        #expect(HTTPClientTransport.backoff(attempt: 0, retryAfter: "3600", options: o) == .seconds(5))
        #expect(HTTPClientTransport.backoff(attempt: 0, retryAfter: "soon", options: o) <= .milliseconds(100))
        // The HTTP-date form: the time left until then, also capped at the timeout; a date passed is no wait.
        let now = try #require(HTTPClientTransport.httpDate("Wed, 21 Oct 2015 07:28:00 GMT"))
        let date = { (text: String) in HTTPClientTransport.backoff(attempt: 0, retryAfter: text, options: o, now: now) }
        #expect(date("Wed, 21 Oct 2015 07:28:03 GMT") == .seconds(3))
        #expect(date("Wed, 21 Oct 2015 08:28:00 GMT") == .seconds(5))
        #expect(date("Wed, 21 Oct 2015 07:27:00 GMT") == .zero)
    }

    @Test func retryAfterSecondsIsHonouredAndCappedAtTheTimeout() async throws {
        let times = Locked<[ContinuousClock.Instant]>([])
        let count = Locked(0)
        let server = try await TransportTestServer { _ in
            times.withLock { $0.append(.now) }
            let n = count.withLock {
                $0 += 1
                return $0
            }
            return n == 1
                ? .init(response: .json(503, [:], headers: [("Retry-After", "1")])) : .init(response: .json(200, [:]))
        }
        defer { Task { await server.stop() } }
        let transport = try HTTPClientTransport(options: options(base: .milliseconds(1)))
        #expect(try await transport.send(probe(server)).status == 200)
        let seen = times.snapshot
        try #require(seen.count == 2)
        #expect(seen[1] - seen[0] >= .milliseconds(950), "waited \(seen[1] - seen[0]) instead of Retry-After: 1")

        // A server asking for an hour is retried after the request timeout (1 s here).
        let greedy = try await scripted([429, 200], headers: [("Retry-After", "3600")])
        defer { Task { await greedy.stop() } }
        let capped = try HTTPClientTransport(options: options(timeout: .seconds(1)))
        let start = ContinuousClock.now
        #expect(try await capped.send(probe(greedy)).status == 200)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(950) && elapsed < .seconds(10), "\(elapsed)")
    }

    @Test(arguments: [429, 503])
    func givesUpAfterMaxRetries(status: Int) async throws {
        let server = try await scripted([status])
        defer { Task { await server.stop() } }
        let transport = try HTTPClientTransport(options: options(retries: 2))
        guard case .unreachable(let detail) = await failure({ try await transport.send(probe(server)) }) else {
            Issue.record("a provider that keeps answering \(status) is unreachable")
            return
        }
        #expect(detail == "probe 127.0.0.1: HTTP \(status) after 3 attempts")
        #expect(server.served == 3)
        #expect(await transport.callCounts() == ["probe": 3])
    }

    @Test(arguments: [400, 404])
    func noRetryOnClientErrors(status: Int) async throws {
        let server = try await scripted([status, 200])
        defer { Task { await server.stop() } }
        let transport = try HTTPClientTransport(options: options())
        #expect(try await transport.send(probe(server)).status == status)
        #expect(server.served == 1)
        #expect(await transport.callCounts() == ["probe": 1])
    }

    @Test func theConcurrencyLimitHoldsFor50ParallelGets() async throws {
        // A KV v2 endpoint that takes 40 ms per read.
        let server = try await TransportTestServer { request in
            let name = String(request.path.split(separator: "/").last ?? "")
            let body: [String: Any] = ["data": ["data": ["name": name], "metadata": ["version": 1]]]
            return .init(response: .json(200, body), delay: .milliseconds(40))
        }
        defer { Task { await server.stop() } }
        let limit = 4
        let transport = try HTTPClientTransport(options: options(limit: limit))
        let vault = VaultProvider(
            config: VaultConfig(server: server.url, mount: "secret", auth: .token("t-" + UUID().uuidString)),
            transport: transport)
        let refs = (0..<50).map { RemoteKey("app/k\($0)") }
        let start = ContinuousClock.now
        let results = await vault.getMany(refs)
        let elapsed = ContinuousClock.now - start
        #expect(results.count == 50)
        for ref in refs {
            #expect(
                try results[ref]?.get().properties()?["name"]?.revealed
                    == ref.key.split(separator: "/").last.map(String.init))
        }
        #expect(await vault.peakConcurrency() <= limit)
        #expect(await vault.peakConcurrency() == limit, "50 reads fill the limit")
        #expect(server.peak <= limit, "the server saw \(server.peak) requests at once")
        #expect(server.served == 50)
        #expect(elapsed >= .milliseconds(40 * 50 / limit - 50), "\(elapsed)")
    }

    @Test func aSlowServerTimesOutAsUnreachable() async throws {
        let server = try await TransportTestServer { _ in .init(response: .json(200, [:]), delay: .seconds(3)) }
        defer { Task { await server.stop() } }
        let transport = try HTTPClientTransport(options: options(retries: 0, timeout: .milliseconds(300)))
        let start = ContinuousClock.now
        guard case .unreachable(let detail) = await failure({ try await transport.send(probe(server)) }) else {
            Issue.record("a timeout is unreachable")
            return
        }
        #expect(detail.contains("timed out"), "\(detail)")
        #expect(ContinuousClock.now - start < .milliseconds(2500))
    }

    @Test(.enabled(if: TestPKI.openssl != nil, "openssl is not installed"))
    func httpsWithACustomCABundle() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await TransportTestServer(tls: try pki.serverContext()) { request in
            .init(response: .json(200, ["path": request.path]))
        }
        defer { Task { await server.stop() } }
        #expect(server.url.hasPrefix("https://"))
        var fromFile = options(retries: 0, timeout: .seconds(3))
        fromFile.caBundleFile = pki.caFile
        #expect(try await HTTPClientTransport(options: fromFile).send(probe(server)).status == 200)
        var inline = options(retries: 0, timeout: .seconds(3))
        inline.caPEM = try String(contentsOfFile: pki.caFile, encoding: .utf8)
        #expect(try await HTTPClientTransport(options: inline).send(probe(server)).status == 200)
        #expect(server.served == 2)
        // Without the CA the certificate is not trusted: no request reaches the server.
        let plain = try HTTPClientTransport(options: options(retries: 0, timeout: .seconds(3)))
        guard case .unreachable(let detail) = await failure({ try await plain.send(probe(server)) }) else {
            Issue.record("an untrusted certificate is unreachable")
            return
        }
        #expect(server.served == 2, "\(detail)")
        #expect(detail.hasPrefix("probe 127.0.0.1: TLS: the server's certificate is not trusted"), "\(detail)")
        // A CA file that is not PEM is a configuration error.
        var broken = options()
        broken.caBundleFile = pki.keyFile + ".missing"
        guard case .invalidConfiguration = await failure({ try HTTPClientTransport(options: broken) }) else {
            Issue.record("a missing CA bundle is invalidConfiguration")
            return
        }
    }
}
