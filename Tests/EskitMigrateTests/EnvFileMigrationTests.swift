import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// A kustomize `secretGenerator` reading `.env` files (`envs`, with `literals` beside): one ExternalSecret with every
/// key, the generator gone, the env files (which hold the values) removed, the values never in the plan.
@Suite struct EnvFileMigrationTests {
    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
    static let token = Sample.string(32, seed: 9101)
    static let password = Sample.string(20, seed: 9102)

    static func files(password: String = password) -> [MigrationFile] {
        [
            MigrationFile(
                path: "apps/web/app.env",
                bytes: Array("# web settings\nLOG_LEVEL=info\nAPI_TOKEN=\(token)\n\nDB_PASSWORD=\(password)\r\n".utf8)),
            MigrationFile(
                path: "apps/web/kustomization.yaml",
                bytes: Array(
                    ("namespace: web\nresources:\n  - deploy.yaml\nsecretGenerator:\n  - name: web-env\n    envs:\n"
                        + "      - ./app.env\n    literals:\n      - REGION=eu-west-1\n").utf8)),
            MigrationFile(
                path: "apps/web/deploy.yaml",
                bytes: Array(
                    ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                        + "      containers:\n        - name: web\n          envFrom:\n            - secretRef:\n"
                        + "                name: web-env\n").utf8)),
        ]
    }

    @Test func envFilesBecomeOneExternalSecretAndAreRemoved() throws {
        let files = Self.files()
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        #expect(plan.items.count == 1, "the env file's findings are the generator's, not manual: \(plan.items)")
        let item = try #require(plan.items.first)
        #expect(item.action == .kustomizeGenerator && item.name == "web-env" && item.namespace == "web")
        #expect(item.values.map(\.key) == ["REGION", "LOG_LEVEL", "API_TOKEN", "DB_PASSWORD"])
        #expect(item.values.map(\.file) == [nil, "apps/web/app.env", "apps/web/app.env", "apps/web/app.env"])
        #expect(item.values.map(\.line) == [9, 2, 3, 5])
        let yaml = plan.yaml()
        #expect(!yaml.contains(Self.token) && !yaml.contains(Self.password))
        #expect(try MigrationPlan.read(Array(yaml.utf8), file: "plan.yaml") == plan, "the plan reads back")

        let prepared = try MigrationApplier.prepare(plan, files: files)
        #expect(prepared.removed == ["apps/web/app.env"])
        func text(_ path: String) throws -> String {
            String(decoding: try #require(prepared.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        #expect(
            try text("apps/web/kustomization.yaml") == "namespace: web\nresources:\n  - deploy.yaml\n  - "
                + "externalsecret-web-env.yaml\n")
        let es = try text("apps/web/externalsecret-web-env.yaml")
        for key in ["REGION", "LOG_LEVEL", "API_TOKEN", "DB_PASSWORD"] { #expect(es.contains("secretKey: \(key)\n")) }
        #expect(es.contains("key: home/web/web-env\n"))
        #expect(prepared.remoteKeys == ["home/web/web-env"])
        for (path, bytes) in prepared.files {
            try Golden.check(
                String(decoding: bytes, as: UTF8.self),
                against: Fixtures.url("migrate/expected/envfile-" + path.replacingOccurrences(of: "/", with: "_")))
        }
        #expect(!es.contains(Self.token) && !es.contains(Self.password))
    }

    @Test func aValueChangedInTheEnvFileSinceThePlanIsRefusedNamingTheEnvFile() throws {
        let plan = try MigrationPlanner.plan(Self.files(), target: Self.target)
        let changed = Self.files(password: Sample.string(20, seed: 9103))
        do {
            _ = try MigrationApplier.prepare(plan, files: changed)
            Issue.record("a changed value must be refused")
        } catch {
            #expect(error.message.hasPrefix("apps/web/app.env:5: the value of `DB_PASSWORD` changed"), "\(error)")
            #expect(!error.message.contains(Self.password))
        }
    }
}

/// A GitHub Actions runner configured from an env file through a `configMapGenerator` (read by `envFrom`): the token
/// line moves to a Secret an ExternalSecret writes, the configuration lines stay, and the runner reads both.
@Suite struct ConfigMapEnvMigrationTests {
    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
    static let token = "ghp_" + Sample.string(36, seed: 9201)

    static func files() -> [MigrationFile] {
        [
            MigrationFile(
                path: "ci/runner/runner.env",
                bytes: Array("# runner registration\nRUNNER_SCOPE=org\nGITHUB_TOKEN=\(token)\nRUNNER_LABELS=x64\n".utf8)
            ),
            MigrationFile(
                path: "ci/runner/kustomization.yaml",
                bytes: Array(
                    ("namespace: ci\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: runner-env\n"
                        + "    envs:\n      - runner.env\n").utf8)),
            MigrationFile(
                path: "ci/runner/deployment.yaml",
                bytes: Array(
                    ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: runner\nspec:\n  template:\n    spec:\n"
                        + "      containers:\n        - name: runner\n          envFrom:\n            - configMapRef:\n"
                        + "                name: runner-env\n          image: runner:1\n").utf8)),
        ]
    }

    @Test func theTokenLineMovesAndTheRunnerReadsTheSecretToo() throws {
        let files = Self.files()
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        let item = try #require(plan.items.first)
        #expect(plan.items.count == 1, "\(plan.items)")
        #expect(item.action == .configMapEnvSecret && item.externalSecret == "runner-env-secret")
        #expect(item.values.map(\.key) == ["GITHUB_TOKEN"] && item.consumers == ["ci/runner/deployment.yaml"])
        #expect(try MigrationPlan.read(Array(plan.yaml().utf8), file: "plan.yaml") == plan)
        let prepared = try MigrationApplier.prepare(plan, files: files)
        func text(_ path: String) throws -> String {
            String(decoding: try #require(prepared.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        #expect(try text("ci/runner/runner.env") == "# runner registration\nRUNNER_SCOPE=org\nRUNNER_LABELS=x64\n")
        #expect(
            try text("ci/runner/deployment.yaml").contains(
                "            - configMapRef:\n                name: runner-env\n            - secretRef:\n"
                    + "                name: runner-env-secret\n          image: runner:1\n"))
        #expect(
            try text("ci/runner/kustomization.yaml").contains(
                "  - deployment.yaml\n  - externalsecret-runner-env-secret.yaml\nconfigMapGenerator:\n"))
        let es = try text("ci/runner/externalsecret-runner-env-secret.yaml")
        #expect(es.contains("secretKey: GITHUB_TOKEN") && !es.contains("RUNNER_SCOPE") && !es.contains(Self.token))
        #expect(prepared.remoteKeys == ["home/ci/runner-env-secret"])
        for (path, bytes) in prepared.files {
            try Golden.check(
                String(decoding: bytes, as: UTF8.self),
                against: Fixtures.url("migrate/expected/configmap-" + path.replacingOccurrences(of: "/", with: "_")))
        }
        // Applied once, the plan is a no-op.
        let after = files.map { file in
            prepared.files.first { $0.path == file.path }.map {
                MigrationFile(path: $0.path, bytes: $0.bytes)
            } ?? file
        }
        let rerun = try MigrationApplier.prepare(plan, files: after)
        #expect(rerun.applied.isEmpty && rerun.alreadyApplied.count == 1)
    }
}
