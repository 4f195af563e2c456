import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Staged view")
struct StagedChangesTests {
    /// `git diff --cached --name-status` without deletions, as "X path" or "R old path" lines.
    func gitNameStatus(_ builder: GitRepoBuilder) throws -> [String] {
        try builder.git(["diff", "--cached", "--name-status"]).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard let code = fields.first?.first, code != "D" else { return nil }
            return ([String(code)] + fields.dropFirst()).joined(separator: " ")
        }
    }

    /// The `+` line numbers per file from `git diff --cached -U0`.
    func gitAddedLines(_ builder: GitRepoBuilder) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        var file: String?
        for line in try builder.git(["diff", "--cached", "-U0", "--no-color"]).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("+++ ") {
                file = line.hasPrefix("+++ b/") ? String(line.dropFirst(6)) : nil
                if let file { out[file] = [] }
            } else if line.hasPrefix("@@ "), let file {
                let plus = line.split(separator: " ")[2].dropFirst()
                let parts = plus.split(separator: ",").map { Int($0)! }
                let count = parts.count > 1 ? parts[1] : 1
                out[file, default: []] += Array(parts[0]..<parts[0] + count)
            }
        }
        return out
    }

    func ours(_ changes: [StagedChange]) -> [String] {
        changes.map { change in
            let code =
                switch change.status {
                case .added: "A"
                case .modified: "M"
                case .renamed: "R"
                case .copied: "C"
                case .typeChanged: "T"
                }
            return ([code] + (change.oldPath.map { [$0] } ?? []) + [change.path]).joined(separator: " ")
        }
    }

    @Test("adds, edits, renames, deletions and binary files match git diff --cached")
    func matchesGit() throws {
        let b = try GitRepoBuilder()
        let long =
            (1...20).map { "line \($0) of a file that is long enough to be found as a rename" }.joined(separator: "\n")
            + "\n"
        try b.write("bin.dat", bytes: [0, 1, 2, 3, 0, 255])
        try b.commit(
            "base",
            files: [
                "a.yaml": "one\ntwo\nthree\nfour\n", "old.txt": long, "gone.txt": "bye\n",
                "moved.txt": long + "extra\n",
            ])
        try b.write("a.yaml", "one\nTWO\nthree\nfour\nfive\n")
        try b.write("new.yaml", "apiVersion: v1\nkind: Secret\n")
        try b.write("bin.dat", bytes: [0, 9, 9, 9, 0, 255, 7])
        try b.git(["add", "a.yaml", "new.yaml", "bin.dat"])
        try b.move("old.txt", to: "dir/renamed.txt")
        try b.move("moved.txt", to: "edited.txt")
        try b.write("edited.txt", long + "extra\nadded at the end\n")
        try b.git(["add", "edited.txt"])
        try b.git(["rm", "-q", "gone.txt"])

        let changes = try GitRepository(path: b.root.path).stagedChanges()
        #expect(ours(changes).sorted() == (try gitNameStatus(b)).sorted())
        let added = try gitAddedLines(b)
        for change in changes where !change.isBinary {
            #expect(change.addedLines == (added[change.path] ?? []), "\(change.path)")
        }
        let a = try #require(changes.first { $0.path == "a.yaml" })
        #expect(a.status == .modified)
        #expect(a.addedLines == [2, 5])
        #expect(String(decoding: a.content, as: UTF8.self) == "one\nTWO\nthree\nfour\nfive\n")
        #expect(a.blobID.hex == (try b.blobID("one\nTWO\nthree\nfour\nfive\n")))
        let renamed = try #require(changes.first { $0.path == "dir/renamed.txt" })
        #expect(renamed.status == .renamed)
        #expect(renamed.oldPath == "old.txt")
        #expect(renamed.addedLines.isEmpty)
        #expect(changes.first { $0.path == "edited.txt" }?.addedLines == [22])
        let binary = try #require(changes.first { $0.path == "bin.dat" })
        #expect(binary.isBinary)
        #expect(binary.addedLines.isEmpty)
        #expect(binary.content == [0, 9, 9, 9, 0, 255, 7])
        #expect(!changes.contains { $0.path == "gone.txt" })
    }

    @Test("on an unborn HEAD every staged file is added whole")
    func unbornHead() throws {
        let b = try GitRepoBuilder()
        try b.write("a.txt", "x\ny\n")
        try b.write("sub/b.txt", "z\n")
        try b.git(["add", "-A"])
        let changes = try GitRepository(path: b.root.path).stagedChanges()
        #expect(ours(changes) == (try gitNameStatus(b)))
        #expect(changes.map(\.addedLines) == [[1, 2], [1]])
        #expect(changes.allSatisfy { $0.status == .added })
    }

    @Test("a file turned into a symlink is a type change")
    func typeChange() throws {
        let b = try GitRepoBuilder()
        try b.commit("base", files: ["link": "plain\n"])
        try b.remove("link")
        try FileManager.default.createSymbolicLink(
            atPath: b.root.appendingPathComponent("link").path,
            withDestinationPath: "target.txt")
        try b.git(["add", "link"])
        let changes = try GitRepository(path: b.root.path).stagedChanges()
        #expect(ours(changes) == (try gitNameStatus(b)))
        #expect(changes.first?.content == Array("target.txt".utf8))
    }

    @Test("nothing staged gives nothing")
    func clean() throws {
        let b = try GitRepoBuilder()
        try b.commit("base", files: ["a.txt": "a\n"])
        #expect(try GitRepository(path: b.root.path).stagedChanges().isEmpty)
    }
}

@Suite("Work-tree listing")
struct WorkTreeTests {
    @Test("tracked files under a prefix and untracked files that .gitignore keeps")
    func listing() throws {
        let b = try GitRepoBuilder()
        try b.commit(
            "base",
            files: [
                ".gitignore": "*.log\nbuild/\n", "apps/a.yaml": "a\n", "apps/sub/b.yaml": "b\n", "apps2/c.yaml": "c\n",
                "top.txt": "t\n",
            ])
        try b.write("apps/new.yaml", "n\n")
        try b.write("apps/debug.log", "l\n")
        try b.write("build/out.yaml", "o\n")
        try b.write("fresh/deep/x.txt", "x\n")
        let repository = try GitRepository(discoveringFrom: b.root.appendingPathComponent("apps").path)
        #expect(
            try repository.trackedFiles() == [
                ".gitignore", "apps/a.yaml", "apps/sub/b.yaml", "apps2/c.yaml", "top.txt",
            ])
        #expect(try repository.trackedFiles(under: "apps") == ["apps/a.yaml", "apps/sub/b.yaml"])
        #expect(try repository.trackedFiles(under: "./apps/") == ["apps/a.yaml", "apps/sub/b.yaml"])
        #expect(try repository.trackedFiles(under: "top.txt") == ["top.txt"])
        #expect(try repository.untrackedFiles() == ["apps/new.yaml", "fresh/deep/x.txt"])
        #expect(try repository.untrackedFiles(under: "apps") == ["apps/new.yaml"])
        let oracle = try b.git(["ls-files", "--others", "--exclude-standard"]).split(separator: "\n").map(String.init)
        #expect(try repository.untrackedFiles() == oracle.sorted())
        #expect(repository.workTreeRelativePath(b.root.appendingPathComponent("apps/sub").path) == "apps/sub")
        #expect(repository.workTreeRelativePath(b.root.path) == "")
        #expect(repository.workTreeRelativePath("/") == nil)
    }
}
