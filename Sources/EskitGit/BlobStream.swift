internal import CGit2
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `GitRepository.streamBlobs` did: the complete walk (every blob with all its introductions) and the read.
public struct BlobStreamResult: Sendable {
    /// The same value `blobHistory(_:)` returns for the selection.
    public let history: BlobHistory
    /// What the read did, summed over the workers.
    public let summary: BlobReadSummary
}

extension GitRepository {
    /// Walks the selection and reads its blobs at the same time: one thread walks commits and trees oldest first
    /// and publishes each blob as soon as the walk meets it first (in batches), while `workers` reader threads (each
    /// with its own repository handle) read the published blobs and call `include` and `visitor` concurrently, as
    /// `BlobHistory.readBlobs(workers:include:_:)` does; each reader takes the newest published blobs first.
    ///
    /// The `HistoryBlob` handed to `include` and `visitor` carries only its first introduction, which is exact (the
    /// walk is oldest first); later introductions are found after the blob was read, so take them from
    /// `result.history` (same ids) once this returns. `progress`, when given, is called by the walking thread (never
    /// concurrently with itself) after each walked commit with (commits walked, commits selected, blobs found so
    /// far). A walk error or the first error thrown by `visitor` (or from opening a reader) stops every thread and
    /// is rethrown.
    public func streamBlobs(_ selection: CommitSelection = .all, workers: Int = BlobHistory.defaultWorkers,
                            progress: ((_ walked: Int, _ total: Int, _ published: Int) -> Void)? = nil,
                            include: (@Sendable (HistoryBlob, Int) -> Bool)? = nil,
                            _ visitor: @Sendable (BlobContent) throws -> Void) throws -> BlobStreamResult {
        let walk = try walkCommits(selection)
        let walker = try TreeWalker(repository: pointer)
        walker.warnings = walk.warnings
        for (id, tree) in zip(walk.boundary, walk.boundaryTrees) {
            try walker.walk(tree: tree, commit: .max, commitID: id)
        }
        let known = walker.blobIDs.count
        walker.collectsDiscoveries = true
        let queue = BlobQueue()
        let gitDir = self.gitDir
        let job = StreamWalk(walk: walk, walker: walker, progress: progress)
        let readers = max(1, workers)
        DispatchQueue.concurrentPerform(iterations: readers + 1) { index in
            if index == 0 {
                job.run(publishingTo: queue)
                return
            }
            var summary = BlobReadSummary()
            do {
                let repository = try GitRepository(path: gitDir)
                let reader = try BlobReader(repository: repository.pointer)
                var batch: [HistoryBlob] = []
                while queue.take(into: &batch, readers: readers) {
                    for blob in batch {
                        try reader.read(blob, include: include, into: &summary, visitor)
                    }
                }
                withExtendedLifetime(repository) {}
            } catch {
                queue.fail(error)
            }
            queue.finish(summary)
        }
        if let error = queue.error { throw error }
        let history = BlobHistory(commits: walk.commits, blobs: walker.blobs(after: known, commits: walk.commits),
                                  warnings: walker.warnings, isShallow: isShallow, gitDir: gitDir)
        return BlobStreamResult(history: history, summary: queue.summary)
    }
}

/// The walk handed to the one `concurrentPerform` thread that runs it while the calling thread waits.
private final class StreamWalk: @unchecked Sendable {
    private let walk: CommitWalk
    private let walker: TreeWalker
    private let progress: ((Int, Int, Int) -> Void)?

    init(walk: CommitWalk, walker: TreeWalker, progress: ((Int, Int, Int) -> Void)?) {
        self.walk = walk
        self.walker = walker
        self.progress = progress
    }

    /// Blobs published at once: fewer wake-ups of the readers, still far less than the history.
    static let batch = 128

    func run(publishingTo queue: BlobQueue) {
        defer { queue.close() }
        var pending: [HistoryBlob] = []
        var published = 0
        for (i, tree) in walk.trees.enumerated() {
            guard !queue.isFailed else { return }
            do {
                try walker.walk(tree: tree, commit: UInt32(i), commitID: walk.commits[i].id)
            } catch {
                queue.fail(error)
                return
            }
            pending += walker.takeDiscoveries(commits: walk.commits)
            if pending.count >= Self.batch || i == walk.trees.count - 1 {
                published = queue.publish(pending)
                pending.removeAll(keepingCapacity: true)
            }
            progress?(i + 1, walk.trees.count, published + pending.count)
        }
    }
}

/// The blobs the walk has published and the readers' cursor into them, guarded by one mutex and condition.
private final class BlobQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var blobs: [HistoryBlob] = []
    private var published = 0
    private var closed = false
    private(set) var error: (any Error)?
    private(set) var summary = BlobReadSummary()

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    var count: Int { locked { published } }

    var isFailed: Bool { locked { error != nil } }

    func publish(_ found: [HistoryBlob]) -> Int {
        locked {
            blobs += found
            published += found.count
            pthread_cond_broadcast(condition)
            return published
        }
    }

    /// Waits for published blobs and moves a share of them into `batch`, newest first (packs store recent versions
    /// whole and older ones as deltas against them, so this reads fastest); false when the walk is over and every
    /// blob was handed out, or after a failure.
    func take(into batch: inout [HistoryBlob], readers: Int) -> Bool {
        batch.removeAll(keepingCapacity: true)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while error == nil, blobs.isEmpty, !closed { pthread_cond_wait(condition, mutex) }
        guard error == nil, !blobs.isEmpty else { return false }
        let share = closed ? min(256, max(1, blobs.count / (readers * 4))) : min(64, max(1, blobs.count / readers))
        batch.append(contentsOf: blobs[(blobs.count - share)...].reversed())
        blobs.removeLast(share)
        return true
    }

    func close() {
        locked {
            closed = true
            pthread_cond_broadcast(condition)
        }
    }

    func fail(_ error: any Error) {
        locked {
            if self.error == nil { self.error = error }
            pthread_cond_broadcast(condition)
        }
    }

    func finish(_ part: BlobReadSummary) {
        locked { summary.add(part) }
    }
}
