import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Distinct blobs of a history")
struct BlobHistoryTests {
    /// Blob content -> every (commit name, path) that introduced it, oldest first.
    static let expected: [String: [(String, String)]] = [
        "deploy v1\n": [("c1", "apps/web/deploy.yaml")],
        "kustomization\n": [
            ("c1", "apps/web/base/kustomization.yaml"), ("c10", "apps/frontend/base/kustomization.yaml"),
        ],
        "readme\n": [("c1", "README.md")],
        "old config\n": [("c1", "config/old.yaml"), ("c3", "config/new.yaml")],
        "deploy v2\n": [("c2", "apps/web/deploy.yaml")],
        "secret one\n": [("c2", "secret.yaml"), ("c11", "backup/secret.yaml")],
        "feature\n": [("f1", "feature.txt")],
        "deploy v4\n": [("c4", "apps/web/deploy.yaml"), ("c10", "apps/frontend/deploy.yaml")],
        "only a tag\n": [("tagged", "tagged.txt")],
        "pull request\n": [("pull", "pr.txt")],
        "1\n": [("c5", "counter.txt")], "2\n": [("c6", "counter.txt")], "3\n": [("c7", "counter.txt")],
        "4\n": [("c8", "counter.txt")], "5\n": [("c9", "counter.txt")],
        "page\n": [("o1", "index.html")],
    ]

    static let walkOrder = [
        "c1", "c2", "c3", "f1", "c4", "merge", "tagged", "pull",
        "c5", "c6", "c7", "c8", "c9", "c10", "c11", "o1",
    ]

    func introductions(_ history: BlobHistory, _ repo: HistoryRepository) -> [String: [(String, String)]] {
        let names = Dictionary(uniqueKeysWithValues: repo.commits.map { ($0.value, $0.key) })
        var out: [String: [(String, String)]] = [:]
        for blob in history.blobs {
            out[blob.id.hex] = blob.introductions.map { (names[$0.commit.hex] ?? $0.commit.hex, $0.path) }
        }
        return out
    }

    func expectedByID(
        _ repo: HistoryRepository, only contents: Set<String>? = nil
    ) throws -> [String: [(String, String)]] {
        var out: [String: [(String, String)]] = [:]
        for (content, list) in Self.expected where contents?.contains(content) ?? true {
            out[try repo.builder.blobID(content)] = list
        }
        return out
    }

    func expectSame(_ actual: [String: [(String, String)]], _ expected: [String: [(String, String)]]) {
        #expect(Set(actual.keys) == Set(expected.keys))
        for (id, list) in expected {
            let got = actual[id] ?? []
            #expect(got.map { "\($0.0) \($0.1)" } == list.map { "\($0.0) \($0.1)" }, "blob \(id)")
        }
    }

