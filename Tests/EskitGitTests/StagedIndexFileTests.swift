import Foundation
import TestSupport
import Testing

@testable import EskitGit

/// `git commit -a` and `git commit <paths>` run the pre-commit hook with the index being committed in
/// `$GIT_INDEX_FILE`; the repository's own index still holds the previous state.
@Suite("Staged view of another index file")
struct StagedIndexFileTests {
    @Test func anotherIndexFileIsReadInsteadOfTheRepositoryIndex() throws {
        let builder = try GitRepoBuilder()
        try builder.commit("base", files: ["a.yaml": "a: 1\n"])
        try builder.write("a.yaml", "a: 1\nb: 2\n")
        let other = builder.root.appendingPathComponent(".git/other-index").path
        let env = ["GIT_INDEX_FILE": other, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        #expect(try run("/usr/bin/git", ["read-tree", "HEAD"], in: builder.root, environment: env).status == 0)
        #expect(try run("/usr/bin/git", ["add", "a.yaml"], in: builder.root, environment: env).status == 0)

        let repository = try GitRepository(discoveringFrom: builder.root.path)
        #expect(try repository.stagedChanges(indexFile: nil).isEmpty, "the repository index has nothing staged")
        let changes = try repository.stagedChanges(indexFile: other)
        #expect(changes.map(\.path) == ["a.yaml"])
        #expect(changes.first?.addedLines == [2])
    }

    @Test func aMissingIndexFileIsAnEmptyIndex() throws {
        let builder = try GitRepoBuilder()
        try builder.commit("base", files: ["a.yaml": "a: 1\n"])
        let repository = try GitRepository(discoveringFrom: builder.root.path)
        #expect(
            try repository.stagedChanges(indexFile: builder.root.appendingPathComponent("no-such-index").path).isEmpty)
    }
}
