import Crypto
import EskitCore
import Foundation
import TestSupport
import Testing
import _CryptoExtras

@testable import EskitProviders

/// Real OpenBao: writing over a soft-deleted or destroyed current version (check-and-set from the metadata),
/// JWT login with a key configured in the test, and namespaces (`X-Vault-Namespace`).
extension VaultProviderTests {
    /// A fresh test value, built at run time.
    static func fresh(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(12).lowercased() }

    /// The error `body` throws (an issue when it returns), checked to hold no value.
    func failure<T>(_ values: [String], _ body: () async throws -> T) async -> ProviderError? {
        do {
            _ = try await body()
            Issue.record("expected a ProviderError")
            return nil
        } catch let error as ProviderError {
            for value in values { #expect(!error.description.contains(value), "a value leaked into: \(error)") }
            return error
        } catch {
            Issue.record("not a ProviderError: \(error)")
            return nil
        }
    }

    @Test func putOverASoftDeletedOrDestroyedCurrentVersion() async throws {
        let bao = try server()
        let vault = try provider()
        let k = key("reborn")
        let first = Self.fresh("a"), second = Self.fresh("b"), third = Self.fresh("c")
        #expect(try await vault.put(k, value: RedactedSecret(first), mode: .overwrite) == .created)
        // Soft-delete the current version (version 1): reads say deleted, KV v2 refuses `cas: 0`.
        #expect(try bao.request("DELETE", "secret/data/\(k)").status == 204)
        guard case .deleted = await failure([first], { try await vault.get(RemoteKey(k)) }) else {
            Issue.record("a soft-deleted current version reads as deleted")
            return
        }
        #expect(try await vault.put(k, value: RedactedSecret(second), mode: .createOnly) == .created)
        let afterDelete = try await vault.get(RemoteKey(k))
        #expect(afterDelete.properties()?["value"]?.revealed == second)
        #expect(afterDelete.version == "2")
        // Destroy the current version (version 2).
        #expect(try bao.request("POST", "secret/destroy/\(k)", body: ["versions": [2]]).status == 204)
        guard case .destroyed = await failure([second], { try await vault.get(RemoteKey(k)) }) else {
            Issue.record("a destroyed current version reads as destroyed")
            return
        }
        #expect(try await vault.put(k, value: RedactedSecret(third), mode: .overwrite) == .created)
        let afterDestroy = try await vault.get(RemoteKey(k))
        #expect(afterDestroy.properties()?["value"]?.revealed == third)
        #expect(afterDestroy.version == "3")
        // The same value again is left alone; a live value is updated with its own version as cas.
        #expect(try await vault.put(k, value: RedactedSecret(third), mode: .overwrite) == .unchanged)
        #expect(try await vault.put(k, value: RedactedSecret(first), mode: .overwrite) == .updated)
        #expect(try await vault.get(RemoteKey(k)).version == "4")
        #expect(await vault.callCounts["kv-metadata"] == 2)
        #expect(await vault.callCounts["kv-write"] == 4)
    }

    /// An RS256 JWT from `TestJWT` with the claims the test role binds.
    func jwt(key: _RSA.Signing.PrivateKey, audience: String = "eskit", expiresIn: Int = 300) throws -> String {
        try TestJWT.sign(
            ["iss": "eskit-tests", "aud": audience, "sub": "ci", "iat": TestJWT.now, "exp": TestJWT.now + expiresIn],
            key: key)
    }

    /// Enables a `jwt` auth mount (in `namespace` when set) trusting `key`, with a role `ci` that reads `path`.
    func enableJWT(
        _ bao: OpenBaoServer, key: _RSA.Signing.PublicKey, readable path: String,
        namespace: String? = nil
    ) throws -> String {
        let mount = "jwt-" + UUID().uuidString.prefix(6).lowercased()
        let ns = namespace
        #expect(try bao.request("POST", "sys/auth/\(mount)", body: ["type": "jwt"], namespace: ns).status == 204)
        let config: [String: Any] = ["jwt_validation_pubkeys": [key.pemRepresentation], "bound_issuer": "eskit-tests"]
        #expect(try bao.request("POST", "auth/\(mount)/config", body: config, namespace: ns).status == 204)
        let policy = "jwt-read-" + UUID().uuidString.prefix(6).lowercased()
        let rules = "path \"\(path)\" { capabilities = [\"read\"] }\n"
        #expect(
            try bao.request("PUT", "sys/policies/acl/\(policy)", body: ["policy": rules], namespace: ns).status == 204)
        let role: [String: Any] = [
            "role_type": "jwt", "bound_audiences": ["eskit"], "user_claim": "sub", "token_policies": [policy],
            "token_ttl": "1h",
        ]
        #expect(try bao.request("POST", "auth/\(mount)/role/ci", body: role, namespace: ns).status == 204)
        return mount
    }

