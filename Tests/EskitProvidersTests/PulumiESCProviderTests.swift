import EskitCore
import Foundation
import Testing

@testable import EskitProviders

/// The pulumi provider against `FakePulumi` (an in-test ESC API that follows the documented responses; no real
/// Pulumi Cloud runs here): one open session per provider, properties read from it by path, secret values, JSON
/// objects, missing properties and environments, permission denied, a bad token, an expired session, an unreachable
/// API and find. No value ever appears in an error.
@Suite(.serialized)
struct PulumiESCProviderTests {
    static let value = "esc-" + UUID().uuidString.prefix(12).lowercased()
    static let env = "\(FakePulumi.org)/payments/prod"

    func fake() async throws -> FakePulumi {
        let fake = try await FakePulumi()
        fake.define(
            Self.env,
            [
                "db": ["user": "app", "password": Self.value, "port": 5432],
                "apiKey": Self.value,
                "dotted.name": "dots",
                "hosts": ["a.example", "b.example"],
                "enabled": true,
            ],
            secrets: ["db.password", "apiKey"])
        return fake
    }

    /// A short timeout: async-http-client keeps retrying a refused connection until the deadline.
    func transport(timeout: Duration = .seconds(5)) throws -> HTTPClientTransport {
        var options = TransportOptions()
        options.maxRetries = 1
        options.baseBackoff = .milliseconds(5)
        options.timeout = timeout
        return try HTTPClientTransport(options: options)
    }

    func provider(
        _ fake: FakePulumi, token: String? = nil, api: String? = nil, org: String = FakePulumi.org,
        environment: String = "prod"
    ) throws -> PulumiESCProvider {
        PulumiESCProvider(
            config: PulumiESCConfig(
                apiURL: api ?? fake.url, organization: org, project: "payments", environment: environment),
            credentials: .accessToken(token ?? fake.token),
            transport: try transport(timeout: api == nil ? .seconds(5) : .seconds(1)))
    }

    func failure<T>(_ body: () async throws -> T) async -> ProviderError? {
        do {
            _ = try await body()
            Issue.record("expected a ProviderError")
            return nil
        } catch let error as ProviderError {
            #expect(!error.description.contains(Self.value), "a value leaked into: \(error)")
            return error
        } catch {
            Issue.record("not a ProviderError: \(error)")
            return nil
        }
    }

