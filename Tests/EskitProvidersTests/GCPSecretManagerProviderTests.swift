import EskitCore
import Foundation
import Testing
import _CryptoExtras

@testable import EskitProviders

/// The gcpsm provider against `FakeGCP` (an in-test Google token endpoint and Secret Manager v1 REST API that
/// follow the documented responses; no real Secret Manager runs here): the service-account JWT grant, access
/// tokens from a file, values, versions, JSON properties, missing keys, disabled and destroyed versions, permission
/// denied, bad credentials, corrupted payloads, an unreachable endpoint, compare-before-write and find over pages.
@Suite(.serialized)
struct GCPSecretManagerProviderTests {
    static let value = "sm-" + UUID().uuidString.prefix(12).lowercased()

    /// A short timeout: async-http-client keeps retrying a refused connection until the deadline.
    func transport(timeout: Duration = .seconds(5)) throws -> HTTPClientTransport {
        var options = TransportOptions()
        options.maxRetries = 1
        options.baseBackoff = .milliseconds(5)
        options.timeout = timeout
        return try HTTPClientTransport(options: options)
    }

    func provider(
        _ fake: FakeGCP, credentials: GCPCredentials? = nil, endpoint: String? = nil, project: String = FakeGCP.project
    ) throws -> GCPSecretManagerProvider {
        GCPSecretManagerProvider(
            config: GCPSecretManagerConfig(projectID: project, endpoint: endpoint ?? fake.url),
            credentials: try credentials ?? .serviceAccountKey(GCPServiceAccountKey(json: fake.keyFile())),
            transport: try transport(timeout: endpoint == nil ? .seconds(5) : .seconds(1)))
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

    @Test func valuesVersionsPropertiesAndOneTokenForManyReads() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("db", #"{"user":"app","password":"\#(Self.value)"}"#)
        fake.add("db", "second")
        fake.add("plain", Self.value)
        let sm = try provider(fake)
        let latest = try await sm.get(RemoteKey("db"))
        #expect(latest.secret.revealed == "second" && latest.version == "2")
        let first = try await sm.get(RemoteKey("db", version: "1"))
        #expect(first.version == "1")
        #expect(first.properties()?["password"]?.revealed == Self.value)
        let many = await sm.getMany([RemoteKey("plain"), RemoteKey("db", version: "latest"), RemoteKey("nope")])
        #expect(try many[RemoteKey("plain")]?.get().secret.revealed == Self.value)
        guard case .failure(.notFound) = many[RemoteKey("nope")] else {
            Issue.record("nope: \(String(describing: many[RemoteKey("nope")]))")
            return
        }
        #expect(fake.store.snapshot.tokenRequests == 1)
        #expect(await sm.callCounts["AccessSecretVersion"] == 5)
    }

    @Test func missingSecretMissingVersionAndInvalidID() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        let sm = try provider(fake)
        guard case .notFound(_, let detail) = await failure({ try await sm.get(RemoteKey("missing")) }) else {
            Issue.record("missing secret")
            return
        }
        #expect(detail.contains("NOT_FOUND"))
        guard case .notFound = await failure({ try await sm.get(RemoteKey("app", version: "7")) }) else {
            Issue.record("missing version")
            return
        }
        guard case .notFound = await failure({ try await sm.get(RemoteKey("no/slashes")) }) else {
            Issue.record("invalid id")
            return
        }
    }

