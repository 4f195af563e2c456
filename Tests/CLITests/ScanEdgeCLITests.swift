import Foundation
import TestSupport
import Testing

/// What a first user ran into: the same secret twice in one file under --history, --staged on a bare mirror, and
/// file names that are not UTF-8.
@Suite struct ScanEdgeCLITests {
    @Test func theSameSecretTwiceInOneFileIsTwoFindingsInHistoryToo() throws {
        let repo = try acmeRepository()
        try repo.commit("job", files: ["job.yaml": "a: \(TestSecrets.acmeA)\nb: \(TestSecrets.acmeA)\n"])
        let tree = try jsonFindings(try eskit(["scan", "--format", "json"], in: repo.root).stdout)
        let history = try jsonFindings(try eskit(["scan", "--history", "--format", "json"], in: repo.root).stdout)
        #expect(tree.map { $0["startLine"] as? Int } == [1, 2])
        #expect(history.map { $0["startLine"] as? Int } == [1, 2], "history reports what the work tree reports")
        for finding in history {
            #expect((finding["occurrences"] as? [Any])?.isEmpty == true, "no finding lists its own place as 'also in'")
        }
    }

    /// A CI checkout one commit deep cannot resolve `HEAD~3`: the error says to fetch, not a raw libgit2 message
    /// alone; a remote branch that was never fetched says which fetch.
    @Test func rangesThatDoNotResolveSayWhatToFetch() throws {
        let repo = try acmeRepository()
        for i in 1...4 { try repo.commit("c\(i)", files: ["f\(i).txt": "\(i)\n"]) }
        let clone = try Fixtures.temporaryFolder("eskit-shallow")
        defer { try? FileManager.default.removeItem(at: clone) }
        _ = try run(
            "/usr/bin/env",
            [
                "git", "clone", "-q", "--depth", "1", "file://\(repo.root.path)",
                clone.appendingPathComponent("c").path,
            ])
        let shallow = try eskit(["scan", "--range", "HEAD~3..HEAD"], in: clone.appendingPathComponent("c"))
        #expect(shallow.status == 2)
        #expect(shallow.stderr.contains("needs commits this shallow clone does not have"), "\(shallow.stderr)")
        #expect(shallow.stderr.contains("git fetch --unshallow"))
        let branch = try eskit(["scan", "--range", "origin/nope..HEAD"], in: repo.root)
        #expect(branch.status == 2)
        #expect(branch.stderr.contains("git fetch origin nope"), "\(branch.stderr)")
    }

    @Test func stagedOnABareRepositoryIsAnError() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["runner.env": "GITHUB_TOKEN=\(TestSecrets.github)\n"])
        let mirror = try Fixtures.temporaryFolder("eskit-bare").appendingPathComponent("mirror.git")
        try repo.git(["clone", "-q", "--bare", repo.root.path, mirror.path])
        let result = try eskit(["scan", "--staged", mirror.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is a bare repository: it has no staged change"))
        #expect(try eskit(["scan", "--history", mirror.path]).status == 1, "a mirror is scanned with --history")
    }

    @Test func namesThatAreNotUTF8AreNeverSkippedSilently() throws {
        let name = String(decoding: Array("caf".utf8) + [0xE9] + Array(".yaml".utf8), as: UTF8.self)
        let rawName = Array("caf".utf8) + [0xE9] + Array(".yaml".utf8)
        let content = Array("token: \(TestSecrets.acmeA)\n".utf8)
        func writeRaw(in folder: URL) throws {
            let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + rawName + [0]
            let fd = path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            }
            try #require(fd >= 0)
            _ = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let repo = try acmeRepository()
        try writeRaw(in: repo.root)
        try repo.git(["add", "-A"])
        let staged = try eskit(["scan", "--staged"], in: repo.root)
        #expect(staged.status == 1, "the staged view reads the blob from git")
        let tree = try eskit(["scan", "--format", "json"], in: repo.root)
        #expect(tree.status == 1, "a tracked file is opened by the exact bytes of its name")
        #expect(!tree.stderr.contains("not scanned"), "\(tree.stderr)")
        #expect(try jsonFindings(tree.stdout).map { $0["file"] as? String } == [#"caf\xE9.yaml"#])
        #expect(!tree.stdout.contains(TestSecrets.acmeA) && !tree.stderr.contains(TestSecrets.acmeA))
        let text = try eskit(["scan", "--untracked"], in: repo.root)
        #expect(text.status == 1)
        #expect(text.stdout.contains(#"caf\xE9.yaml"#))

        let folder = try Fixtures.temporaryFolder("eskit-plain")
        try Data(TestSecrets.config.utf8).write(to: folder.appendingPathComponent(".eskit.yaml"))
        try writeRaw(in: folder)
        let plain = try eskit(["scan", folder.path])
        #expect(plain.stderr.contains("1 path not scanned: the name is not UTF-8 (e.g. \(name))"))
    }

    @Test func theGitFolderIsNotAWorkTreeToScan() throws {
        let repo = try acmeRepository()
        let result = try eskit(["scan", repo.root.appendingPathComponent(".git").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is inside the git folder"))
        #expect(result.stderr.contains("--history"))
    }
}
