import Foundation
import TestSupport
import Testing

/// `.pre-commit-hooks.yaml`: every hook's `entry` is a working eskit command, and (when the `pre-commit` tool is
/// installed) the framework runs it and blocks a commit that adds a secret.
@Suite struct PreCommitFrameworkCLITests {
    struct Hook { var id: String; var entry: [String]; var passFilenames = false; var types = "" }

    /// The `id` and `entry` of each hook (the file is a flat list of mappings with plain scalars).
    static func hooks() throws -> [Hook] {
        let text = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"),
            encoding: .utf8)
        var hooks: [Hook] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("- id: ") { hooks.append(Hook(id: String(line.dropFirst(6)), entry: [])) }
            if line.hasPrefix("  entry: "), !hooks.isEmpty {
                hooks[hooks.count - 1].entry = line.dropFirst(9).split(separator: " ").map(String.init)
            }
            if line == "  pass_filenames: true", !hooks.isEmpty { hooks[hooks.count - 1].passFilenames = true }
            if line.hasPrefix("  types: "), !hooks.isEmpty { hooks[hooks.count - 1].types = String(line.dropFirst(9)) }
        }
        return hooks
    }

    static let preCommit: String? = OptionalTools.executable("pre-commit")

    @Test func everyHookEntryIsAWorkingEskitCommand() throws {
        let hooks = try Self.hooks()
        #expect(hooks.map(\.id) == ["eskit", "eskit-staged", "eskit-check"])
        for files in [hooks[0], hooks[2]] {
            #expect(files.passFilenames && files.types == "[text]", "\(files.id) takes pre-commit's file list")
        }
        let repo = try acmeRepository()
        try repo.commit("old leak", files: ["old.yaml": "token: \(TestSecrets.acmeA)\n", "ok.yaml": "a: 1\n"])
        for hook in hooks {
            #expect(hook.entry.first == "eskit", "\(hook.id) runs eskit")
            let files = hook.passFilenames ? ["old.yaml", "ok.yaml"] : []
            let result = try eskit(Array(hook.entry.dropFirst()) + files, in: repo.root)
            #expect(result.status == (hook.id == "eskit-staged" ? 0 : 1), "\(hook.id): \(result.stderr)")
        }
        try repo.write("new.yaml", "token: \(TestSecrets.acmeB)\n")
        try repo.git(["add", "new.yaml"])
        let staged = try #require(hooks.first { $0.id == "eskit-staged" })
        let blocked = try eskit(Array(staged.entry.dropFirst()), in: repo.root)
        #expect(blocked.status == 1)
        #expect(blocked.stdout.contains("new.yaml") && !blocked.stdout.contains("old.yaml"))
    }

    /// A local hook with the published hook's settings (pre-commit cannot clone this repository offline).
    static func localConfig(_ hook: Hook, exclude: String? = nil) -> String {
        var lines = [
            "repos:", "  - repo: local", "    hooks:", "      - id: \(hook.id)", "        name: \(hook.id)",
            "        entry: " + ([Fixtures.eskitBinary.path] + hook.entry.dropFirst()).joined(separator: " "),
            "        language: system", "        pass_filenames: \(hook.passFilenames)",
        ]
        if !hook.types.isEmpty { lines.append("        types: \(hook.types)") }
        if let exclude { lines.append("        exclude: \(exclude)") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(
        .enabled(if: preCommit != nil, "the pre-commit tool is not installed (pip install pre-commit)"),
        arguments: ["eskit", "eskit-staged"])
    func theFrameworkBlocksASecretWithEachHook(_ id: String) throws {
        let tool = try #require(Self.preCommit)
        let hook = try #require(try Self.hooks().first { $0.id == id })
        let repo = try acmeRepository()
        let config = Self.localConfig(hook)
        try repo.commit("pre-commit config", files: [".pre-commit-config.yaml": config])
        try Self.expectFrameworkBlocksSecretsOnly(tool: tool, repo: repo)
    }

    /// `pre-commit run --all-files` finds a secret committed long ago, and `exclude` keeps a folder out.
    @Test(.enabled(if: preCommit != nil, "the pre-commit tool is not installed (pip install pre-commit)"))
    func allFilesFindsCommittedSecretsAndExcludeIsHonoured() throws {
        let tool = try #require(Self.preCommit)
        let hook = try #require(try Self.hooks().first { $0.id == "eskit" })
        let repo = try acmeRepository()
        try repo.commit(
            "old",
            files: [
                "apps/old.yaml": "token: \(TestSecrets.acmeA)\n",
                "vendor/chart.yaml": "token: \(TestSecrets.acmeB)\n",
                ".pre-commit-config.yaml": Self.localConfig(hook, exclude: "^vendor/"),
            ])
        let home = try Fixtures.temporaryFolder("eskit-pre-commit-home")
        let env = [
            "PRE_COMMIT_HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        ]
        let all = try run(tool, ["run", "--all-files"], in: repo.root, environment: env)
        let output = all.stdout + all.stderr
        #expect(all.status == 1, "\(output)")
        #expect(output.contains("apps/old.yaml"))
        #expect(!output.contains("vendor/chart.yaml"), "exclude is honoured")
        #expect(!output.contains(TestSecrets.acmeA))
    }
    /// Installs the pre-commit framework's hook in `repo` (eskit's folder first on PATH), then checks that a commit
    /// adding a secret is blocked without printing it and that a clean commit goes through.
    static func expectFrameworkBlocksSecretsOnly(tool: String, repo: GitRepoBuilder) throws {
        let home = try Fixtures.temporaryFolder("eskit-pre-commit-home")
        let path =
            Fixtures.eskitBinary.deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let env = [
            "PRE_COMMIT_HOME": home.path, "PATH": path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        ]
        #expect(try run(tool, ["install"], in: repo.root, environment: env).status == 0)
        try repo.write("leak.yaml", "token: \(TestSecrets.acmeC)\n")
        try repo.git(["add", "leak.yaml"])
        let blocked = try run("/usr/bin/git", ["commit", "-q", "-m", "leak"], in: repo.root, environment: env)
        #expect(blocked.status == 1)
        #expect((blocked.stdout + blocked.stderr).contains("leak.yaml"))
        #expect(!(blocked.stdout + blocked.stderr).contains(TestSecrets.acmeC))
        try repo.git(["rm", "-q", "--cached", "leak.yaml"])
        try repo.write("fine.yaml", "replicas: 2\n")
        try repo.git(["add", "fine.yaml"])
        let clean = try run("/usr/bin/git", ["commit", "-q", "-m", "fine"], in: repo.root, environment: env)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    }
}
