internal import CGit2

/// One place a blob was introduced: the commit and the path where the (blob, path) pair first appeared.
public struct BlobOccurrence: Sendable, Hashable {
    public var commit: GitObjectID
    public var path: String

    public init(commit: GitObjectID, path: String) {
        self.commit = commit
        self.path = path
    }
}

/// A distinct blob of the walked history and where it was introduced.
public struct HistoryBlob: Sendable, Hashable {
    public var id: GitObjectID
    /// Every (commit, path) where this blob was introduced at a path, oldest first: adds, renames, copies, re-adds
    /// after a delete, files under a renamed folder. Never empty.
    public var introductions: [BlobOccurrence]

    /// The commit and path where the blob appeared first (walking oldest first).
    public var firstAppearance: BlobOccurrence { introductions[0] }

    /// The distinct paths the blob was introduced under, in order of first use.
    public var paths: [String] {
        var seen = Set<String>()
        return introductions.compactMap { seen.insert($0.path).inserted ? $0.path : nil }
    }
}

/// The result of walking a selection of commits: the commits and every distinct blob their trees hold (phase 1 of
/// a history scan; `readBlobs` is phase 2). A plain value: it holds no libgit2 handle.
public struct BlobHistory: Sendable {
    /// The selected commits, oldest first (parents before children).
    public let commits: [GitCommit]
    /// Every distinct blob of the selected commits, in order of first appearance. Blobs already present in the
    /// commits just outside the selection (see `CommitSelection`) are left out.
    public let blobs: [HistoryBlob]
    /// Objects that could not be read while walking (missing trees or commits); the walk went on without them.
    public let warnings: [GitWarning]
    /// True when the repository is a shallow clone (the walk stopped at its boundary).
    public let isShallow: Bool
    /// The git folder the history was read from (parallel readers open it again).
    public let gitDir: String
    private let commitIndex: [GitObjectID: Int]

    init(commits: [GitCommit], blobs: [HistoryBlob], warnings: [GitWarning], isShallow: Bool, gitDir: String) {
        self.commits = commits
        self.blobs = blobs
        self.warnings = warnings
        self.isShallow = isShallow
        self.gitDir = gitDir
        var index: [GitObjectID: Int] = [:]
        for (i, commit) in commits.enumerated() { index[commit.id] = i }
        commitIndex = index
    }

    /// The walked commit with this id.
    public func commit(_ id: GitObjectID) -> GitCommit? {
        commitIndex[id].map { commits[$0] }
    }
}

extension GitRepository {
    /// Walks the selected commits oldest first and collects every distinct blob of their trees with the commits and
    /// paths that introduced it. Reads only commits and trees; blob contents are read by `readBlobs`. Submodule
    /// entries are skipped. A missing tree or commit becomes a warning and the walk goes on.
    public func blobHistory(_ selection: CommitSelection = .all) throws(GitError) -> BlobHistory {
        let walk = try walkCommits(selection)
        let walker = TreeWalker(repository: pointer)
        walker.warnings = walk.warnings
        for (id, tree) in zip(walk.boundary, walk.boundaryTrees) {
            try walker.walk(tree: tree, commit: .max, commitID: id)
        }
        let known = walker.blobIDs.count
        for (i, tree) in walk.trees.enumerated() {
            try walker.walk(tree: tree, commit: UInt32(i), commitID: walk.commits[i].id)
        }
        return BlobHistory(commits: walk.commits, blobs: walker.blobs(after: known, commits: walk.commits),
                           warnings: walker.warnings, isShallow: isShallow, gitDir: gitDir)
    }
}

/// Phase 1 of a history scan: the single-threaded tree walk. Keys seen trees by (tree id, path), so a folder that
/// moved is walked again under its new path, and records each new (blob, path) pair once.
final class TreeWalker {
    private struct TreeAtPath: Hashable {
        var tree: GitObjectID
        var path: UInt32
    }

    private struct Occurrence {
        var blob: UInt32
        var commit: UInt32
        var path: UInt32
    }

    private let repository: OpaquePointer
    private var paths = PathTable()
    private var blobIndex: [GitObjectID: UInt32] = [:]
    private(set) var blobIDs: [GitObjectID] = []
    private var seenTrees = Set<TreeAtPath>()
    private var seenPairs = Set<UInt64>()
    private var occurrences: [Occurrence] = []
    var warnings: [GitWarning] = []

    init(repository: OpaquePointer) {
        self.repository = repository
    }

    /// Walks a commit's root tree. `commit` is the commit's index in walk order, or `.max` for a boundary commit
    /// (its blobs count as known and are not recorded).
    func walk(tree: GitObjectID, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        var oid = tree.oid
        try walk(&oid, path: 0, commit: commit, commitID: commitID)
    }

    private func walk(_ oid: UnsafePointer<git_oid>, path: UInt32, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        let id = GitObjectID(oid)
        guard seenTrees.insert(TreeAtPath(tree: id, path: path)).inserted else { return }
        var tree: OpaquePointer?
        let rc = git_tree_lookup(&tree, repository, oid)
        if rc < 0 {
            let error = GitError.last(call: "git_tree_lookup", code: rc, subject: id.hex)
            guard rc == GIT_ENOTFOUND.rawValue || rc == GIT_EINVALID.rawValue || error.message.contains("corrupt") else { throw error }
            warnings.append(GitWarning(kind: rc == GIT_ENOTFOUND.rawValue ? .missingTree : .unreadableObject, object: id,
                                       commit: commitID, path: paths.path(path), message: error.message))
            return
        }
        defer { git_tree_free(tree) }
        let count = git_tree_entrycount(tree)
        for i in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, i) else { continue }
            let mode = git_tree_entry_filemode(entry).rawValue
            switch mode {
            case GIT_FILEMODE_TREE.rawValue:
                let child = paths.intern(parent: path, name: git_tree_entry_name(entry))
                try walk(git_tree_entry_id(entry), path: child, commit: commit, commitID: commitID)
            case GIT_FILEMODE_BLOB.rawValue, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue, GIT_FILEMODE_LINK.rawValue:
                let blobID = GitObjectID(git_tree_entry_id(entry))
                let blob: UInt32
                if let known = blobIndex[blobID] { blob = known } else {
                    blob = UInt32(blobIDs.count)
                    blobIndex[blobID] = blob
                    blobIDs.append(blobID)
                }
                let child = paths.intern(parent: path, name: git_tree_entry_name(entry))
                if seenPairs.insert(UInt64(blob) << 32 | UInt64(child)).inserted, commit != .max {
                    occurrences.append(Occurrence(blob: blob, commit: commit, path: child))
                }
            default:
                continue
            }
        }
    }

    /// The blobs with index `known` and above, grouped with their introductions in walk order.
    func blobs(after known: Int, commits: [GitCommit]) -> [HistoryBlob] {
        var lists = [[BlobOccurrence]](repeating: [], count: blobIDs.count - known)
        for occurrence in occurrences where Int(occurrence.blob) >= known {
            lists[Int(occurrence.blob) - known].append(
                BlobOccurrence(commit: commits[Int(occurrence.commit)].id, path: paths.path(occurrence.path)))
        }
        var out: [HistoryBlob] = []
        out.reserveCapacity(lists.count)
        for (i, list) in lists.enumerated() where !list.isEmpty {
            out.append(HistoryBlob(id: blobIDs[known + i], introductions: list))
        }
        return out
    }
}
