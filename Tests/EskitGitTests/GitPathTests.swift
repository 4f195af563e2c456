import EskitGit
import Foundation
import TestSupport
import Testing

@Suite("Paths by their exact bytes")
struct GitPathTests {
    @Test("bytes that are not UTF-8 are shown as \\xNN, valid text as itself")
    func display() {
        #expect(GitPath("apps/café.yaml").display == "apps/café.yaml")
        #expect(GitPath("apps/café.yaml").isUTF8)
        let latin1 = GitPath(bytes: Array("caf".utf8) + [0xE9] + Array(".yaml".utf8))
        #expect(latin1.display == #"caf\xE9.yaml"#)
        #expect(!latin1.isUTF8)
        #expect(GitPath(bytes: [0xFF, 0xFE, 0x41, 0xC3]).display == #"\xFF\xFEA\xC3"#)
        #expect(GitPath(bytes: Array("é".utf8) + [0x80] + Array("✓".utf8)).display == #"é\x80✓"#)
    }

    @Test("tracked and untracked paths keep the bytes git stores, sorted by bytes")
    func repositoryPaths() throws {
        let builder = try GitRepoBuilder()
        let raw = Array("dir/caf".utf8) + [0xE9] + Array(".yaml".utf8)
        try builder.write("dir/a.yaml", "a\n")
        try FileManager.default.createDirectory(
            at: builder.root.appendingPathComponent("dir"), withIntermediateDirectories: true)
        let tracked = GitPath(bytes: raw)
        let fd = tracked.withCString(under: builder.root.path) { open($0, O_WRONLY | O_CREAT, 0o644) }
        try #require(fd >= 0)
        close(fd)
        try builder.git(["add", "-A"])
        try builder.write("dir/new.txt", "n\n")
        let repository = try GitRepository(discoveringFrom: builder.root.path)
        #expect(try repository.trackedPaths().map(\.bytes) == [Array("dir/a.yaml".utf8), raw])
        #expect(try repository.trackedPaths(under: "dir/").map(\.display) == ["dir/a.yaml", #"dir/caf\xE9.yaml"#])
        #expect(try repository.untrackedPaths().map(\.display) == ["dir/new.txt"])
        #expect(try repository.trackedFiles() == ["dir/a.yaml", "dir/caf\u{FFFD}.yaml"], "the String view stays lossy")
    }
}