    @Test("all refs: exactly the expected blobs, first appearances and introductions")
    func allRefs() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        var reports: [Int] = []
        let history = try repository.blobHistory(.all) { walked, total in
            #expect(total == Self.walkOrder.count)
            reports.append(walked)
        }
        #expect(reports == Array(1...Self.walkOrder.count))
        let names = Dictionary(uniqueKeysWithValues: repo.commits.map { ($0.value, $0.key) })
        #expect(history.commits.map { names[$0.id.hex] ?? "?" } == Self.walkOrder)
        #expect(history.warnings.isEmpty)
        #expect(!history.isShallow)
        expectSame(introductions(history, repo), try expectedByID(repo))
        let oracle = try HistoryRepository.gitBlobs(in: repo.root, ["--all"])
        #expect(Set(history.blobs.map(\.id.hex)) == oracle)
        #expect(history.blobs.count == Self.expected.count)
        for blob in history.blobs {
            #expect(blob.firstAppearance == blob.introductions[0])
        }
        var pairs = Set<String>()
        for commit in try repo.builder.git(["rev-list", "--all"]).split(separator: "\n") {
            for line in try repo.builder.git(["ls-tree", "-r", String(commit)]).split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 1)
                pairs.insert("\(fields[0].split(separator: " ")[2]) \(fields[1])")
            }
        }
        let introduced = history.blobs.flatMap { blob in blob.introductions.map { "\(blob.id.hex) \($0.path)" } }
        #expect(introduced.count == pairs.count)
        #expect(Set(introduced) == pairs)
    }

    @Test("a walk split between two threads at any commit gives the one-thread result")
    func splitWalk() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let selections: [CommitSelection] = [
            .all, .range("\(repo.id("c2"))..\(repo.id("c11"))"),
            .sinceCommit(repo.id("c3")),
        ]
        func flat(_ history: BlobHistory) -> [String] {
            history.blobs.map { blob in
                blob.id.hex + " " + blob.introductions.map { "\($0.commit.hex):\($0.path)" }.joined(separator: ",")
            }
        }
        for selection in selections {
            let whole = try repository.blobHistory(selection, split: { _ in nil }, progress: nil)
            #expect(whole.commits.count > 2)
            for at in 1..<whole.commits.count {
                var last = 0
                let split = try repository.blobHistory(
                    selection, split: { _ in at }, progress: { walked, _ in last = walked })
                #expect(flat(split) == flat(whole), "\(selection) split at \(at)")
                #expect(split.commits == whole.commits)
                #expect(last == whole.commits.count)
            }
        }
        let tree = try repo.builder.git(["rev-parse", "\(repo.id("c4")):apps"])
        try FileManager.default.removeItem(
            at: repo.root.appendingPathComponent(".git/objects/\(tree.prefix(2))/\(tree.dropFirst(2))"))
        let whole = try repository.blobHistory(.all, split: { _ in nil }, progress: nil)
        #expect(whole.warnings.map(\.kind) == [.missingTree])
        for at in 1..<whole.commits.count {
            let split = try repository.blobHistory(.all, split: { _ in at }, progress: nil)
            #expect(flat(split) == flat(whole), "split at \(at)")
            #expect(split.warnings == whole.warnings, "split at \(at)")
        }
    }

    @Test("commit values carry parents, author and summary")
    func commitValues() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let commits = try repository.commits()
        let merge = try #require(commits.first { $0.id.hex == repo.id("merge") })
        #expect(merge.parents.map(\.hex) == [repo.id("c4"), repo.id("f1")])
        #expect(merge.summary == "merge feature")
        #expect(merge.authorName == "Test Author")
        #expect(merge.authorEmail == "author@example.invalid")
        #expect(merge.authorTime == merge.committerTime)
        for commit in commits {
            for parent in commit.parents {
                let p = try #require(commits.firstIndex { $0.id == parent })
                #expect(p < commits.firstIndex(of: commit)!)
            }
        }
    }

    @Test("every blob is read once with its bytes, in parallel too")
    func readsEveryBlob() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let history = try repository.blobHistory()
        var seen: [String: String] = [:]
        let summary = try repository.readBlobs(of: history) { content in
            #expect(seen[content.blob.id.hex] == nil)
            seen[content.blob.id.hex] = String(decoding: content.bytes, as: UTF8.self)
            #expect(!content.isBinary)
        }
        #expect(summary.blobs == Self.expected.count)
        #expect(summary.bytes == Self.expected.keys.reduce(0) { $0 + $1.utf8.count })
        for (content, _) in Self.expected {
            #expect(seen[try repo.builder.blobID(content)] == content)
        }
        let collected = Collected()
        let parallel = try history.readBlobs(workers: 3) { content in
            collected.add(content.blob.id.hex, String(decoding: content.bytes, as: UTF8.self))
        }
        #expect(parallel.blobs == summary.blobs)
        #expect(collected.values == seen)
    }

    @Test("include predicate sees sizes and skips without reading")
    func includePredicate() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let history = try repository.blobHistory()
        var sizes: [String: Int] = [:]
        let summary = try repository.readBlobs(
            of: history,
            include: { blob, size in
                sizes[blob.id.hex] = size
                return !blob.paths.contains("counter.txt")
            }
        ) { content in
            #expect(!content.blob.paths.contains("counter.txt"))
        }
        #expect(summary.skipped == 5)
        #expect(summary.blobs == Self.expected.count - 5)
        #expect(sizes[try repo.builder.blobID("deploy v1\n")] == 10)
    }

    @Test("a range walks only its commits and leaves out blobs its boundary already had")
    func range() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let history = try repository.blobHistory(.range("\(repo.id("c3"))..\(repo.id("c4"))"))
        #expect(history.commits.map(\.id.hex) == [repo.id("c4")])
        expectSame(
            introductions(history, repo), [try repo.builder.blobID("deploy v4\n"): [("c4", "apps/web/deploy.yaml")]])

        let tail = try repository.blobHistory(.range("\(repo.id("c9"))..main"))
        #expect(tail.commits.map(\.id.hex) == [repo.id("c10"), repo.id("c11")])
        #expect(tail.blobs.isEmpty)

        let merged = try repository.blobHistory(.range("\(repo.id("c3"))..\(repo.id("merge"))"))
        #expect(Set(merged.commits.map(\.id.hex)) == [repo.id("c4"), repo.id("f1"), repo.id("merge")])
        #expect(
            Set(merged.blobs.map(\.id.hex)) == [
                try repo.builder.blobID("deploy v4\n"), try repo.builder.blobID("feature\n"),
            ])
        for (from, to) in [("c3", "c4"), ("c3", "merge"), ("c1", "c11"), ("c9", "c11")] {
            let ours = try repository.blobHistory(.range("\(repo.id(from))..\(repo.id(to))"))
            let git = try HistoryRepository.gitBlobs(in: repo.root, ["\(repo.id(from))..\(repo.id(to))"])
            #expect(Set(ours.blobs.map(\.id.hex)) == git, "\(from)..\(to)")
        }
        let single = try repository.blobHistory(.range(repo.id("c2")))
        #expect(single.commits.map(\.id.hex) == [repo.id("c1"), repo.id("c2")])
        #expect(Set(single.blobs.map(\.id.hex)) == (try HistoryRepository.gitBlobs(in: repo.root, [repo.id("c2")])))
    }

    @Test("since a commit: reachable from the refs, not from it")
    func sinceCommit() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let history = try repository.blobHistory(.sinceCommit(repo.id("c9")))
        #expect(Set(history.commits.map(\.id.hex)) == Set(["c10", "c11", "tagged", "pull", "o1"].map(repo.id)))
        expectSame(
            introductions(history, repo), try expectedByID(repo, only: ["only a tag\n", "pull request\n", "page\n"]))
        let oracle = try HistoryRepository.gitBlobs(in: repo.root, ["--all", "^" + repo.id("c9")])
        #expect(Set(history.blobs.map(\.id.hex)) == oracle)
    }

    @Test("since a date: commits at or after it")
    func sinceDate() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let c10 = try repository.commit(#require(GitObjectID(hex: repo.id("c10"))))
        let history = try repository.blobHistory(.since(c10.committerTime))
        #expect(history.commits.map(\.id.hex) == ["c10", "c11", "o1"].map(repo.id))
        expectSame(introductions(history, repo), try expectedByID(repo, only: ["page\n"]))
    }

    @Test("a bare mirror and a linked worktree give the same blobs")
    func bareAndWorktree() throws {
        let repo = try HistoryRepository()
        let reference = try GitRepository(path: repo.root.path).blobHistory()
        let folder = try Fixtures.temporaryFolder("eskit-clones")
        defer { try? FileManager.default.removeItem(at: folder) }
        let mirror = folder.appendingPathComponent("mirror.git")
        try repo.builder.git(["clone", "-q", "--mirror", repo.root.path, mirror.path], in: folder)
        let bare = try GitRepository(discoveringFrom: mirror.path)
        #expect(bare.isBare)
        #expect(bare.workdir == nil)
        #expect(try bare.head().branch == "main")
        let fromMirror = try bare.blobHistory()
        #expect(fromMirror.blobs == reference.blobs)

        let worktree = folder.appendingPathComponent("wt")
        try repo.builder.git(["worktree", "add", "-q", worktree.path, "feature"])
        let linked = try GitRepository(discoveringFrom: worktree.appendingPathComponent("apps").path)
        #expect(linked.workdir == worktree.resolvingSymlinksInPath().path)
        #expect(linked.gitDir.hasSuffix("/worktrees/wt"))
        #expect(linked.commonDir == repo.root.appendingPathComponent(".git").resolvingSymlinksInPath().path)
        #expect(try linked.head().branch == "feature")
        let linkedHistory = try linked.blobHistory()
        #expect(linkedHistory.blobs == reference.blobs)
        let parallel = try linkedHistory.readBlobs(workers: 2) { _ in }
        #expect(parallel.blobs == reference.blobs.count)
        #expect(parallel.warnings.isEmpty)
        let fromMirrorParallel = try fromMirror.readBlobs(workers: 2) { _ in }
        #expect(fromMirrorParallel.blobs == reference.blobs.count)
    }

    @Test("a shallow clone walks to its boundary without error")
    func shallow() throws {
        let repo = try HistoryRepository()
        let folder = try Fixtures.temporaryFolder("eskit-shallow")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clone = folder.appendingPathComponent("clone")
        try repo.builder.git(["clone", "-q", "--depth", "2", "file://\(repo.root.path)", clone.path], in: folder)
        let repository = try GitRepository(discoveringFrom: clone.path)
        #expect(repository.isShallow)
        let history = try repository.blobHistory()
        #expect(history.isShallow)
        #expect(history.warnings.isEmpty)
        #expect(history.commits.map(\.id.hex) == [repo.id("c10"), repo.id("c11")])
        #expect(Set(history.blobs.map(\.id.hex)) == (try HistoryRepository.gitBlobs(in: clone, ["--all"])))
        let summary = try repository.readBlobs(of: history) { _ in }
        #expect(summary.warnings.isEmpty)
        #expect(summary.blobs == history.blobs.count)
    }

    @Test("a deleted blob object becomes a warning naming it; the rest is read")
    func damaged() throws {
        let repo = try HistoryRepository()
        let victim = try repo.builder.blobID("deploy v2\n")
        let object = repo.root.appendingPathComponent(".git/objects/\(victim.prefix(2))/\(victim.dropFirst(2))")
        try FileManager.default.removeItem(at: object)
        let repository = try GitRepository(path: repo.root.path)
        let history = try repository.blobHistory()
        let summary = try repository.readBlobs(of: history) { content in
            #expect(content.blob.id.hex != victim)
        }
        #expect(summary.blobs == Self.expected.count - 1)
        #expect(summary.warnings.count == 1)
        let warning = try #require(summary.warnings.first)
        #expect(warning.kind == .missingBlob)
        #expect(warning.object.hex == victim)
        #expect(warning.commit?.hex == repo.id("c2"))
        #expect(warning.path == "apps/web/deploy.yaml")
        #expect(warning.description.contains(victim))
    }

    @Test("a partial clone without blobs: every blob is a warning, the walk and read finish")
    func partialClone() throws {
        let repo = try HistoryRepository()
        try repo.builder.git(["config", "uploadpack.allowFilter", "true"])
        let folder = try Fixtures.temporaryFolder("eskit-partial")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clone = folder.appendingPathComponent("partial.git")
        try repo.builder.git(
            ["clone", "-q", "--bare", "--filter=blob:none", "file://\(repo.root.path)", clone.path], in: folder)
        let repository = try GitRepository(path: clone.path)
        let history = try repository.blobHistory()
        #expect(history.warnings.isEmpty)
        let expected = try HistoryRepository.gitBlobs(in: repo.root, ["--branches", "--tags"])
        #expect(Set(history.blobs.map(\.id.hex)) == expected)
        let summary = try repository.readBlobs(of: history) { _ in Issue.record("no blob content is present") }
        #expect(summary.blobs == 0)
        #expect(Set(summary.warnings.map(\.object.hex)) == expected)
        #expect(summary.warnings.allSatisfy { $0.kind == .missingBlob })
    }

    @Test("a deleted tree object becomes a warning naming it and its commit")
    func missingTree() throws {
        let repo = try HistoryRepository()
        let tree = try repo.builder.git(["rev-parse", "\(repo.id("f1")):"])
        let object = repo.root.appendingPathComponent(".git/objects/\(tree.prefix(2))/\(tree.dropFirst(2))")
        try FileManager.default.removeItem(at: object)
        let history = try GitRepository(path: repo.root.path).blobHistory()
        #expect(history.warnings.map(\.kind) == [.missingTree])
        #expect(history.warnings.first?.object.hex == tree)
        #expect(history.warnings.first?.commit?.hex == repo.id("f1"))
        #expect(history.blobs.count == Self.expected.count)
    }
}

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String: String] = [:]

    func add(_ id: String, _ text: String) {
        lock.lock()
        storage[id] = text
        lock.unlock()
    }

    var values: [String: String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
