import EskitGit

#if canImport(Glibc)
import Glibc
#endif

/// `eskit-bench git-blobs REPO [--workers N] [--passes P] [--delta-order]`: walks all refs, reads every distinct
/// blob once (through libgit2, or with `--delta-order` straight from the packs, delta tree by delta tree) and
/// touches every byte (P times, to stand in for a scanner's per-byte work); prints commits, blobs, bytes, an
/// order-independent checksum, seconds, MB/s and warnings.
func benchGitBlobs(_ arguments: [String]) -> Int32 {
    var repositoryPath: String?
    var workers = 1
    var passes = 1
    var deltaOrder = false
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--workers", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
            workers = n
            i += 2
        } else if arguments[i] == "--passes", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
            passes = n
            i += 2
        } else if arguments[i] == "--delta-order" {
            deltaOrder = true
            i += 1
        } else if repositoryPath == nil, !arguments[i].hasPrefix("-") {
            repositoryPath = arguments[i]
            i += 1
        } else {
            print("usage: eskit-bench git-blobs REPO [--workers N] [--passes P] [--delta-order]")
            return 2
        }
    }
    guard let repositoryPath else {
        print("usage: eskit-bench git-blobs REPO [--workers N] [--passes P] [--delta-order]")
        return 2
    }
    let start = monotonicSeconds()
    do {
        let repository = try GitRepository(discoveringFrom: repositoryPath)
        let history = try repository.blobHistory(.all)
        let walked = monotonicSeconds()
        let sum = ByteSum()
        let passes = passes
        let summary: BlobReadSummary
        if deltaOrder {
            summary = try history.readBlobsInDeltaOrder(workers: workers) { sum.add($0.bytes, passes: passes) }
        } else if workers == 1 {
            summary = try repository.readBlobs(of: history) { sum.add($0.bytes, passes: passes) }
        } else {
            summary = try history.readBlobs(workers: workers) { sum.add($0.bytes, passes: passes) }
        }
        let seconds = monotonicSeconds() - start
        let megabytes = Double(summary.bytes) / 1_000_000
        let introductions = history.blobs.reduce(0) { $0 + $1.introductions.count }
        print(
            "commits=\(history.commits.count) blobs=\(summary.blobs) introductions=\(introductions) "
                + "bytes=\(summary.bytes) checksum=\(sum.value)"
                + " warnings=\(history.warnings.count + summary.warnings.count) workers=\(workers) passes=\(passes)"
                + (deltaOrder ? " delta-order" : ""))
        print(
            "walk_seconds=\(formatMilli(walked - start)) seconds=\(formatMilli(seconds)) "
                + "MB/s=\(formatMilli(megabytes / seconds))"
        )
        for warning in (history.warnings + summary.warnings).prefix(10) { print("warning: \(warning)") }
        return 0
    } catch {
        print("git-blobs: \(error)")
        return 1
    }
}

/// A byte checksum shared by reader threads (wrapping sum, so every byte is read).
private final class ByteSum: @unchecked Sendable {
    private var total: UInt64 = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    var value: UInt64 { total }

    func add(_ bytes: UnsafeRawBufferPointer, passes: Int) {
        var local: UInt64 = 0
        for pass in 0..<passes {
            for byte in bytes { local = (local &+ UInt64(byte)) ^ UInt64(pass) }
        }
        pthread_mutex_lock(mutex)
        total &+= local
        pthread_mutex_unlock(mutex)
    }
}