    @Test func jwtLoginWithATestKey() async throws {
        let bao = try server()
        let k = key("jwt"), other = key("not-granted")
        let value = Self.fresh("j")
        try bao.request("POST", "secret/data/\(k)", body: ["data": ["token": value]])
        try bao.request("POST", "secret/data/\(other)", body: ["data": ["token": value]])
        let signer = try TestJWT.makeKey()
        let mount = try enableJWT(bao, key: signer.publicKey, readable: "secret/data/\(k)")
        let token = try jwt(key: signer)
        let vault = try provider(.jwt(mount: mount, role: "ci", jwt: token))
        #expect(try await vault.get(RemoteKey(k)).properties()?["token"]?.revealed == value)
        #expect(try await vault.get(RemoteKey(k)).properties()?["token"]?.revealed == value)
        #expect(await vault.callCounts["login"] == 1, "one login for many reads")
        guard case .permissionDenied = await failure([value, token], { try await vault.get(RemoteKey(other)) }) else {
            Issue.record("the role's policy does not grant the other path")
            return
        }
        // A token signed by another key, and one for another audience, are refused at login.
        let stranger = try jwt(key: try TestJWT.makeKey())
        let forged = try provider(.jwt(mount: mount, role: "ci", jwt: stranger))
        guard case .authFailed(let detail) = await failure([value, stranger], { try await forged.get(RemoteKey(k)) })
        else {
            Issue.record("a wrong signature is authFailed")
            return
        }
        #expect(detail.contains("auth/\(mount)/login"))
        let elsewhere = try jwt(key: signer, audience: "someone-else")
        let wrongAudience = try provider(.jwt(mount: mount, role: "ci", jwt: elsewhere))
        guard case .authFailed = await failure([elsewhere], { try await wrongAudience.checkAccess(keys: []) }) else {
            Issue.record("a wrong audience is authFailed")
            return
        }
    }

