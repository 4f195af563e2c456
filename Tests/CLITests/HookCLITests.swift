import Foundation
import TestSupport
import Testing

@Suite struct HookCLITests {
    let identity = [
        "GIT_AUTHOR_NAME": "Hook Tester", "GIT_AUTHOR_EMAIL": "hook@example.invalid",
        "GIT_COMMITTER_NAME": "Hook Tester", "GIT_COMMITTER_EMAIL": "hook@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
    ]

    private func git(_ arguments: [String], in folder: URL, _ extra: [String: String] = [:]) throws -> ProcessResult {
        try run("/usr/bin/git", arguments, in: folder, environment: identity.merging(extra) { $1 })
    }

    private var binFolder: String { Fixtures.eskitBinary.deletingLastPathComponent().path }

    @Test func installedHookBlocksSecretsAndPassesCleanCommits() throws {
        let repo = try acmeRepository()
        let install = try eskit(["install-hook"], in: repo.root)
        #expect(install.status == 0, "\(install.stderr)")
        let hook = repo.root.appendingPathComponent(".git/hooks/pre-commit")
        #expect(
            try String(contentsOf: hook, encoding: .utf8)
                == String(contentsOf: Fixtures.packageRoot.appendingPathComponent("hooks/pre-commit"), encoding: .utf8))
        #expect(FileManager.default.isExecutableFile(atPath: hook.path))

