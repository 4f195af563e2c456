internal import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// entries are skipped. A missing tree or commit becomes a warning and the walk goes on. `progress`, when given,
    /// is called on this thread after each walked commit with (commits walked, commits selected).
    public func blobHistory(_ selection: CommitSelection = .all,
                            progress: ((_ walked: Int, _ total: Int) -> Void)? = nil) throws(GitError) -> BlobHistory {
        let walk = try walkCommits(selection)
        let walker = try TreeWalker(repository: pointer)
        walker.warnings = walk.warnings
        for (id, tree) in zip(walk.boundary, walk.boundaryTrees) {
            try walker.walk(tree: tree, commit: .max, commitID: id)
        }
        let known = walker.blobIDs.count
        for (i, tree) in walk.trees.enumerated() {
            try walker.walk(tree: tree, commit: UInt32(i), commitID: walk.commits[i].id)
            progress?(i + 1, walk.trees.count)
        }
        return BlobHistory(commits: walk.commits, blobs: walker.blobs(after: known, commits: walk.commits),
                           warnings: walker.warnings, isShallow: isShallow, gitDir: gitDir)
    }
}

/// Phase 1 of a history scan: the single-threaded tree walk. Keys seen trees by (tree id, path), so a folder that
/// moved is walked again under its new path, and records each new (blob, path) pair once.
final class TreeWalker {
    private struct Occurrence {
        var blob: UInt32
        var commit: UInt32
        var path: UInt32
    }

    private let odb: OpaquePointer
    private let paths = PathTable()
    private var blobIndex = ObjectIndex()
    private(set) var blobIDs: [GitObjectID] = []
    private var seenTrees = TreePathSet()
    private var seenPairs = PackedPairSet()
    private var occurrences: [Occurrence] = []
    private var lastTrees: [UInt32: OpaquePointer] = [:]
    var warnings: [GitWarning] = []
    /// When true, each blob first seen outside the boundary is also queued in `discovered` (for streaming).
    var collectsDiscoveries = false
    private var discovered: [Occurrence] = []