    /// An ES256 JWT (P-256; the signature is r || s, RFC 7518 §3.4).
    func es256(_ claims: [String: Any], key: P256.Signing.PrivateKey) throws -> String {
        let input =
            TestJWT.base64URL(try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT"]))
            + "." + TestJWT.base64URL(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        return input + "." + TestJWT.base64URL(try key.signature(for: Array(input.utf8)).rawRepresentation)
    }

    @Test func jwtLoginWithAnECKey() async throws {
        let bao = try server()
        let k = key("jwt-ec")
        let value = Self.fresh("e")
        try bao.request("POST", "secret/data/\(k)", body: ["data": ["token": value]])
        let signer = P256.Signing.PrivateKey()
        let mount = "jwt-ec-" + UUID().uuidString.prefix(6).lowercased()
        #expect(try bao.request("POST", "sys/auth/\(mount)", body: ["type": "jwt"]).status == 204)
        let config: [String: Any] = [
            "jwt_validation_pubkeys": [signer.publicKey.pemRepresentation], "bound_issuer": "eskit-tests",
        ]
        #expect(try bao.request("POST", "auth/\(mount)/config", body: config).status == 204)
        let policy = "jwt-ec-" + UUID().uuidString.prefix(6).lowercased()
        let rules = "path \"secret/data/\(k)\" { capabilities = [\"read\"] }\n"
        #expect(try bao.request("PUT", "sys/policies/acl/\(policy)", body: ["policy": rules]).status == 204)
        let role: [String: Any] = [
            "role_type": "jwt", "bound_audiences": ["eskit"], "user_claim": "sub", "token_policies": [policy],
        ]
        #expect(try bao.request("POST", "auth/\(mount)/role/ci", body: role).status == 204)
        let claims: [String: Any] = [
            "iss": "eskit-tests", "aud": "eskit", "sub": "ci", "iat": TestJWT.now, "exp": TestJWT.now + 300,
        ]
        let token = try es256(claims, key: signer)
        let vault = try provider(.jwt(mount: mount, role: "ci", jwt: token))
        #expect(try await vault.get(RemoteKey(k)).properties()?["token"]?.revealed == value)
        let forged = try es256(claims, key: P256.Signing.PrivateKey())
        let stranger = try provider(.jwt(mount: mount, role: "ci", jwt: forged))
        guard case .authFailed = await failure([value, forged], { try await stranger.get(RemoteKey(k)) }) else {
            Issue.record("an ES256 token signed by another key is authFailed")
            return
        }
    }

    @Test func namespacesKeepTheirOwnMountsAndLogins() async throws {
        let bao = try server()
        let ns = "team-" + UUID().uuidString.prefix(6).lowercased()
        let created = try bao.request("POST", "sys/namespaces/\(ns)", body: [:])
        try #require(created.status == 200, "this OpenBao has no namespaces (HTTP \(created.status))")
        #expect(
            try bao.request(
                "POST", "sys/mounts/secret", body: ["type": "kv", "options": ["version": "2"]], namespace: ns
            ).status == 204)
        let k = key("ns")
        let inside = Self.fresh("in"), outside = Self.fresh("out")
        #expect(try bao.request("POST", "secret/data/\(k)", body: ["data": ["v": inside]], namespace: ns).status == 200)
        try bao.request("POST", "secret/data/\(k)", body: ["data": ["v": outside]])
        let scoped = try provider(namespace: ns)
        #expect(try await scoped.get(RemoteKey(k)).properties()?["v"]?.revealed == inside)
        #expect(try await provider().get(RemoteKey(k)).properties()?["v"]?.revealed == outside)
        // Written through the namespace, found there only.
        let only = key("only-in-ns")
        #expect(try await scoped.put(only, value: RedactedSecret(inside), mode: .createOnly) == .created)
        let folder = String(only.prefix(upTo: only.lastIndex(of: "/")!))
        #expect(try await scoped.find(FindQuery(path: folder)) == [only])
        #expect(try await provider().find(FindQuery(path: folder)) == [])
        #expect(try await scoped.get(RemoteKey(only)).properties()?["value"]?.revealed == inside)
        guard case .notFound = await failure([inside], { try await provider().get(RemoteKey(only)) }) else {
            Issue.record("a key of the namespace is not in the root namespace")
            return
        }
        // JWT login inside the namespace: the login request carries the header too.
        let signer = try TestJWT.makeKey()
        let mount = try enableJWT(bao, key: signer.publicKey, readable: "secret/data/\(k)", namespace: ns)
        let token = try jwt(key: signer)
        let viaJWT = try provider(.jwt(mount: mount, role: "ci", jwt: token), namespace: ns)
        #expect(try await viaJWT.get(RemoteKey(k)).properties()?["v"]?.revealed == inside)
        let rootJWT = try provider(.jwt(mount: mount, role: "ci", jwt: token))
        guard case .authFailed = await failure([inside, token], { try await rootJWT.get(RemoteKey(k)) }) else {
            Issue.record("the namespace's auth mount is not in the root namespace")
            return
        }
    }
}
