import Foundation
import TestSupport
import Testing

/// What `eskit init` writes for hooks and CI runs the secret scan and the generate check, as working eskit commands.
@Suite struct InitTemplatesCLITests {
    /// A repository (with the ACME rule) after `eskit init`, its starter files committed.
    private func initialized() throws -> GitRepoBuilder {
        let repo = try acmeRepository()
        let result = try eskit(["init"] + CIInitCLITests.pin, in: repo.root)
        try #require(result.status == 0, "\(result.stderr)")
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "eskit init"])
        return repo
    }

    private func text(_ path: String, in repo: GitRepoBuilder) throws -> String {
        try String(contentsOf: repo.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The words after `eskit` on every line of `text` that runs eskit (a YAML `entry:` or a workflow `run:`).
    private func eskitCommands(_ text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let at = words.firstIndex(where: { $0 == "eskit" || $0.hasSuffix("/release/eskit") }),
                at > 0, ["entry:", "run:"].contains(words[at - 1])
            else { return nil }
            return Array(words[(at + 1)...])
        }
    }

    @Test func thePreCommitConfigScansTheFilesItIsGivenAndChecksGeneratedOutput() throws {
        let repo = try initialized()
        let config = try text(".pre-commit-config.yaml", in: repo)
        #expect(config.contains("  - repo: local\n"))
        #expect(config.contains("        pass_filenames: true\n        types: [text]\n"))
        let commands = eskitCommands(config)
        #expect(commands.map { Array($0.prefix(2)) } == [["scan", "--no-progress"], ["generate", "--check"]])
        #expect(config.components(separatedBy: "        language: system\n").count - 1 == commands.count)
        let scan = try #require(commands.first)
        #expect(try eskit(scan + ["eskit.yaml"], in: repo.root).status == 0, "the starter inventory is clean")
        try repo.write("leak.yaml", "token: \(TestSecrets.acmeB)\n")
        try repo.git(["add", "leak.yaml"])
        let blocked = try eskit(scan + ["leak.yaml"], in: repo.root)
        #expect(blocked.status == 1)
        #expect(blocked.stdout.contains("leak.yaml"))
        #expect(try eskit(commands[1], in: repo.root).status == 1, "init wrote no generated output yet")
        #expect(try eskit(["generate", "--quiet"], in: repo.root).status == 0)
        #expect(try eskit(commands[1], in: repo.root).status == 0)
    }

    @Test(
        .enabled(
            if: PreCommitFrameworkCLITests.preCommit != nil,
            "the pre-commit tool is not installed (pip install pre-commit)"))
    func thePreCommitFrameworkRunsTheStarterConfigUnchanged() throws {
        let tool = try #require(PreCommitFrameworkCLITests.preCommit)
        let repo = try initialized()
        #expect(try eskit(["generate", "--quiet"], in: repo.root).status == 0)
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "generated"])
        try PreCommitFrameworkCLITests.expectFrameworkBlocksSecretsOnly(tool: tool, repo: repo)
    }

    @Test func theWorkflowUploadsTheScanAsSARIFAndChecksGeneratedOutput() throws {
        let repo = try initialized()
        let workflow = try text(".github/workflows/eskit.yaml", in: repo)
        let commands = eskitCommands(workflow)
        #expect(
            commands == [
                ["scan", "--range", "\"$BASE_SHA..$HEAD_SHA\"", "--format", "sarif", "--output", "eskit.sarif"],
                ["scan", "--history", "--format", "sarif", "--output", "eskit.sarif"],
                ["scan", "--format", "sarif", "--output", "eskit.sarif"],
                ["lint", "--format", "sarif", "--output", "eskit-lint.sarif"], ["generate", "--check"],
                ["validate", "--format", "sarif", "--output", "eskit-validate.sarif"],
            ])
        #expect(workflow.contains("vars.ESKIT_VALIDATE == 'true'"), "validate runs only once credentials are set up")
        #expect(
            workflow.contains("uses: github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4"))
        #expect(workflow.contains("sarif_file: eskit.sarif\n"))
        #expect(workflow.contains("security-events: write\n"))
        let url = try #require(
            workflow.range(of: #"ESKIT_DOWNLOAD: https://github\.com/[A-Za-z0-9._/-]+"#, options: .regularExpression))
        let download = String(workflow[url].dropFirst("ESKIT_DOWNLOAD: ".count))
        #expect(download == "https://github.com/eskit-project/eskit/releases/download")
        let projectURL = String(download.dropLast("/releases/download".count))

        let scan = commands[2]
        let sarif = repo.root.appendingPathComponent("eskit.sarif")
        #expect(try eskit(scan, in: repo.root, reports: [sarif]).status == 0)
        try repo.commit("leak", files: ["leak.yaml": "token: \(TestSecrets.acmeD)\n"])
        #expect(try eskit(scan, in: repo.root, reports: [sarif]).status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sarif)) as? [String: Any])
        let driver =
            ((report["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect(driver?["informationUri"] as? String == projectURL, "SARIF names the project the workflow installs")
        #expect(try eskit(commands[4], in: repo.root).status == 1)
        #expect(try eskit(["generate", "--quiet"], in: repo.root).status == 0)
        #expect(try eskit(commands[4], in: repo.root).status == 0)
        // The generated manifests lint clean, in SARIF for code scanning.
        let lintReport = repo.root.appendingPathComponent("eskit-lint.sarif")
        #expect(try eskit(commands[3], in: repo.root, reports: [lintReport]).status == 0)
        #expect(try String(contentsOf: lintReport, encoding: .utf8).contains("\"name\": \"eskit lint\""))

        // Without provider credentials, validate is a configuration error (2) with a SARIF report, not a crash.
        let validateReport = repo.root.appendingPathComponent("eskit-validate.sarif")
        let validate = try eskit(
            commands[5], in: repo.root, environment: ["VAULT_TOKEN": ""], reports: [validateReport])
        #expect(validate.status == 2, "\(validate.stderr)")
        #expect(FileManager.default.fileExists(atPath: validateReport.path))
    }

    @Test func theInventorySchemaIDNamesTheSameProject() throws {
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(try eskit(["schema"]).stdout.utf8)) as? [String: Any])
        #expect((schema["$id"] as? String)?.hasPrefix("https://github.com/eskit-project/eskit/") == true)
    }
}
