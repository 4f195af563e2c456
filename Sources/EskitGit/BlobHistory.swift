internal import CGit2
import Dispatch

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
    /// Blobs and trees that refs point to directly (not through a commit): scanned on their own.
    public internal(set) var refObjects = RefTargets()
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
    public func blobHistory(
        _ selection: CommitSelection = .all,
        progress: ((_ walked: Int, _ total: Int) -> Void)? = nil
    ) throws(GitError) -> BlobHistory {
        try blobHistory(
            selection, split: { $0 >= Self.splitWalkAt && BlobHistory.defaultWorkers > 1 ? $0 / 2 : nil },
            progress: progress)
    }

    /// `blobHistory(_:progress:)`; when `split` gives an index for the number of selected commits, a second thread
    /// walks the commits from that index on.
    func blobHistory(
        _ selection: CommitSelection, split: (Int) -> Int?,
        progress: ((_ walked: Int, _ total: Int) -> Void)?
    ) throws(GitError) -> BlobHistory {
        let walk = try walkCommits(selection)
        let walker = try TreeWalker(repository: pointer, packs: packStore)
        walker.warnings = walk.warnings
        for (id, tree) in zip(walk.boundary, walk.boundaryTrees) {
            try walker.walk(tree: tree, commit: .max, commitID: id)
        }
        let known = walker.blobIDs.count
        let count = walk.trees.count
        let split = split(count).map { min(max($0, 1), count) } ?? count
        let later = split < count ? LaterHalf(gitDir: gitDir, walk: walk, from: split) : nil
        let counter = WalkCounter()
        let group = DispatchGroup()
        if let later { DispatchQueue.global().async(group: group) { later.run(counter) } }
        do throws(GitError) {
            for i in 0..<split {
                try walker.walk(tree: walk.trees[i], commit: UInt32(i), commitID: walk.commits[i].id)
                counter.add()
                progress?(counter.value, count)
            }
        } catch {
            later?.cancel()
            group.wait()
            throw error
        }
        group.wait()
        if let error = later?.error { throw error }
        if later != nil { progress?(count, count) }
        let blobs = walker.blobs(after: known, commits: walk.commits, then: later?.walker)
        var history = BlobHistory(
            commits: walk.commits, blobs: blobs, warnings: walker.warnings(then: later?.walker),
            isShallow: isShallow, gitDir: gitDir)
        history.refObjects = walk.refObjects
        return history
    }

    /// Histories of at least this many commits are walked by two threads, each half of the commits (measured:
    /// below a few hundred commits the second repository handle costs more than it saves).
    static let splitWalkAt = 512
}

/// Commits walked so far by both halves (for progress).
private final class WalkCounter: @unchecked Sendable {
    private let lock = PthreadLock()
    private var walked = 0
    func add() { lock.locked { walked += 1 } }
    var value: Int { lock.locked { walked } }
}

/// The second half of a split walk, on its own repository handle: it first walks the tree of the commit just
/// before its half (as known, like a boundary) so it records only what its half adds; `TreeWalker.blobs(after:
/// commits:then:)` then drops what the first half had already seen.
private final class LaterHalf: @unchecked Sendable {
    private let gitDir: String
    private let walk: CommitWalk
    private let start: Int
    private(set) var walker: TreeWalker?
    private(set) var error: GitError?
    private let stop = WalkCounter()

    /// Asks a running walk to stop at the next commit (the first half failed).
    func cancel() { stop.add() }

    init(gitDir: String, walk: CommitWalk, from start: Int) {
        self.gitDir = gitDir
        self.walk = walk
        self.start = start
    }

