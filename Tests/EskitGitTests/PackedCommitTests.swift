import Foundation
import TestSupport
import Testing

@testable import EskitGit

/// Commits parsed from their raw bytes give exactly what libgit2 gives, or are left to libgit2.
@Suite struct PackedCommitTests {
    static let tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    static let parent = "0123456789abcdef0123456789abcdef01234567"
    static let plain =
        "author A U Thor <a.u.thor@example.invalid> 1700000000 +0100\ncommitter C O Mitter <c@example.invalid> "
        + "1700000100 -0700\n"

    /// (raw commit after the tree line, whether the plain-shape parser must take it)
    static let cases: [(String, Bool)] = [
        (plain + "\nSubject\n", true),
        (plain + "\nSubject\n\nBody line\nmore\n", true),
        (plain + "\nNo final newline", true),
        (plain + "\n\n\nSubject after blank lines\n", true),
        (plain + "\nÜnïcödé subject ✓\n", true),
        (plain + "\ncaf\u{E9} Latin-1 byte\n", true),
        ("parent \(parent)\nparent \(parent.reversed().map(String.init).joined())\n" + plain + "\nMerge\n", true),
        (
            plain
                + "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----\nmergetag object "
                + "\(parent)\n type commit\n\nSigned\n",
            true
        ),
        (plain + "\nTwo  spaces\n", false),
        (plain + "\nTab\there\n", false),
        (plain + "\nTrailing space \n", false),
        (plain + "\n Leading space\n", false),
        (plain + "\nLine one\nline two\n\nbody\n", false),
        (plain + "\nCRLF line\r\n\r\nbody\r\n", false),
        (plain + "\n", false),
        (plain, false),
        (plain + "encoding ISO-8859-1\n\nLatin\n", false),
        ("author  <a@example.invalid> 1 +0000\ncommitter C <c@example.invalid> 2 +0000\n\nNo name\n", false),
        ("author Two  Spaces <a@example.invalid> 1 +0000\ncommitter C <c@example.invalid> 2 +0000\n\nx\n", false),
        ("author Name <a@example.invalid>  1 +0000\ncommitter C <c@example.invalid> 2 +0000\n\nx\n", false),
        ("author Name < a@example.invalid > 1 +0000\ncommitter C <c@example.invalid> 2 +0000\n\nx\n", false),
        ("author Name <a@example.invalid> 1\ncommitter C <c@example.invalid> 2 +0000\n\nx\n", false),
        ("author Na<me <a@example.invalid> 1 +0000\ncommitter C <c@example.invalid> 2 +0000\n\nx\n", false),
        ("author Name <a@example.invalid> 1 +0000\ncommitter C <c@example.invalid> 2 -0130\n\nNegative zone\n", true),
    ]

    @Test func plainCommitsParseLikeLibgit2AndTheRestIsLeftToIt() throws {
        let b = try GitRepoBuilder()
        let repository = try GitRepository(path: b.root.path)
        for (index, (body, plain)) in Self.cases.enumerated() {
            var raw = Array("tree \(Self.tree)\n".utf8) + Array(body.utf8)
            if body.contains("caf\u{E9}") { raw = raw.flatMap { $0 == 0xC3 ? [] : ($0 == 0xA9 ? [0xE9] : [$0]) } }
            let file = b.root.appendingPathComponent("commit-\(index)")
            try Data(raw).write(to: file)
            let hex = try b.git(["hash-object", "-t", "commit", "-w", "--literally", file.path])
            let id = try #require(GitObjectID(hex: hex))
            var warnings: [GitWarning] = []
            let reference = try #require(
                try repository.lookupCommit(id, child: nil, &warnings, quiet: false, packed: false))
            let parsed = raw.withUnsafeBytes { PackedCommit.parse(id: id, $0) }
            #expect((parsed != nil) == plain, "case \(index)")
            if let parsed {
                #expect(parsed.commit == reference.commit, "case \(index)")
                #expect(parsed.tree == reference.tree, "case \(index)")
            }
        }
    }

    @Test func aPackedHistoryWalksTheSameWithAndWithoutThePackedReader() throws {
        let b = try GitRepoBuilder()
        for i in 0..<30 {
            try b.commit(
                i % 7 == 0 ? "Release \(i)\n\nNotes for \(i)" : "Change \(i)", files: ["f\(i % 4).txt": "v\(i)\n"])
        }
        try b.git(["repack", "-adfq"])
        let repository = try GitRepository(path: b.root.path)
        let ids = try b.git(["rev-list", "--all"]).split(separator: "\n").map {
            try #require(GitObjectID(hex: String($0)))
        }
        var warnings: [GitWarning] = []
        var packedHits = 0
        for id in ids {
            let reference = try #require(
                try repository.lookupCommit(id, child: nil, &warnings, quiet: false, packed: false))
            let fast = try #require(try repository.lookupCommit(id, child: nil, &warnings, quiet: false))
            #expect(fast.commit == reference.commit && fast.tree == reference.tree)
            if case .object(let object) = repository.packedCommits.lookup(id),
                PackedCommit.parse(id: id, object.bytes) != nil
            {
                packedHits += 1
            }
        }
        #expect(packedHits == ids.count)
        #expect(warnings.isEmpty)
    }
}