    init(repository: OpaquePointer) throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository), "git_repository_odb")
        self.odb = odb!
    }

    deinit {
        for object in lastTrees.values { git_odb_object_free(object) }
        git_odb_free(odb)
    }

    /// Walks a commit's root tree. `commit` is the commit's index in walk order, or `.max` for a boundary commit
    /// (its blobs count as known and are not recorded).
    func walk(tree: GitObjectID, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        try walk(tree, path: 0, commit: commit, commitID: commitID)
    }

    /// Reads the raw tree through the object database and parses its entries in place
    /// (`<octal mode> <name>\0<20-byte id>`), so no entry is allocated.
    private func walk(_ id: GitObjectID, path: UInt32, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        guard seenTrees.insert(id, path) else { return }
        var oid = id.oid
        var object: OpaquePointer?
        let rc = git_odb_read(&object, odb, &oid)
        if rc < 0 {
            let error = GitError.last(call: "git_odb_read", code: rc, subject: id.hex)
            warnings.append(GitWarning(kind: rc == GIT_ENOTFOUND.rawValue ? .missingTree : .unreadableObject, object: id,
                                       commit: commitID, path: paths.path(path), message: error.message))
            return
        }
        guard git_odb_object_type(object) == GIT_OBJECT_TREE else {
            git_odb_object_free(object)
            warnings.append(GitWarning(kind: .unreadableObject, object: id, commit: commitID, path: paths.path(path),
                                       message: "expected a tree"))
            return
        }
        let previous = lastTrees.updateValue(object!, forKey: path)
        defer { if let previous { git_odb_object_free(previous) } }
        let size = git_odb_object_size(object)
        guard size > 0, let data = git_odb_object_data(object) else { return }
        let bytes = data.assumingMemoryBound(to: UInt8.self)
        let before = previous.flatMap { git_odb_object_data($0)?.assumingMemoryBound(to: UInt8.self) }
        let beforeSize = previous.map { git_odb_object_size($0) } ?? 0
        var p = 0
        var i = 0
        while i < size {
            guard let entry = Self.entry(bytes, at: i, size: size) else { break }
            i = entry.end
            if let before, Self.unchanged(entry, bytes, before, beforeSize, cursor: &p) { continue }
            let name = UnsafeRawPointer(bytes + entry.nameStart).assumingMemoryBound(to: CChar.self)
            let length = entry.nameEnd - entry.nameStart
            switch entry.mode & 0o170000 {
            case 0o040000:
                let child = paths.intern(parent: path, name: name, length: length)
                try walk(GitObjectID(raw: bytes + entry.nameEnd + 1), path: child, commit: commit, commitID: commitID)
            case 0o100000, 0o120000:
                let blobID = GitObjectID(raw: bytes + entry.nameEnd + 1)
                let (blob, inserted) = blobIndex.insert(blobID, value: UInt32(blobIDs.count))
                if inserted { blobIDs.append(blobID) }
                let child = paths.intern(parent: path, name: name, length: length)
                if seenPairs.insert(UInt64(blob) << 32 | UInt64(child)), commit != .max {
                    occurrences.append(Occurrence(blob: blob, commit: commit, path: child))
                    if inserted, collectsDiscoveries {
                        discovered.append(Occurrence(blob: blob, commit: commit, path: child))
                    }
                }
            default:
                continue
            }
        }
    }

    private struct Entry {
        var mode: UInt32
        var start: Int
        var nameStart: Int
        var nameEnd: Int
        var end: Int
    }

    /// The tree entry starting at `start`: `<octal mode> <name>\0<20-byte id>`.
    private static func entry(_ bytes: UnsafePointer<UInt8>, at start: Int, size: Int) -> Entry? {
        var i = start
        var mode: UInt32 = 0
        while i < size, bytes[i] != 0x20 {
            mode = mode << 3 | UInt32(bytes[i] &- 0x30)
            i += 1
        }
        let nameStart = i + 1
        guard nameStart < size, let nul = memchr(bytes + nameStart, 0, size - nameStart) else { return nil }
        let nameEnd = UnsafeRawPointer(nul) - UnsafeRawPointer(bytes)
        guard nameEnd + 21 <= size else { return nil }
        return Entry(mode: mode, start: start, nameStart: nameStart, nameEnd: nameEnd, end: nameEnd + 21)
    }

    /// True when the tree last walked at this path held exactly this entry (same mode, name and id): its (object,
    /// path) pair was seen then, so it can be skipped without interning its path. Both trees are sorted by name;
    /// `cursor` moves through the previous tree. An ordering mismatch only costs a missed skip, never a wrong one.
    private static func unchanged(_ entry: Entry, _ bytes: UnsafePointer<UInt8>, _ before: UnsafePointer<UInt8>,
                                  _ beforeSize: Int, cursor: inout Int) -> Bool {
        let name = UnsafeRawBufferPointer(start: bytes + entry.nameStart, count: entry.nameEnd - entry.nameStart)
        while cursor < beforeSize, let old = Self.entry(before, at: cursor, size: beforeSize) {
            let oldName = UnsafeRawBufferPointer(start: before + old.nameStart, count: old.nameEnd - old.nameStart)
            let common = min(name.count, oldName.count)
            var order = common == 0 ? 0 : memcmp(oldName.baseAddress!, name.baseAddress!, common)
            if order == 0 { order = oldName.count < name.count ? -1 : (oldName.count > name.count ? 1 : 0) }
            if order < 0 {
                cursor = old.end
                continue
            }
            guard order == 0 else { return false }
            cursor = old.end
            let length = entry.end - entry.start
            return old.end - old.start == length && memcmp(before + old.start, bytes + entry.start, length) == 0
        }
        return false
    }

    /// The blobs first seen since the last call, each with its first introduction only (its later ones are not
    /// known yet), in order of discovery.
    func takeDiscoveries(commits: [GitCommit]) -> [HistoryBlob] {
        defer { discovered.removeAll(keepingCapacity: true) }
        return discovered.map {
            HistoryBlob(id: blobIDs[Int($0.blob)],
                        introductions: [BlobOccurrence(commit: commits[Int($0.commit)].id, path: paths.path($0.path))])
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
