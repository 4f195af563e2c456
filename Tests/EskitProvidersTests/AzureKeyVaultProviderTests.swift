import EskitCore
import Foundation
import Testing
import _CryptoExtras

@testable import EskitProviders

/// The azurekv provider against `FakeAzure` (an in-test Entra token endpoint and Key Vault that follow the
/// documented responses; no real Key Vault runs here): client credentials and workload identity federation, values,
/// versions, JSON properties, missing keys, disabled secrets, permission denied, bad credentials, an unreachable
/// vault, compare-before-write and find over pages. No value ever appears in an error.
@Suite(.serialized)
struct AzureKeyVaultProviderTests {
    static let value = "kv-" + UUID().uuidString.prefix(12).lowercased()

    struct Fixture {
        let fake: FakeAzure
        let issuer: _RSA.Signing.PrivateKey
    }

    func fixture() async throws -> Fixture {
        let issuer = try TestJWT.makeKey()
        return Fixture(fake: try await FakeAzure(issuerKey: issuer.publicKey), issuer: issuer)
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
        _ fake: FakeAzure, credentials: AzureCredentials? = nil, vault: String? = nil,
        tenant: String = FakeAzure.tenant,
        apiVersion: String = "7.4"
    ) throws -> AzureKeyVaultProvider {
        let config = AzureKeyVaultConfig(
            vaultURL: vault ?? fake.url, tenantID: tenant,
            authorityHost: AzureKeyVaultConfig.authorityHost(environment: ["AZURE_AUTHORITY_HOST": fake.url]),
            apiVersion: apiVersion)
        return AzureKeyVaultProvider(
            config: config,
            credentials: credentials ?? .clientSecret(clientID: FakeAzure.clientID, clientSecret: fake.clientSecret),
            transport: try transport(timeout: vault == nil ? .seconds(5) : .seconds(1)))
    }

    /// Runs `body` and returns its ProviderError (recording an issue when it succeeds or throws something else).
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

    @Test func valuesVersionsPropertiesAndOneTokenForManyReads() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        let first = f.fake.set("db", #"{"user":"app","password":"\#(Self.value)"}"#)
        f.fake.set("db", "second")
        f.fake.set("plain", Self.value)
        let kv = try provider(f.fake)
        let current = try await kv.get(RemoteKey("db"))
        #expect(current.secret.revealed == "second")
        let old = try await kv.get(RemoteKey("secret/db", version: first))
        #expect(old.version == first)
        #expect(old.properties()?["password"]?.revealed == Self.value)
        #expect(old.properties()?["user"]?.revealed == "app")
        let many = await kv.getMany([RemoteKey("plain"), RemoteKey("db"), RemoteKey("plain"), RemoteKey("nope")])
        #expect(try many[RemoteKey("plain")]?.get().secret.revealed == Self.value)
        guard case .failure(.notFound) = many[RemoteKey("nope")] else {
            Issue.record("nope: \(String(describing: many[RemoteKey("nope")]))")
            return
        }
        // The token is fetched once and cached until it expires, whatever the number of concurrent reads.
        #expect(f.fake.state.snapshot.tokenRequests == 1)
        #expect(await kv.tokenRequests == 1)
        #expect(await kv.callCounts["GetSecret"] == 5)
        #expect(!String(describing: current).contains(Self.value))
    }

