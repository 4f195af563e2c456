import Foundation
import TestSupport
import Testing

/// "No secrets found" only when everything was read: refs that point at blobs and trees are scanned, and a ref
/// whose target cannot be read makes the run incomplete (exit 2, named in every report) instead of clean.
@Suite struct HistoryCompletenessCLITests {
    @Test func refsToBlobsAndTreesAreScanned() throws {
        let repo = try acmeRepository()
        try repo.commit("clean", files: ["a.txt": "nothing\n"])
        try repo.write("loose.txt", "token: \(TestSecrets.acmeA)\n")
        let blob = try repo.git(["hash-object", "-w", "loose.txt"])
        try repo.remove("loose.txt")
        try repo.git(["tag", "loose-blob", blob])
        try repo.write("tmp/t.env", "TOKEN=\(TestSecrets.acmeB)\n")
        try repo.git(["add", "tmp/t.env"])
        let tree = try repo.git(["write-tree"])
        try repo.git(["rm", "-q", "--cached", "tmp/t.env"])
        try repo.git(["update-ref", "refs/keep/tree", tree])
        let result = try eskit(["scan", "--history", "--format", "json"], in: repo.root)
        #expect(result.status == 1, "\(result.stderr)")
        let files = try jsonFindings(result.stdout).compactMap { $0["file"] as? String }.sorted()
        #expect(files == ["refs/keep/tree:tmp/t.env", "refs/tags/loose-blob"])
    }

    /// A token pasted into a commit message or an author field is found, reported with its commit, and the
    /// report's commit subject and author never repeat it (the `eskit` helper fails on any raw test secret).
    @Test func commitMessagesAndPeopleAreScannedAndRedacted() throws {
        let repo = try acmeRepository()
        try repo.commit("clean", files: ["a.txt": "nothing\n"])
        try repo.git(["commit", "-q", "--allow-empty", "-m", "rotate token \(TestSecrets.acmeC)\n\nbody line"])
        try repo.git([
            "commit", "-q", "--allow-empty", "-m", "ci", "--author", "\(TestSecrets.acmeD) <ci@example.invalid>",
        ])
        for format in ["text", "json", "sarif", "junit"] {
            let result = try eskit(["scan", "--history", "--no-progress", "--format", format], in: repo.root)
            #expect(result.status == 1, "\(format): \(result.stderr)")
        }
        let json = try eskit(["scan", "--history", "--format", "json"], in: repo.root)
        let findings = try jsonFindings(json.stdout)
        let places = findings.compactMap { f in (f["file"] as? String).map { ($0, f["commit"] as? String ?? "") } }
        #expect(places.map(\.0).sorted() == ["(commit author)", "(commit message)"])
        #expect(places.allSatisfy { $0.1.count == 40 }, "each names its commit")
    }

    /// A UTF-16 file (as PowerShell writes it) is decoded and scanned in every mode, not skipped as binary.
    @Test func utf16FilesAreScannedInEveryMode() throws {
        let repo = try acmeRepository()
        let bytes: [UInt8] =
            [0xFF, 0xFE] + Array("$token = \"\(TestSecrets.acmeA)\"\r\n".data(using: .utf16LittleEndian)!)
        try Data(bytes).write(to: repo.root.appendingPathComponent("setup.ps1"))
        try repo.git(["add", "setup.ps1"])
        #expect(try eskit(["scan", "--staged", "--format", "json"], in: repo.root).status == 1)
        try repo.git(["commit", "-q", "-m", "script"])
        for mode in [["scan", "--format", "json"], ["scan", "--history", "--format", "json"]] {
            let result = try eskit(mode, in: repo.root)
            #expect(result.status == 1, "\(mode)")
            #expect(try jsonFindings(result.stdout).compactMap { $0["file"] as? String } == ["setup.ps1"], "\(mode)")
        }
    }

    @Test func anUnreadableRefIsAnIncompleteScanNotACleanOne() throws {
        let repo = try acmeRepository()
        try repo.commit("clean", files: ["a.txt": "nothing\n"])
        // A ref to a commit that is not in the repository (as after a truncated fetch or a damaged pack).
        let missing = String(repeating: "ab", count: 20)
        try Data("\(missing)\n".utf8).write(to: repo.root.appendingPathComponent(".git/refs/heads/broken"))
        let text = try eskit(["scan", "--history", "--no-progress"], in: repo.root)
        #expect(text.status == 2, "\(text.stdout)\(text.stderr)")
        #expect(!text.stdout.contains("No secrets found"))
        #expect(text.stdout.contains("unreadable ref refs/heads/broken"), "\(text.stdout)")
        #expect(text.stderr.contains("incomplete scan"))
        let json = try eskit(["scan", "--history", "--format", "json"], in: repo.root)
        #expect(json.status == 2)
        let summary = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["summary"]
                as? [String: Any])
        #expect(summary["incomplete"] as? Bool == true)
        #expect((summary["notRead"] as? [String])?.first?.contains("refs/heads/broken") == true)
        let sarif = try eskit(["scan", "--history", "--format", "sarif"], in: repo.root)
        #expect(sarif.stdout.contains("\"executionSuccessful\": false"))
        let junit = try eskit(["scan", "--history", "--format", "junit"], in: repo.root)
        #expect(junit.stdout.contains("type=\"incomplete\""))
        let allowed = try eskit(["scan", "--history", "--allow-incomplete"], in: repo.root)
        #expect(allowed.status == 0, "findings decide with --allow-incomplete")
    }
}