        let path = ["PATH": "\(binFolder):/usr/bin:/bin"]
        try repo.write("leak.yaml", "token: \(TestSecrets.acmeA)\n")
        _ = try git(["add", "leak.yaml"], in: repo.root)
        let blocked = try git(["commit", "-q", "-m", "leak"], in: repo.root, path)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("commit blocked"))
        #expect(!blocked.stdout.contains(TestSecrets.acmeA) && !blocked.stderr.contains(TestSecrets.acmeA))
        #expect(
            try git(["rev-list", "--count", "HEAD"], in: repo.root).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines) == "1")

        _ = try git(["rm", "-q", "--cached", "leak.yaml"], in: repo.root)
        try repo.write("fine.yaml", "replicas: 2\n")
        _ = try git(["add", "fine.yaml"], in: repo.root)
        let clean = try git(
            ["commit", "-q", "-m", "fine"], in: repo.root,
            ["PATH": "/usr/bin:/bin", "ESKIT": Fixtures.eskitBinary.path])
        #expect(clean.status == 0, "\(clean.stderr)")
    }

    @Test func commitAllAndPartialCommitsAreScannedToo() throws {
        let repo = try acmeRepository()
        try repo.commit("base", files: ["app.yaml": "replicas: 1\n"])
        #expect(try eskit(["install-hook"], in: repo.root).status == 0)
        let path = ["PATH": "\(binFolder):/usr/bin:/bin"]
        try repo.write("app.yaml", "replicas: 1\ntoken: \(TestSecrets.acmeB)\n")

        let all = try git(["commit", "-a", "-q", "-m", "commit -a"], in: repo.root, path)
        #expect(all.status == 1, "git commit -a is blocked: \(all.stderr)")
        #expect(all.stderr.contains("app.yaml\n"), "git shows hook output on stderr")
        let partial = try git(["commit", "-q", "-m", "partial", "app.yaml"], in: repo.root, path)
        #expect(partial.status == 1, "git commit <path> is blocked: \(partial.stderr)")
        #expect(
            try git(["rev-list", "--count", "HEAD"], in: repo.root).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines) == "2")

        let bypass = try git(["commit", "-a", "-q", "--no-verify", "-m", "bypass"], in: repo.root, path)
        #expect(bypass.status == 0, "--no-verify skips the hook, as documented")
    }

    @Test func missingEskitGivesAClearMessage() throws {
        let repo = try acmeRepository()
        #expect(try eskit(["install-hook"], in: repo.root).status == 0)
        try repo.write("x.yaml", "a: 1\n")
        _ = try git(["add", "x.yaml"], in: repo.root)
        let result = try git(
            ["commit", "-q", "-m", "x"], in: repo.root, ["PATH": "/usr/bin:/bin", "ESKIT": "eskit-not-installed"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("'eskit-not-installed' was not found on PATH"))
        #expect(result.stderr.contains("ESKIT="))
    }

    @Test func foreignHooksNeedForceAndHooksPathIsHonoured() throws {
        let repo = try acmeRepository()
        let hooks = repo.root.appendingPathComponent(".git/hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hooks.appendingPathComponent("pre-commit"))
        let refused = try eskit(["install-hook"], in: repo.root)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        #expect(try eskit(["install-hook", "--force"], in: repo.root).status == 0)
        #expect(
            try String(contentsOf: hooks.appendingPathComponent("pre-commit.eskit-backup"), encoding: .utf8).contains(
                "echo mine"))
        #expect(try eskit(["install-hook"], in: repo.root).status == 0, "reinstalling over its own hook is fine")

        // Another foreign hook later, forced again: the first backup (the user's original) survives.
        try Data("#!/bin/sh\necho second\n".utf8).write(to: hooks.appendingPathComponent("pre-commit"))
        let again = try eskit(["install-hook", "--force"], in: repo.root)
        #expect(again.status == 0)
        #expect(again.stderr.contains("pre-commit.eskit-backup.1"))
        #expect(
            try String(contentsOf: hooks.appendingPathComponent("pre-commit.eskit-backup"), encoding: .utf8)
                .contains("echo mine"))
        #expect(
            try String(contentsOf: hooks.appendingPathComponent("pre-commit.eskit-backup.1"), encoding: .utf8)
                .contains("echo second"))

        try repo.git(["config", "core.hooksPath", "custom-hooks"])
        #expect(try eskit(["install-hook"], in: repo.root).status == 0)
        #expect(
            FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("custom-hooks/pre-commit").path))
    }

    @Test func linkedWorktreeInstallsIntoTheSharedHooks() throws {
        let repo = try acmeRepository()
        let linked = try Fixtures.temporaryFolder("eskit-linked").appendingPathComponent("wt")
        try repo.git(["worktree", "add", "-q", "-b", "side", linked.path])
        #expect(try eskit(["install-hook"], in: linked).status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".git/hooks/pre-commit").path))
    }

    @Test func aSymlinkedTeamHookIsSetAsideNotOverwritten() throws {
        let repo = try acmeRepository()
        let script = "#!/bin/sh\necho team hook\n"
        try repo.commit("team hook", files: ["tools/hook.sh": script])
        let hooks = repo.root.appendingPathComponent(".git/hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        #expect(symlink("../../tools/hook.sh", hooks.appendingPathComponent("pre-commit").path) == 0)
        #expect(try eskit(["install-hook"], in: repo.root).status == 2)
        #expect(try eskit(["install-hook", "--force"], in: repo.root).status == 0)
        #expect(
            try String(contentsOf: repo.root.appendingPathComponent("tools/hook.sh"), encoding: .utf8) == script,
            "the tracked script behind the link is untouched")
        let backup = hooks.appendingPathComponent("pre-commit.eskit-backup").path
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: backup) == "../../tools/hook.sh")
        #expect(
            try String(contentsOf: hooks.appendingPathComponent("pre-commit"), encoding: .utf8)
                .contains("eskit-pre-commit-hook"))
    }

    @Test func bareRepositoriesAndMissingFoldersAreClearErrors() throws {
        let bare = try GitRepoBuilder(bare: true)
        let refused = try eskit(["install-hook", bare.root.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a bare repository"))
        #expect(!FileManager.default.fileExists(atPath: bare.root.appendingPathComponent("hooks/pre-commit").path))
        let missing = try eskit(["install-hook", "/nonexistent-eskit-folder"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "eskit: /nonexistent-eskit-folder: no such folder\n")
    }

    @Test func installSaysHowToSkipAndAFailingScanStopsTheCommitWithAReason() throws {
        let repo = try acmeRepository()
        let install = try eskit(["install-hook"], in: repo.root)
        #expect(install.stdout.contains("git commit --no-verify"))
        try repo.write(".eskit.yaml", "rules: [\n")
        try repo.write("x.yaml", "a: 1\n")
        _ = try git(["add", "x.yaml", ".eskit.yaml"], in: repo.root)
        let result = try git(["commit", "-q", "-m", "x"], in: repo.root, ["PATH": "\(binFolder):/usr/bin:/bin"])
        #expect(result.status != 0, "git reports any failing hook as 1")
        #expect(result.stderr.contains(".eskit.yaml:2:1: error"), "eskit's error names the broken file")
        #expect(result.stderr.contains("the pre-commit check failed (exit 2"))
    }
}
