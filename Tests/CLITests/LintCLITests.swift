import Foundation
import TestSupport
import Testing

/// `eskit lint` and `eskit check` as a user runs them: exit codes, formats, --fix / --diff, configuration, and the
/// one-run check a hook or CI step uses.
@Suite struct LintCLITests {
    static let v1beta1 = """
        apiVersion: external-secrets.io/v1beta1  # kept comment
        kind: ExternalSecret
        metadata:
          name: db
          namespace: apps
        spec:
          secretStoreRef: {kind: SecretStore, name: vault}
          data:
            - secretKey: password
              remoteRef: {key: apps/db, property: password}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata:
          name: vault
          namespace: apps
        spec:
          provider:
            vault:
              server: https://vault.example.org
              path: secret
              version: v2
              auth:
                kubernetes: {mountPath: kubernetes, role: apps}

        """

    func folder(_ files: [String: String]) throws -> URL {
        let root = try Fixtures.temporaryFolder("eskit-lint")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test func exitCodesAndFormats() throws {
        let dir = try folder(["es.yaml": Self.v1beta1])
        let text = try eskit(["lint"], in: dir)
        #expect(text.status == 1)
        #expect(text.stdout.contains("es.yaml:1:13: error: ") && text.stdout.contains("[eso-api-version]"))
        #expect(text.stdout.hasSuffix("lint: 1 error, 0 warnings in 2 documents of 1 file\n"))
        let json = try eskit(["lint", "--format", "json", "."], in: dir)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((parsed?["problems"] as? [Any])?.count == 1)
        let report = dir.appendingPathComponent("lint.sarif")
        let sarif = try eskit(["lint", "--format", "sarif", "-o", report.path, "es.yaml"], in: dir)
        #expect(sarif.status == 1 && sarif.stderr.contains("lint: 1 error"))
        #expect(try String(contentsOf: report, encoding: .utf8).contains("\"ruleId\": \"eso-api-version\""))
        #expect(try eskit(["lint", "--rule", "vault-no-auth"], in: dir).status == 0)
        #expect(try eskit(["lint", "--disable", "eso-api-version"], in: dir).status == 0)
        let unknown = try eskit(["lint", "--rule", "eso-api-versoin"], in: dir)
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean `eso-api-version`"))
        let missing = try eskit(["lint", "nope"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("nope: no such file or folder"))
        let list = try eskit(["lint", "--list-rules"])
        #expect(list.status == 0 && list.stdout.contains("eso-api-version") && list.stdout.contains("fix "))
    }

    @Test func fixWritesInPlaceAndDiffWritesNothing() throws {
        let dir = try folder(["apps/es.yaml": Self.v1beta1])
        let file = dir.appendingPathComponent("apps/es.yaml")
        let diff = try eskit(["lint", "--fix", "--diff"], in: dir)
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("-apiVersion: external-secrets.io/v1beta1  # kept comment\n"))
        #expect(diff.stdout.contains("+apiVersion: external-secrets.io/v1  # kept comment\n"))
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.v1beta1, "--diff writes nothing")
        let fix = try eskit(["lint", "--fix"], in: dir)
        #expect(fix.status == 0)
        #expect(fix.stdout == "fixed apps/es.yaml:1:13: eso-api-version\n")
        let fixed = try String(contentsOf: file, encoding: .utf8)
        #expect(fixed == Self.v1beta1.replacingOccurrences(of: "io/v1beta1", with: "io/v1"))
        #expect(try eskit(["lint"], in: dir).status == 0)
        let again = try eskit(["lint", "--fix"], in: dir)
        #expect(again.stdout.isEmpty && again.stderr.contains("0 problems fixed"))
    }

    @Test func configurationDisablesRulesAndNamesItsMistakes() throws {
        let dir = try folder([
            "es.yaml": Self.v1beta1, ".eskit.yaml": "lint:\n  disable: [eso-api-version]\n",
        ])
        #expect(try eskit(["lint"], in: dir).status == 0)
        try Data("lint:\n  disable: [eso-api-versoin]\n".utf8).write(to: dir.appendingPathComponent(".eskit.yaml"))
        let bad = try eskit(["lint"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(".eskit.yaml:2:13: lint.disable: unknown rule `eso-api-versoin`"))
    }

    @Test func inlineAllowAndBrokenYAML() throws {
        let allowed = Self.v1beta1.replacingOccurrences(of: "# kept comment", with: "# eskit:allow eso-api-version")
        let dir = try folder(["es.yaml": allowed, "broken.yaml": "a: [1, 2\n"])
        let result = try eskit(["lint"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("broken.yaml:2:1: error: ") && result.stdout.contains("[yaml-syntax]"))
        #expect(!result.stdout.contains("eso-api-version"))
        #expect(result.stdout.contains("(1 allowed inline)"))
    }

    /// `eskit check`: secrets, lint and generated output in one run and one exit status; with --staged, what the
    /// index holds (not the work tree).
    @Test func checkCombinesScanLintAndGenerate() throws {
        let repo = try acmeRepository()
        try repo.commit("manifests", files: ["es.yaml": Self.v1beta1.replacingOccurrences(of: "v1beta1", with: "v1")])
        let clean = try eskit(["check"], in: repo.root)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("generate: no inventory (eskit.yaml), skipped\ncheck: passed\n"))
        // A lint error staged: --staged blocks it although the work tree is fixed again.
        try repo.write("es.yaml", Self.v1beta1)
        try repo.git(["add", "es.yaml"])
        try repo.write("es.yaml", Self.v1beta1.replacingOccurrences(of: "v1beta1", with: "v1"))
        let staged = try eskit(["check", "--staged"], in: repo.root)
        #expect(staged.status == 1)
        #expect(staged.stdout.contains("[eso-api-version]") && staged.stdout.contains("check: failed"))
        #expect(try eskit(["check"], in: repo.root).status == 0, "the work tree is fixed")
        try repo.git(["add", "es.yaml"])
        // A secret.
        try repo.write("app.env", "TOKEN=\(TestSecrets.acmeC)\n")
        try repo.git(["add", "app.env"])
        let secret = try eskit(["check", "--staged", "--format", "json"], in: repo.root)
        #expect(secret.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(secret.stdout.utf8)) as? [String: Any]
        #expect(json?["passed"] as? Bool == false)
        #expect(((json?["scan"] as? [String: Any])?["findings"] as? [Any])?.count == 1)
    }

    @Test func checkReportsStaleGeneratedOutput() throws {
        let repo = try acmeRepository()
        #expect(try eskit(["init"] + CIInitCLITests.pin, in: repo.root).status == 0)
        let stale = try eskit(["check"], in: repo.root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("generate: output not current"))
        #expect(try eskit(["generate", "--quiet"], in: repo.root).status == 0)
        try repo.git(["add", "-A"])
        let current = try eskit(["check"], in: repo.root)
        #expect(current.status == 0, "\(current.stdout)")
        #expect(current.stdout.contains("generate: output current"))
    }
}