    @Test func propertiesFromOneSessionPerRun() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        let refs = ["db.password", "apiKey", "db.user", #"["dotted.name"]"#, "hosts[1]", "enabled", "db.port"].map {
            RemoteKey($0)
        }
        let results = await esc.getMany(refs + refs)
        #expect(try results[RemoteKey("db.password")]?.get().secret.revealed == Self.value)
        #expect(try results[RemoteKey("apiKey")]?.get().secret.revealed == Self.value)
        #expect(try results[RemoteKey("db.user")]?.get().secret.revealed == "app")
        #expect(try results[RemoteKey(#"["dotted.name"]"#)]?.get().secret.revealed == "dots")
        #expect(try results[RemoteKey("hosts[1]")]?.get().secret.revealed == "b.example")
        #expect(try results[RemoteKey("enabled")]?.get().secret.revealed == "true")
        #expect(try results[RemoteKey("db.port")]?.get().secret.revealed == "5432")
        // An object property is its JSON with the nested ESC values unwrapped: `property` works on it.
        let db = try await esc.get(RemoteKey("db"))
        #expect(db.properties()?["password"]?.revealed == Self.value)
        #expect(db.properties()?["port"]?.revealed == "5432")
        #expect(try await esc.get(RemoteKey("hosts")).secret.revealed == #"["a.example","b.example"]"#)
        // One session for the whole run, however many keys and concurrent reads.
        #expect(fake.store.snapshot.opens == 1)
        #expect(await esc.callCounts["OpenEnvironment"] == 1)
        #expect(await esc.callCounts["ReadOpenEnvironmentProperty"] == 9)
    }

    @Test func missingPropertyAndMissingEnvironment() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        guard case .notFound(let key, _) = await failure({ try await esc.get(RemoteKey("db.nope")) }) else {
            Issue.record("missing property")
            return
        }
        #expect(key == "db.nope")
        guard case .notFound = await failure({ try await esc.get(RemoteKey("hosts[7]")) }) else {
            Issue.record("index out of range")
            return
        }
        guard case .notFound = await failure({ try await esc.get(RemoteKey("a[")) }) else {
            Issue.record("bad path")
            return
        }
        let missing = try provider(fake, environment: "staging")
        guard case .notFound(let k, let detail) = await failure({ try await missing.get(RemoteKey("apiKey")) }) else {
            Issue.record("missing environment")
            return
        }
        #expect(k == "apiKey" && detail.contains("not found"))
        guard case .invalidConfiguration = await failure({ try await esc.get(RemoteKey("apiKey", version: "3")) })
        else {
            Issue.record("versions")
            return
        }
    }

    @Test func badTokenAndForbiddenOrganization() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let bad = try provider(fake, token: "pul-wrong")
        guard case .authFailed = await failure({ try await bad.checkAccess(keys: []) }) else {
            Issue.record("bad token")
            return
        }
        let other = try provider(fake, org: "someone-else")
        guard case .permissionDenied = await failure({ try await other.get(RemoteKey("apiKey")) }) else {
            Issue.record("other organization")
            return
        }
        #expect(fake.store.snapshot.opens == 0)
    }

    @Test func expiredSessionIsReopenedOnce() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        #expect(try await esc.get(RemoteKey("apiKey")).secret.revealed == Self.value)
        fake.store.withLock { $0.sessions.removeAll() }
        #expect(try await esc.get(RemoteKey("apiKey")).secret.revealed == Self.value)
        #expect(fake.store.snapshot.opens == 2)
        #expect(await esc.sessionsOpened == 2)
    }

    @Test func unreachableAPI() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let port = try await CloudTestServer.closedPort()
        let esc = try provider(fake, api: "http://127.0.0.1:\(port)/api/esc")
        guard case .unreachable = await failure({ try await esc.get(RemoteKey("apiKey")) }) else {
            Issue.record("closed port")
            return
        }
    }

    @Test func findListsTopLevelProperties() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        #expect(try await esc.find(FindQuery()) == ["apiKey", "db", "dotted.name", "enabled", "hosts"])
        #expect(try await esc.find(FindQuery(nameRegexp: "^d")) == ["db", "dotted.name"])
        #expect(try await esc.find(FindQuery(path: "h")) == ["hosts"])
        guard case .invalidConfiguration = await failure({ try await esc.find(FindQuery(tags: ["a": "b"])) }) else {
            Issue.record("tags")
            return
        }
        #expect(fake.store.snapshot.opens == 1)
    }

    @Test func putAndDeleteAreRefused() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        guard
            case .invalidConfiguration = await failure({
                try await esc.put("apiKey", value: RedactedSecret(Self.value), mode: .overwrite)
            })
        else { Issue.record("put"); return }
        guard case .invalidConfiguration = await failure({ try await esc.delete("apiKey") }) else {
            Issue.record("delete")
            return
        }
        #expect(fake.store.snapshot.log.isEmpty)
    }

    @Test func configNormalisesTheAPIURL() {
        #expect(PulumiESCConfig(organization: "o", environment: "e").apiURL == "https://api.pulumi.com/api/esc")
        #expect(
            PulumiESCConfig(apiURL: "https://api.pulumi.com/", organization: "o", environment: "e").apiURL
                == "https://api.pulumi.com/api/esc")
        #expect(
            PulumiESCConfig(apiURL: "https://h/api/esc", organization: "o", environment: "e").environmentURL
                == "https://h/api/esc/environments/o/default/e")
    }

    @Test func noValueInAnyErrorDescription() async throws {
        let fake = try await fake()
        defer { Task { await fake.stop() } }
        let esc = try provider(fake)
        var errors: [ProviderError] = []
        for key in ["db.password.x", "nope", "apiKey[0]"] {
            if let e = await failure({ try await esc.get(RemoteKey(key)) }) { errors.append(e) }
        }
        if let e = await failure({ try await provider(fake, token: Self.value).get(RemoteKey("apiKey")) }) {
            errors.append(e)
        }
        #expect(errors.count == 4)
        for error in errors { #expect(!String(reflecting: error).contains(Self.value)) }
    }
}