    func run(_ counter: WalkCounter) {
        do throws(GitError) {
            let repository = try GitRepository(path: gitDir)
            let walker = try TreeWalker(repository: repository.pointer, packs: repository.packStore)
            for (id, tree) in zip(walk.boundary, walk.boundaryTrees) {
                try walker.walk(tree: tree, commit: .max, commitID: id)
            }
            try walker.walk(tree: walk.trees[start - 1], commit: .max, commitID: walk.commits[start - 1].id)
            walker.warnings.removeAll()
            for i in start..<walk.trees.count where stop.value == 0 {
                try walker.walk(tree: walk.trees[i], commit: UInt32(i), commitID: walk.commits[i].id)
                counter.add()
            }
            self.walker = walker
            withExtendedLifetime(repository) {}
        } catch {
            self.error = error
        }
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
    private var lastTrees: [UInt32: ObjectBytes] = [:]
    private let packs: PackObjectCache
    var warnings: [GitWarning] = []

    init(repository: OpaquePointer, packs store: PackStore) throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository), "git_repository_odb")
        self.odb = odb!
        packs = PackObjectCache(store: store, limit: 32 << 20)
    }

    deinit {
        lastTrees.removeAll()
        git_odb_free(odb)
    }

    /// Walks a commit's root tree. `commit` is the commit's index in walk order, or `.max` for a boundary commit
    /// (its blobs count as known and are not recorded).
    func walk(tree: GitObjectID, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        try walk(tree, path: 0, commit: commit, commitID: commitID)
    }

    /// Reads the raw tree (straight from the packs, or through the object database when no pack holds it) and
    /// parses its entries in place (`<octal mode> <name>\0<20-byte id>`), so no entry is allocated.
    private func walk(_ id: GitObjectID, path: UInt32, commit: UInt32, commitID: GitObjectID) throws(GitError) {
        guard seenTrees.insert(id, path) else { return }
        guard let object = readTree(id, path: path, commitID: commitID) else { return }
        let previous = lastTrees.updateValue(object, forKey: path)
        let size = object.bytes.count
        guard size > 0 else { return }
        let bytes = object.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let before = previous.flatMap { $0.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) }
        let beforeSize = previous?.bytes.count ?? 0
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
                }
            default:
                continue
            }
        }
    }

    /// The tree `id`, or nil after recording a warning when it is missing, damaged or not a tree.
    private func readTree(_ id: GitObjectID, path: UInt32, commitID: GitObjectID) -> ObjectBytes? {
        switch packs.lookup(id) {
        case .object(let packed) where packed.type == 2:
            return packed
        case .looping:
            warnings.append(.deltaLoop(id, commit: commitID, path: paths.path(path)))
            return nil
        default:
            break
        }
        var oid = id.oid
        var object: OpaquePointer?
        let rc = git_odb_read(&object, odb, &oid)
        if rc < 0 {
            let error = GitError.last(call: "git_odb_read", code: rc, subject: id.hex)
            let kind: GitWarning.Kind = rc == GIT_ENOTFOUND.rawValue ? .missingTree : .unreadableObject
            warnings.append(
                GitWarning(
                    kind: kind, object: id, commit: commitID, path: paths.path(path),
                    message: error.message))
            return nil
        }
        guard git_odb_object_type(object) == GIT_OBJECT_TREE else {
            git_odb_object_free(object)
            warnings.append(
                GitWarning(
                    kind: .unreadableObject, object: id, commit: commitID, path: paths.path(path),
                    message: "expected a tree"))
            return nil
        }
        let size = git_odb_object_size(object)
        let bytes = UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size)
        return ObjectBytes(type: 2, borrowing: bytes) { git_odb_object_free(object) }
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
    private static func unchanged(
        _ entry: Entry, _ bytes: UnsafePointer<UInt8>, _ before: UnsafePointer<UInt8>,
        _ beforeSize: Int, cursor: inout Int
    ) -> Bool {
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

    /// The blobs with index `known` and above, grouped with their introductions in walk order; then, when `later`
    /// walked the commits after this walk's, what it adds: introductions of (blob, path) pairs this walk never
    /// saw, appended to the blobs this walk has, and the blobs only it saw (blobs this walk knew before `known`, the
    /// boundary's, stay out).
    func blobs(after known: Int, commits: [GitCommit], then later: TreeWalker? = nil) -> [HistoryBlob] {
        var lists = [[BlobOccurrence]](repeating: [], count: blobIDs.count - known)
        for occurrence in occurrences where Int(occurrence.blob) >= known {
            lists[Int(occurrence.blob) - known].append(
                BlobOccurrence(commit: commits[Int(occurrence.commit)].id, path: paths.path(occurrence.path)))
        }
        var newIDs: [GitObjectID] = []
        var newLists: [GitObjectID: [BlobOccurrence]] = [:]
        if let later {
            var memo: [UInt32: UInt32] = [:]
            for occurrence in later.occurrences {
                let id = later.blobIDs[Int(occurrence.blob)]
                let place = BlobOccurrence(
                    commit: commits[Int(occurrence.commit)].id,
                    path: later.paths.path(occurrence.path))
                guard let mine = blobIndex.find(id) else {
                    if newLists[id] == nil { newIDs.append(id) }
                    newLists[id, default: []].append(place)
                    continue
                }
                guard Int(mine) >= known else { continue }
                if let path = paths.translate(occurrence.path, from: later.paths, memo: &memo),
                    seenPairs.contains(UInt64(mine) << 32 | UInt64(path))
                {
                    continue
                }
                lists[Int(mine) - known].append(place)
            }
        }
        var out: [HistoryBlob] = []
        out.reserveCapacity(lists.count + newIDs.count)
        for (i, list) in lists.enumerated() where !list.isEmpty {
            out.append(HistoryBlob(id: blobIDs[known + i], introductions: list))
        }
        for id in newIDs { out.append(HistoryBlob(id: id, introductions: newLists[id]!)) }
        return out
    }

    /// This walk's warnings, then those of `later` about other objects or places.
    func warnings(then later: TreeWalker?) -> [GitWarning] {
        guard let later else { return warnings }
        let seen = Set(warnings.map { "\($0.object) \($0.path ?? "")" })
        return warnings + later.warnings.filter { !seen.contains("\($0.object) \($0.path ?? "")") }
    }
}
