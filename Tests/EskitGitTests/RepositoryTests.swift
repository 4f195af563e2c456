import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Opening repositories")
struct RepositoryTests {
    @Test("discovers the repository from a subfolder")
    func subfolder() throws {
        let builder = try GitRepoBuilder()
        let commit = try builder.commit("one", files: ["deep/er/file.txt": "x\n"])
        let repository = try GitRepository(discoveringFrom: builder.root.appendingPathComponent("deep/er").path)
        let root = builder.root.resolvingSymlinksInPath().path
        #expect(repository.workdir == root)
        #expect(repository.gitDir == root + "/.git")
        #expect(repository.commonDir == root + "/.git")
        #expect(!repository.isBare)
        #expect(!repository.isShallow)
        #expect(try repository.head() == GitHead(commit: GitObjectID(hex: commit), branch: "main", isDetached: false))
        #expect(try repository.resolveCommit("HEAD").hex == commit)
        let blob = try #require(GitObjectID(hex: try builder.blobID("x\n")))
        #expect(try repository.blob(blob) == Array("x\n".utf8))
        let missing = try #require(GitObjectID(hex: String(repeating: "ab", count: 20)))
        let error = try #require(throws: GitError.self) { try repository.blob(missing) }
        #expect(error.call == "git_blob_lookup")
        #expect(error.isNotFound)
    }

    @Test("an empty repository and an orphan branch have an unborn HEAD")
    func unborn() throws {
        let builder = try GitRepoBuilder()
        let empty = try GitRepository(path: builder.root.path)
        #expect(try empty.head() == GitHead(commit: nil, branch: "main", isDetached: false))
        #expect(try empty.head().isUnborn)
        #expect(try empty.commits().isEmpty)
        #expect(try empty.blobHistory().blobs.isEmpty)

        try builder.commit("one", files: ["a.txt": "a\n"])
        try builder.orphan("fresh")
        let orphan = try GitRepository(path: builder.root.path)
        #expect(try orphan.head() == GitHead(commit: nil, branch: "fresh", isDetached: false))
        #expect(try orphan.commits().count == 1)
    }

    @Test("a detached HEAD has no branch")
    func detached() throws {
        let builder = try GitRepoBuilder()
        let first = try builder.commit("one", files: ["a.txt": "a\n"])
        try builder.commit("two", files: ["a.txt": "b\n"])
        try builder.git(["checkout", "-q", "--detach", first])
        let head = try GitRepository(path: builder.root.path).head()
        #expect(head == GitHead(commit: GitObjectID(hex: first), branch: nil, isDetached: true))
    }

    @Test("opening a folder that is no repository names the call")
    func notARepository() throws {
        let folder = try Fixtures.temporaryFolder("eskit-norepo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: GitError.self) { try GitRepository(path: folder.path) }
        #expect(error.call == "git_repository_open_ext")
        #expect(error.isNotFound)
        #expect(error.description.hasPrefix("git_repository_open_ext failed (\(folder.path)): "))
        #expect(error.description.contains("could not find repository"))
    }

    @Test("a bad revision names git_revparse and the revision")
    func badRevision() throws {
        let builder = try GitRepoBuilder()
        try builder.commit("one", files: ["a.txt": "a\n"])
        let repository = try GitRepository(path: builder.root.path)
        let error = try #require(throws: GitError.self) { try repository.blobHistory(.range("nope..main")) }
        #expect(error.call == "git_revparse")
        #expect(error.subject == "nope..main")
    }

    @Test("object ids round-trip through hex")
    func objectIDs() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(GitObjectID(hex: hex))
        #expect(id.hex == hex)
        #expect(GitObjectID(hex: hex.uppercased()) == id)
        #expect(id.shortHex == "0123456789ab")
        #expect(GitObjectID(hex: "xyz") == nil)
        #expect(GitObjectID(hex: String(hex.dropLast()) + "g") == nil)
        #expect(try #require(GitObjectID(hex: "00" + hex.dropFirst(2))) < id)
    }
}