    @Test func disabledAndDestroyedVersions() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        fake.add("app", "gone", state: .destroyed)
        fake.add("app", "off", state: .disabled)
        let sm = try provider(fake)
        guard case .deleted(_, let disabled) = await failure({ try await sm.get(RemoteKey("app")) }) else {
            Issue.record("latest is disabled")
            return
        }
        #expect(disabled.contains("DISABLED"))
        guard case .destroyed(_, let destroyed) = await failure({ try await sm.get(RemoteKey("app", version: "2")) })
        else { Issue.record("version 2 is destroyed"); return }
        #expect(destroyed.contains("DESTROYED"))
        #expect(try await sm.get(RemoteKey("app", version: "1")).secret.revealed == Self.value)
    }

    @Test func permissionDeniedAndOtherProject() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("locked", Self.value)
        fake.store.withLock { _ = $0.denied.insert("locked") }
        let sm = try provider(fake)
        guard case .permissionDenied(let key, let detail) = await failure({ try await sm.get(RemoteKey("locked")) })
        else { Issue.record("denied"); return }
        #expect(key == "locked" && detail.contains("PERMISSION_DENIED"))
        let other = try provider(fake, project: "someone-elses")
        guard case .permissionDenied = await failure({ try await other.get(RemoteKey("locked")) }) else {
            Issue.record("other project")
            return
        }
    }

    @Test func badCredentialsAreAuthFailures() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        // A key the service account does not have: the JWT signature does not verify.
        let foreign = try provider(
            fake,
            credentials: .serviceAccountKey(GCPServiceAccountKey(json: fake.keyFile(privateKey: try TestJWT.makeKey())))
        )
        guard case .authFailed(let detail) = await failure({ try await foreign.get(RemoteKey("app")) }) else {
            Issue.record("foreign key")
            return
        }
        #expect(detail.contains("invalid_grant"))
        let impostor = try provider(
            fake,
            credentials: .serviceAccountKey(
                GCPServiceAccountKey(json: fake.keyFile(email: "x@y.iam.gserviceaccount.com"))))
        guard case .authFailed = await failure({ try await impostor.checkAccess(keys: []) }) else {
            Issue.record("wrong issuer")
            return
        }
        let stale = try provider(fake, credentials: .accessToken("ya29.stale"))
        guard case .authFailed(let refused) = await failure({ try await stale.get(RemoteKey("app")) }) else {
            Issue.record("stale token")
            return
        }
        #expect(refused.contains("UNAUTHENTICATED"))
        guard
            case .invalidConfiguration = await failure({ () throws in
                _ = try GCPServiceAccountKey(json: Array(#"{"type":"service_account","client_email":"a@b"}"#.utf8))
            })
        else { Issue.record("key without private_key"); return }
        #expect(fake.store.snapshot.log.filter { $0.contains(":access") }.count == 1)
    }

    @Test func accessTokenFromFileAndEnvironment() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        let token = "ya29.from-file-" + UUID().uuidString
        fake.store.withLock { _ = $0.tokens.insert(token) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-gcp-\(UUID().uuidString)")
        try Data((token + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try provider(fake, credentials: .accessTokenFile(file.path))
        #expect(try await fromFile.get(RemoteKey("app")).secret.revealed == Self.value)
        let fromEnvironment = try #require(try GCPCredentials.fromEnvironment(["GOOGLE_OAUTH_ACCESS_TOKEN": token]))
        #expect(
            try await provider(fake, credentials: fromEnvironment).get(RemoteKey("app")).secret.revealed == Self.value)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eskit-gcp-\(UUID().uuidString).json")
        try Data(fake.keyFile()).write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let fromKeyFile = try #require(
            try GCPCredentials.fromEnvironment(["GOOGLE_APPLICATION_CREDENTIALS": keyFile.path]))
        #expect(try await provider(fake, credentials: fromKeyFile).get(RemoteKey("app")).secret.revealed == Self.value)
        #expect(fake.store.snapshot.tokenRequests == 1)
    }

    @Test func workloadIdentityFederationWithAndWithoutImpersonation() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-gcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ bytes: [UInt8]) throws -> String {
            let file = folder.appendingPathComponent(UUID().uuidString).path
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return file
        }
        let tokenFile = try write(Array(try fake.federatedToken().utf8))
        for impersonate in [false, true] {
            let config = try write(fake.externalAccount(tokenFile: tokenFile, impersonate: impersonate))
            let credentials = try #require(
                try GCPCredentials.fromEnvironment(["GOOGLE_APPLICATION_CREDENTIALS": config]))
            guard case .workloadIdentityFederation = credentials else {
                Issue.record("an external_account file is workload identity federation")
                return
            }
            let sm = try provider(fake, credentials: credentials)
            #expect(try await sm.get(RemoteKey("app")).secret.revealed == Self.value)
            #expect(await sm.callCounts["generateAccessToken", default: 0] == (impersonate ? 1 : 0))
        }
        #expect(fake.store.snapshot.stsRequests == 2)

        // Impersonation refused, a token signed by another issuer, for another audience, or expired: auth fails.
        fake.store.withLock { $0.impersonationAllowed = false }
        let refusedImpersonation = try GCPWorkloadIdentityFederation(
            json: fake.externalAccount(tokenFile: tokenFile, impersonate: true))
        for (name, federation) in [
            ("impersonation", refusedImpersonation),
            (
                "foreign issuer",
                try GCPWorkloadIdentityFederation(
                    json: fake.externalAccount(
                        tokenFile: try write(Array(try fake.federatedToken(key: try TestJWT.makeKey()).utf8)),
                        impersonate: false))
            ),
            (
                "audience",
                try GCPWorkloadIdentityFederation(
                    json: fake.externalAccount(
                        tokenFile: try write(Array(try fake.federatedToken(audience: "https://elsewhere").utf8)),
                        impersonate: false))
            ),
            (
                "expired",
                try GCPWorkloadIdentityFederation(
                    json: fake.externalAccount(
                        tokenFile: try write(Array(try fake.federatedToken(exp: TestJWT.now - 60).utf8)),
                        impersonate: false))
            ),
        ] {
            let sm = try provider(fake, credentials: .workloadIdentityFederation(federation))
            guard case .authFailed = await failure({ try await sm.get(RemoteKey("app")) }) else {
                Issue.record("\(name): not refused")
                continue
            }
        }
    }

    @Test func corruptedPayloadIsRefused() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        fake.store.withLock { $0.corruptChecksums = true }
        let sm = try provider(fake)
        guard case .protocolError(let detail) = await failure({ try await sm.get(RemoteKey("app")) }) else {
            Issue.record("a wrong dataCrc32c must be refused")
            return
        }
        #expect(detail.contains("dataCrc32c"))
    }

    @Test func unreachableEndpoint() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        let port = try await CloudTestServer.closedPort()
        let sm = try provider(fake, endpoint: "http://127.0.0.1:\(port)")
        guard case .unreachable = await failure({ try await sm.get(RemoteKey("app")) }) else {
            Issue.record("closed port")
            return
        }
    }

    @Test func putComparesBeforeWriting() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        let sm = try provider(fake)
        let value = RedactedSecret(Self.value)
        #expect(try await sm.put("app", value: value, mode: .createOnly) == .created)
        #expect(try await sm.put("app", value: value, mode: .createOnly) == .unchanged)
        #expect(try await sm.put("app", value: value, mode: .overwrite) == .unchanged)
        guard
            case .conflict = await failure({
                try await sm.put("app", value: RedactedSecret("other"), mode: .createOnly)
            })
        else { Issue.record("createOnly over a different value"); return }
        #expect(try await sm.put("app", value: RedactedSecret("other"), mode: .overwrite) == .updated)
        #expect(
            fake.store.snapshot.secrets["app"]?.versions.map { String(decoding: $0.data, as: UTF8.self) } == [
                Self.value, "other",
            ])
        #expect(try await sm.get(RemoteKey("app", version: "1")).secret.revealed == Self.value)
        // A secret without versions gets its first one.
        fake.store.withLock { $0.secrets["empty"] = FakeGCP.Secret() }
        #expect(try await sm.put("empty", value: value, mode: .createOnly) == .created)
        try await sm.delete("app")
        try await sm.delete("app")
        #expect(fake.store.snapshot.secrets["app"] == nil)
        #expect(await sm.callCounts["AddSecretVersion"] == 3)
    }

    @Test func findByLabelsPathAndNameOverPages() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.store.withLock { $0.pageSize = 2 }
        for i in 0..<5 { fake.add("app-\(i)", Self.value, labels: ["team": i % 2 == 0 ? "a" : "b"]) }
        fake.add("other", Self.value, labels: ["team": "a", "tier": "gold plated"])
        let sm = try provider(fake)
        #expect(
            try await sm.find(FindQuery(nameRegexp: "^app-[0-9]$")) == ["app-0", "app-1", "app-2", "app-3", "app-4"])
        #expect(try await sm.find(FindQuery(tags: ["team": "a"])) == ["app-0", "app-2", "app-4", "other"])
        #expect(try await sm.find(FindQuery(path: "app", tags: ["team": "b"])) == ["app-1", "app-3"])
        #expect(try await sm.find(FindQuery(tags: ["tier": "gold plated"])) == ["other"])
        // The filter runs on the server: 6 secrets at 2 a page is 3 pages, 4 matching is 2, 2 is 1, 1 is 1.
        #expect(await sm.callCounts["ListSecrets"] == 7)
    }

    @Test func noValueInAnyErrorDescription() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("db", #"{"password":"\#(Self.value)"}"#)
        fake.add("off", Self.value, state: .disabled)
        fake.add("gone", Self.value, state: .destroyed)
        fake.add("locked", Self.value)
        fake.store.withLock { _ = $0.denied.insert("locked") }
        let sm = try provider(fake)
        var errors: [ProviderError] = []
        for ref in [
            RemoteKey("off"), RemoteKey("gone"), RemoteKey("locked"), RemoteKey("nope"), RemoteKey("db", version: "9"),
        ] {
            if let e = await failure({ try await sm.get(ref) }) { errors.append(e) }
        }
        if let e = await failure({ try await sm.put("db", value: RedactedSecret(Self.value), mode: .createOnly) }) {
            errors.append(e)
        }
        fake.store.withLock { $0.corruptChecksums = true }
        if let e = await failure({ try await sm.get(RemoteKey("db")) }) { errors.append(e) }
        #expect(errors.count == 7)
        for error in errors { #expect(!String(reflecting: error).contains(Self.value)) }
    }
}
