internal import CGit2
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blob's bytes handed to a visitor. `bytes` is borrowed from libgit2 and valid only during the visitor call:
/// copy what you keep.
public struct BlobContent {
    public let blob: HistoryBlob
    public let bytes: UnsafeRawBufferPointer
    /// True when the first 8,000 bytes hold a NUL byte (git's own binary test).
    public let isBinary: Bool
    /// How the bytes were rebuilt from an earlier visited blob (`readBlobsInDeltaOrder` only); nil otherwise.
    public let delta: BlobDelta?
    /// The reader thread visiting the blob, `0 ..< workers` (`readBlobsInDeltaOrder`; 0 otherwise): a visitor
    /// may keep state per worker without locking, and a blob's delta base was visited by the same worker.
    public let worker: Int
    public var size: Int { bytes.count }

    init(blob: HistoryBlob, bytes: UnsafeRawBufferPointer, isBinary: Bool, delta: BlobDelta? = nil, worker: Int = 0) {
        self.blob = blob
        self.bytes = bytes
        self.isBinary = isBinary
        self.delta = delta
        self.worker = worker
    }
}

/// What a blob read did.
public struct BlobReadSummary: Sendable, Equatable {
    /// Blobs handed to the visitor.
    public var blobs = 0
    /// Their total size in bytes.
    public var bytes = 0
    /// Blobs the `include` predicate turned down (never read in full).
    public var skipped = 0
    /// Blobs that could not be read (missing or damaged), skipped.
    public var warnings: [GitWarning] = []

    public init() {}

    mutating func add(_ other: BlobReadSummary) {
        blobs += other.blobs
        bytes += other.bytes
        skipped += other.skipped
        warnings += other.warnings
    }
}

extension GitRepository {
    /// Phase 2, on this handle and thread: reads each blob of `history` once and hands its bytes to `visitor`.
    ///
    /// Blobs are visited newest first, the reverse of `history.blobs`: packs store recent versions whole and older
    /// ones as deltas, so this order reads fastest (measured). First appearance is metadata, not visit order.
    /// `include`, when given, is called first with the blob and its size (read from the object header only), and a
    /// `false` skips the blob without reading it.
    /// A blob that cannot be read becomes a warning in the summary; an error thrown by `visitor` stops the read.
    public func readBlobs(
        of history: BlobHistory, include: ((HistoryBlob, Int) -> Bool)? = nil,
        _ visitor: (BlobContent) throws -> Void
    ) throws -> BlobReadSummary {
        let reader = try BlobReader(repository: pointer)
        var summary = BlobReadSummary()
        for blob in history.blobs.reversed() {
            try reader.read(blob, include: include, into: &summary, visitor)
        }
        return summary
    }
}

extension BlobHistory {
    /// The number of worker threads `readBlobs(workers:)` uses by default: the active processor count.
    public static var defaultWorkers: Int { max(1, Processors.active) }

    /// Phase 2 in parallel: `workers` threads, each with its own repository handle opened at `gitDir`, read every
    /// blob once and call `include` and `visitor` concurrently (so they must be thread-safe). Work is handed out in
    /// runs of consecutive blobs, newest first; visit order across workers is not defined. The first error (from
    /// opening a handle or from `visitor`) stops every worker and is rethrown. With one worker this is
    /// `GitRepository.readBlobs(of:include:_:)` on a fresh handle. On a 2-vCPU machine raw reading gains nothing
    /// from a second worker (measured); the default pays off when `visitor` does CPU-heavy work such as scanning.
    public func readBlobs(
        workers: Int = BlobHistory.defaultWorkers,
        include: (@Sendable (HistoryBlob, Int) -> Bool)? = nil,
        _ visitor: @Sendable (BlobContent) throws -> Void
    ) throws -> BlobReadSummary {
        let workers = max(1, min(workers, blobs.count))
        if workers == 1 {
            return try GitRepository(path: gitDir).readBlobs(of: self, include: include, visitor)
        }
        let state = ParallelReadState()
        let chunk = max(1, min(256, blobs.count / (workers * 4)))
        let blobs = self.blobs
        let gitDir = self.gitDir
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var summary = BlobReadSummary()
            do {
                let repository = try GitRepository(path: gitDir)
                let reader = try BlobReader(repository: repository.pointer)
                while let start = state.next(chunk, limit: blobs.count) {
                    for k in start..<min(start + chunk, blobs.count) {
                        try reader.read(blobs[blobs.count - 1 - k], include: include, into: &summary, visitor)
                    }
                }
                withExtendedLifetime(repository) {}
            } catch {
                state.fail(error)
            }
            state.finish(summary)
        }
        if let error = state.error { throw error }
        return state.summary
    }
}

/// Reads blobs through one repository's object database (one per thread).
final class BlobReader {
    private let odb: OpaquePointer

    init(repository: OpaquePointer) throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository), "git_repository_odb")
        self.odb = odb!
    }

    deinit { git_odb_free(odb) }

    func read(
        _ blob: HistoryBlob, include: ((HistoryBlob, Int) -> Bool)?, into summary: inout BlobReadSummary,
        worker: Int = 0, _ visitor: (BlobContent) throws -> Void
    ) throws {
        var oid = blob.id.oid
        if let include {
            var size = 0
            var type = GIT_OBJECT_INVALID
            let rc = git_odb_read_header(&size, &type, odb, &oid)
            if rc < 0 {
                summary.warnings.append(warning(blob, rc, call: "git_odb_read_header"))
                return
            }
            guard include(blob, size) else {
                summary.skipped += 1
                return
            }
        }
        var object: OpaquePointer?
        let rc = git_odb_read(&object, odb, &oid)
        if rc < 0 {
            summary.warnings.append(warning(blob, rc, call: "git_odb_read"))
            return
        }
        defer { git_odb_object_free(object) }
        let size = git_odb_object_size(object)
        let bytes = UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size)
        let binary = size > 0 && memchr(bytes.baseAddress!, 0, min(size, 8000)) != nil
        summary.blobs += 1
        summary.bytes += size
        try visitor(BlobContent(blob: blob, bytes: bytes, isBinary: binary, worker: worker))
    }

    private func warning(_ blob: HistoryBlob, _ rc: Int32, call: StaticString) -> GitWarning {
        let error = GitError.last(call: call, code: rc, subject: blob.id.hex)
        return GitWarning(
            kind: rc == GIT_ENOTFOUND.rawValue ? .missingBlob : .unreadableObject, object: blob.id,
            commit: blob.firstAppearance.commit, path: blob.firstAppearance.path,
            message: "\(call): \(error.message)")
    }
}

/// Shared state of a parallel read: the next run of blobs to hand out, the first error, the merged summary.
private final class ParallelReadState: @unchecked Sendable {
    private let lock = PthreadLock()
    private var cursor = 0
    private(set) var error: (any Error)?
    private(set) var summary = BlobReadSummary()

    func next(_ chunk: Int, limit: Int) -> Int? {
        lock.locked {
            guard error == nil, cursor < limit else { return nil }
            defer { cursor += chunk }
            return cursor
        }
    }

    func fail(_ error: any Error) {
        lock.locked { if self.error == nil { self.error = error } }
    }

    func finish(_ part: BlobReadSummary) {
        lock.locked { summary.add(part) }
    }
}

/// A pthread mutex (no Foundation needed).
final class PthreadLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

enum Processors {
    static var active: Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