    @Test func missingKeyMissingVersionAndInvalidName() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("app", Self.value)
        let kv = try provider(f.fake)
        guard case .notFound(let key, let detail) = await failure({ try await kv.get(RemoteKey("missing")) }) else {
            Issue.record("missing key")
            return
        }
        #expect(key == "missing" && detail.contains("SecretNotFound"))
        guard case .notFound = await failure({ try await kv.get(RemoteKey("app", version: "0123456789abcdef")) })
        else { Issue.record("missing version"); return }
        guard case .notFound = await failure({ try await kv.get(RemoteKey("not/a name")) }) else {
            Issue.record("invalid name")
            return
        }
        guard case .invalidConfiguration = await failure({ try await kv.get(RemoteKey("cert/app")) }) else {
            Issue.record("cert/ prefix")
            return
        }
    }

    @Test func disabledSecretIsReportedApartFromMissingAndDenied() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        let enabled = f.fake.set("rotated", Self.value)
        f.fake.set("rotated", Self.value + "-next", enabled: false)
        f.fake.set("locked", Self.value)
        f.fake.state.withLock { _ = $0.denied.insert("locked") }
        let kv = try provider(f.fake)
        guard case .deleted(_, let detail) = await failure({ try await kv.get(RemoteKey("rotated")) }) else {
            Issue.record("disabled current version")
            return
        }
        #expect(detail.contains("disabled") && detail.contains("SecretDisabled"))
        #expect(try await kv.get(RemoteKey("rotated", version: enabled)).secret.revealed == Self.value)
        guard case .permissionDenied(let key, let denied) = await failure({ try await kv.get(RemoteKey("locked")) })
        else { Issue.record("denied"); return }
        #expect(key == "locked" && denied.contains("Forbidden"))
    }

    @Test func badCredentialsAreAuthFailures() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("app", Self.value)
        let wrongSecret = try provider(
            f.fake, credentials: .clientSecret(clientID: FakeAzure.clientID, clientSecret: "nope"))
        guard case .authFailed(let detail) = await failure({ try await wrongSecret.get(RemoteKey("app")) }) else {
            Issue.record("wrong client secret")
            return
        }
        #expect(detail.contains("invalid_client") && detail.contains("AADSTS7000215"))
        let wrongTenant = try provider(f.fake, tenant: "someone-else")
        guard case .authFailed = await failure({ try await wrongTenant.checkAccess(keys: []) }) else {
            Issue.record("wrong tenant")
            return
        }
        let staleToken = try provider(f.fake, credentials: .accessToken("not-a-token"))
        guard case .authFailed(let refused) = await failure({ try await staleToken.get(RemoteKey("app")) }) else {
            Issue.record("refused bearer token")
            return
        }
        #expect(refused.contains("Unauthorized"))
        // The vault refused every request without a valid token: nothing was read.
        #expect(f.fake.state.snapshot.log.filter { $0.hasPrefix("GET /secrets") }.count == 1)
    }

    @Test func revokedTokenIsFetchedAgainOnce() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("app", Self.value)
        let kv = try provider(f.fake)
        _ = try await kv.get(RemoteKey("app"))
        f.fake.state.withLock { $0.tokens.removeAll() }
        #expect(try await kv.get(RemoteKey("app")).secret.revealed == Self.value)
        #expect(f.fake.state.snapshot.tokenRequests == 2)
    }

    @Test func workloadIdentityFederation() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("app", Self.value)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-azure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func tokenFile(_ claims: [String: Any], key: _RSA.Signing.PrivateKey? = nil) throws -> String {
            let file = folder.appendingPathComponent(UUID().uuidString).path
            try Data(TestJWT.sign(claims, key: key ?? f.issuer).utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
        let claims: [String: Any] = [
            "iss": FakeAzure.federatedIssuer, "sub": FakeAzure.federatedSubject, "aud": [FakeAzure.federatedAudience],
            "iat": TestJWT.now, "exp": TestJWT.now + 600,
        ]
        let environment = ["AZURE_CLIENT_ID": FakeAzure.clientID, "AZURE_FEDERATED_TOKEN_FILE": try tokenFile(claims)]
        let credentials = try #require(AzureCredentials.fromEnvironment(environment))
        let kv = try provider(f.fake, credentials: credentials)
        #expect(try await kv.get(RemoteKey("app")).secret.revealed == Self.value)

        // Signed by another key, for another audience, or expired: refused by the token endpoint.
        var wrongAudience = claims
        wrongAudience["aud"] = "api://somewhere-else"
        var expired = claims
        expired["exp"] = TestJWT.now - 60
        for (name, file) in [
            ("foreign key", try tokenFile(claims, key: try TestJWT.makeKey())),
            ("audience", try tokenFile(wrongAudience)), ("expired", try tokenFile(expired)),
        ] {
            let refused = try provider(
                f.fake, credentials: .workloadIdentity(clientID: FakeAzure.clientID, tokenFile: file))
            guard case .authFailed = await failure({ try await refused.get(RemoteKey("app")) }) else {
                Issue.record("\(name): not refused")
                continue
            }
        }
        let missingFile = try provider(
            f.fake, credentials: .workloadIdentity(clientID: FakeAzure.clientID, tokenFile: folder.path + "/none"))
        guard case .invalidConfiguration = await failure({ try await missingFile.get(RemoteKey("app")) }) else {
            Issue.record("missing token file")
            return
        }
    }

    @Test func apiVersionIsRequired() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("app", Self.value)
        let kv = try provider(f.fake, apiVersion: "")
        guard case .protocolError(let detail) = await failure({ try await kv.get(RemoteKey("app")) }) else {
            Issue.record("a request without api-version must be refused")
            return
        }
        #expect(detail.contains("BadParameter"))
    }

    @Test func unreachableVault() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        let port = try await CloudTestServer.closedPort()
        let kv = try provider(f.fake, vault: "http://127.0.0.1:\(port)")
        guard case .unreachable = await failure({ try await kv.get(RemoteKey("app")) }) else {
            Issue.record("closed port")
            return
        }
        let noAuthority = AzureKeyVaultProvider(
            config: AzureKeyVaultConfig(
                vaultURL: f.fake.url, tenantID: FakeAzure.tenant, authorityHost: "http://127.0.0.1:\(port)"),
            credentials: .clientSecret(clientID: FakeAzure.clientID, clientSecret: f.fake.clientSecret),
            transport: try transport(timeout: .seconds(1)))
        guard case .unreachable = await failure({ try await noAuthority.checkAccess(keys: []) }) else {
            Issue.record("closed authority port")
            return
        }
    }

    @Test func putComparesBeforeWriting() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        let kv = try provider(f.fake)
        let value = RedactedSecret(Self.value)
        #expect(try await kv.put("app", value: value, mode: .createOnly) == .created)
        #expect(try await kv.put("app", value: value, mode: .createOnly) == .unchanged)
        #expect(try await kv.put("app", value: value, mode: .overwrite) == .unchanged)
        guard
            case .conflict = await failure({
                try await kv.put("app", value: RedactedSecret("other"), mode: .createOnly)
            })
        else { Issue.record("createOnly over a different value"); return }
        #expect(try await kv.put("app", value: RedactedSecret("other"), mode: .overwrite) == .updated)
        #expect(f.fake.state.snapshot.secrets["app"]?.versions.map(\.value) == [Self.value, "other"])
        f.fake.state.withLock { _ = $0.denied.insert("locked") }
        guard case .permissionDenied = await failure({ try await kv.put("locked", value: value, mode: .overwrite) })
        else { Issue.record("denied put"); return }
        try await kv.delete("app")
        try await kv.delete("app")
        #expect(f.fake.state.snapshot.secrets["app"] == nil)
        #expect(f.fake.state.snapshot.log.filter { $0 == "PUT /secrets/app" }.count == 2)
    }

    @Test func findByNameRegexpAndTagsOverPages() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.state.withLock { $0.pageSize = 2 }
        for i in 0..<5 { f.fake.set("app-\(i)", Self.value, tags: ["team": i % 2 == 0 ? "a" : "b"]) }
        f.fake.set("other", Self.value, tags: ["team": "a"])
        f.fake.set("app-off", Self.value, enabled: false, tags: ["team": "a"])
        let kv = try provider(f.fake)
        #expect(
            try await kv.find(FindQuery(nameRegexp: "^app-[0-9]$")) == ["app-0", "app-1", "app-2", "app-3", "app-4"])
        #expect(try await kv.find(FindQuery(tags: ["team": "a"])) == ["app-0", "app-2", "app-4", "other"])
        #expect(try await kv.find(FindQuery(nameRegexp: "^app", tags: ["team": "b"])) == ["app-1", "app-3"])
        // 7 secrets, 2 per page: 4 pages per find, each page one call.
        #expect(await kv.callCounts["GetSecrets"] == 12)
        guard case .invalidConfiguration = await failure({ try await kv.find(FindQuery(nameRegexp: "([")) }) else {
            Issue.record("bad regexp")
            return
        }
    }

    @Test func noValueInAnyErrorDescription() async throws {
        let f = try await fixture()
        defer { Task { await f.fake.stop() } }
        f.fake.set("db", #"{"password":"\#(Self.value)"}"#)
        f.fake.set("off", Self.value, enabled: false)
        f.fake.set("locked", Self.value)
        f.fake.state.withLock { _ = $0.denied.insert("locked") }
        let kv = try provider(f.fake)
        var errors: [ProviderError] = []
        for ref in [RemoteKey("off"), RemoteKey("locked"), RemoteKey("gone"), RemoteKey("db", version: "ffff")] {
            if let e = await failure({ try await kv.get(ref) }) { errors.append(e) }
        }
        if let e = await failure({ try await kv.put("db", value: RedactedSecret(Self.value), mode: .createOnly) }) {
            errors.append(e)
        }
        let bad = try provider(
            f.fake, credentials: .clientSecret(clientID: FakeAzure.clientID, clientSecret: Self.value))
        if let e = await failure({ try await bad.get(RemoteKey("db")) }) { errors.append(e) }
        #expect(errors.count == 6)
        for error in errors {
            #expect(!error.description.contains(Self.value))
            #expect(!String(reflecting: error).contains(Self.value))
        }
    }
}
