import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// Actions Runner Controller scale sets (gha-runner-scale-set chart): an inline `githubConfigSecret` (PAT, or a
/// GitHub App's id, installation id and private key) becomes the name of a Secret an ExternalSecret writes.
@Suite struct ARCValuesMigrationTests {
    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
    static let pat = "ghp_" + Sample.string(36, seed: 4242)

    static func files(app: Bool) -> [MigrationFile] {
        let pem =
            "-----BEGIN " + "RSA PRIVATE KEY-----\n" + Sample.privateKeyBody(seed: 4243) + "\n-----END "
            + "RSA PRIVATE KEY-----"
        let secret =
            app
            ? "githubConfigSecret:\n  github_app_id: \"123456\"\n  github_app_installation_id: \"7654321\"\n"
                + "  github_app_private_key: |\n"
                + pem.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
            : "githubConfigSecret:\n  github_token: \(pat)\n"
        let values =
            "# runners for the home org\ngithubConfigUrl: https://github.com/example-org\n" + secret
            + "maxRunners: 5\nminRunners: 1\n"
        return [
            MigrationFile(
                path: "arc/home-runners/kustomization.yaml",
                bytes: Array("namespace: arc-runners\nresources:\n  - namespace.yaml\n".utf8)),
            MigrationFile(path: "arc/home-runners/values.yaml", bytes: Array(values.utf8)),
        ]
    }

    @Test(arguments: [false, true])
    func inlineGitHubConfigSecretBecomesAnExistingSecret(app: Bool) throws {
        let files = Self.files(app: app)
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        let item = try #require(plan.items.first { $0.action == .arcGitHubConfig }, "\(plan.items)")
        #expect(plan.items.count == 1, "the private key is part of the item, not a manual finding: \(plan.items)")
        #expect(item.externalSecret == "home-runners-github-config" && item.namespace == "arc-runners")
        #expect(
            item.values.map(\.key)
                == (app ? ["github_app_id", "github_app_installation_id", "github_app_private_key"] : ["github_token"]))
        let prepared = try MigrationApplier.prepare(plan, files: files)
        let values = try #require(prepared.files.first { $0.path == "arc/home-runners/values.yaml" })
        #expect(
            String(decoding: values.bytes, as: UTF8.self)
                == "# runners for the home org\ngithubConfigUrl: https://github.com/example-org\n"
                + "githubConfigSecret: home-runners-github-config\nmaxRunners: 5\nminRunners: 1\n")
        let es = try #require(
            prepared.files.first { $0.path.hasSuffix("externalsecret-home-runners-github-config.yaml") })
        try Golden.check(
            String(decoding: es.bytes, as: UTF8.self),
            against: Fixtures.url("migrate/expected/arc-\(app ? "app" : "pat")-externalsecret.yaml"))
        let kustomization = try #require(prepared.files.first { $0.path.hasSuffix("kustomization.yaml") })
        #expect(
            String(decoding: kustomization.bytes, as: UTF8.self).hasSuffix(
                "  - namespace.yaml\n  - externalsecret-home-runners-github-config.yaml\n"))
        let scanner = try EskitScan.Scanner()
        for (path, bytes) in prepared.files {
            #expect(scanner.scan(ScanInput(path: path, bytes: bytes)).findings.isEmpty, "\(path)")
        }
    }
}
