import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Commit text encodings")
struct CommitEncodingTests {
    /// Commits with `git -c i18n.commitEncoding=…`: the author name and message bytes are in that encoding.
    private func commit(encoding: String, author: [UInt8], message: [UInt8]) throws -> (GitRepoBuilder, String) {
        let builder = try GitRepoBuilder()
        try builder.write("a.txt", "a\n")
        try builder.git(["add", "-A"])
        try Data(message).write(to: builder.root.appendingPathComponent(".git/MSG"))
        try Data(author).write(to: builder.root.appendingPathComponent(".git/AUTHOR"))
        let script = #"GIT_AUTHOR_NAME="$(cat .git/AUTHOR)" exec git -c i18n.commitEncoding="$1" commit -q -F .git/MSG"#
        let result = try run(
            "/bin/sh", ["-c", script, "sh", encoding], in: builder.root,
            environment: [
                "GIT_AUTHOR_EMAIL": "rene@example.invalid", "GIT_COMMITTER_NAME": "C",
                "GIT_COMMITTER_EMAIL": "c@example.invalid", "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        return (builder, try builder.git(["rev-parse", "HEAD"]))
    }

    @Test("a Latin-1 commit's author and message are decoded as Latin-1")
    func latin1() throws {
        let (builder, id) = try commit(
            encoding: "ISO-8859-1", author: Array("Ren".utf8) + [0xE9],
            message: Array("Caf".utf8) + [0xE9, 0x20, 0xE0] + Array(" la ".utf8) + [0xFC] + Array("ber\n".utf8))
        #expect(
            try builder.git(["cat-file", "-p", id]).contains("encoding ISO-8859-1"), "the test builds what it means to")
        let commit = try GitRepository(discoveringFrom: builder.root.path).commit(try #require(GitObjectID(hex: id)))
        #expect(commit.authorName == "René")
        #expect(commit.authorEmail == "rene@example.invalid")
        #expect(commit.summary == "Café à la über")
    }

    @Test("a UTF-8 commit, with or without the header, stays UTF-8")
    func utf8() throws {
        for encoding in ["UTF-8", "utf8"] {
            let (builder, id) = try commit(
                encoding: encoding, author: Array("René".utf8), message: Array("Café ✓\n".utf8))
            let commit = try GitRepository(discoveringFrom: builder.root.path).commit(
                try #require(GitObjectID(hex: id)))
            #expect(commit.authorName == "René")
            #expect(commit.summary == "Café ✓")
        }
    }

    @Test("an unknown encoding falls back to lossy UTF-8")
    func unknown() throws {
        let (builder, id) = try commit(
            encoding: "x-unknown-9", author: Array("Ren".utf8) + [0xE9],
            message: Array("ok ".utf8) + [0xFF] + [0x0A])
        let commit = try GitRepository(discoveringFrom: builder.root.path).commit(try #require(GitObjectID(hex: id)))
        #expect(commit.authorName == "Ren\u{FFFD}")
        #expect(commit.summary == "ok \u{FFFD}")
    }

    @Test(
        "encoding names are matched as git spells them",
        arguments: [
            ("ISO-8859-1", CommitTextEncoding.latin1), ("iso8859-1", .latin1), ("latin1", .latin1),
            ("LATIN-1", .latin1),
            ("ISO_8859-1", .latin1), ("UTF-8", .utf8), (nil, .utf8), ("EUC-JP", .utf8),
        ] as [(String?, CommitTextEncoding)])
    func names(name: String?, expected: CommitTextEncoding) {
        #expect(CommitTextEncoding(name: name) == expected)
    }
}
