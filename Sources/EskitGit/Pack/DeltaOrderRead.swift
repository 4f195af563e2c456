import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a blob's bytes were rebuilt from another blob of the same read (its delta base in the pack).
public struct BlobDelta: Sendable {
    /// A run of bytes copied unchanged from the base: `base[source ..< source + length]` is
    /// `bytes[target ..< target + length]`.
    public struct Copy: Sendable, Equatable {
        public var source: Int
        public var target: Int
        public var length: Int
    }

    /// The base blob, handed to the visitor earlier on the same thread (the read is depth first).
    public let base: GitObjectID
    /// The copied runs in target order, each as long as possible (the delta's copy instructions, at most 64 KiB
    /// each, joined where they continue one another); every other byte of the blob was inserted by the delta.
    public let copies: [Copy]
}

extension BlobHistory {
    /// Phase 2 straight from the packs: reads every blob once like `readBlobs(workers:include:_:)`, but rebuilds
    /// packed blobs itself, delta tree by delta tree (each pack entry inflated once, each delta applied to its
    /// base's bytes still in memory), so long delta chains cost what their compressed size costs. Blobs no pack
    /// holds (loose objects) or whose pack entries are damaged are read through libgit2 afterwards, with the same
    /// warnings as `readBlobs`.
    ///
    /// A blob rebuilt from a delta whose base is another blob of this read comes with `BlobContent.delta`: the
    /// base was visited before it on the same thread, so a visitor can reuse what it learnt from the base. Trees
    /// are spread over `workers` threads; `include` and `visitor` run concurrently and must be thread-safe
    /// (`BlobContent.worker` tells which thread calls, for state kept per thread).
    /// `include` is asked before a blob is rebuilt; a blob it turns down is still rebuilt when other blobs are
    /// deltas of it, but never visited.
    public func readBlobsInDeltaOrder(
        workers: Int = BlobHistory.defaultWorkers,
        include: (@Sendable (HistoryBlob, Int) -> Bool)? = nil,
        _ visitor: @Sendable (BlobContent) throws -> Void
    ) throws -> BlobReadSummary {
        let repository = try GitRepository(path: gitDir)
        let store = repository.packStore
        let blobs = self.blobs
        let forest = DeltaForest(ids: blobs.map(\.id), store: store)
        let state = DeltaReadState(roots: forest.roots.count, unpacked: forest.unpacked.count)
        let threads = max(1, min(workers, forest.roots.count + forest.unpacked.count))
        let gitDir = self.gitDir
        withoutActuallyEscaping(visitor) { visitor in
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                let builder = TreeRebuild(
                    forest: forest, store: store, blobs: blobs, include: include,
                    worker: worker, visitor: visitor)
                state.finish(Self.work(builder, state: state, forest: forest, gitDir: gitDir))
            }
        }
        withExtendedLifetime(repository) {}
        if let error = state.error { throw error }
        var summary = state.summary
        for i in forest.looping {
            let blob = blobs[i]
            let first = blob.firstAppearance
            summary.warnings.append(.deltaLoop(blob.id, commit: first.commit, path: first.path))
        }
        return summary
    }

    /// One reader thread: trees until none is left, then the blobs to read through libgit2.
    private static func work(
        _ builder: TreeRebuild, state: DeltaReadState, forest: DeltaForest,
        gitDir: String
    ) -> BlobReadSummary {
        var summary = BlobReadSummary()
        do {
            while let r = state.nextRoot() {
                try builder.rebuild(root: forest.roots[r], into: &summary)
            }
            var fallback = builder.damaged
            builder.damaged.removeAll()
            if state.hasUnpacked || (!fallback.isEmpty && !state.isFailed) {
                let handle = try GitRepository(path: gitDir)
                let reader = try BlobReader(repository: handle.pointer)
                while let k = state.nextUnpacked() { fallback.append((forest.unpacked[k], true)) }
                for (i, ask) in fallback where !state.isFailed {
                    try reader.read(
                        builder.blobs[i], include: ask ? builder.include : nil, into: &summary,
                        worker: builder.worker, builder.visitor)
                }
                withExtendedLifetime(handle) {}
            }
        } catch {
            state.fail(error)
        }
        return summary
    }
}

/// One thread's depth-first rebuild of delta trees.
final class TreeRebuild {
    private let forest: DeltaForest
    private let store: PackStore
    let blobs: [HistoryBlob]
    let include: ((HistoryBlob, Int) -> Bool)?
    let visitor: (BlobContent) throws -> Void
    /// This thread's index, handed to the visitor.
    let worker: Int
    private let inflater = Inflater()
    /// Wanted blobs (by index) under damaged entries, to read through libgit2 afterwards, and whether `include`
    /// still has to be asked about them.
    var damaged: [(blob: Int, ask: Bool)] = []

    init(
        forest: DeltaForest, store: PackStore, blobs: [HistoryBlob], include: ((HistoryBlob, Int) -> Bool)?,
        worker: Int, visitor: @escaping (BlobContent) throws -> Void
    ) {
        self.worker = worker
        self.forest = forest
        self.store = store
        self.blobs = blobs
        self.include = include
        self.visitor = visitor
    }

    /// A rebuilt object's bytes (malloc'd) and whether it was visited.
    private struct Built {
        var bytes: UnsafeMutableRawBufferPointer
        var visited: Bool
    }

    /// Bytes inflated since the packs' pages were last dropped from resident memory.
    private var inflatedSinceRelease = 0

    func rebuild(root: Int32, into summary: inout BlobReadSummary) throws {
        if inflatedSinceRelease > 64 << 20 {
            for pack in store.packs { pack.releaseResidentPages() }
            inflatedSinceRelease = 0
        }
        let node = forest.nodes[Int(root)]
        inflatedSinceRelease += node.entry.size
        let pack = store.packs[Int(node.pack)]
        let wanted = node.wanted >= 0 ? blobs[Int(node.wanted)] : nil
        let admitted = wanted.map { admit($0, size: node.entry.size, into: &summary) } ?? false
        guard admitted || node.firstChild >= 0 else { return }
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, node.entry.size), alignment: 16)
        let view = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<node.entry.size])
        guard pack.inflate(node.entry, into: view, using: inflater) else {
            bytes.deallocate()
            abandon(root, decided: admitted)
            return
        }
        var stack: [(node: Int32, bytes: UnsafeMutableRawBufferPointer, size: Int, visited: Bool, next: Int32)] =
            [(root, bytes, node.entry.size, admitted, node.firstChild)]
        defer { for frame in stack { frame.bytes.deallocate() } }
        if admitted, let wanted { try visit(wanted, UnsafeRawBufferPointer(view), delta: nil, into: &summary) }
        while let top = stack.last {
            let child = top.next
            guard child >= 0 else {
                stack.removeLast().bytes.deallocate()
                continue
            }
            let childNode = forest.nodes[Int(child)]
            stack[stack.count - 1].next = childNode.nextSibling
            let base = UnsafeRawBufferPointer(rebasing: top.bytes[0..<top.size])
            guard
                let built = try apply(
                    child, childNode, base: base,
                    baseBlob: top.visited ? blobs[Int(forest.nodes[Int(top.node)].wanted)].id : nil,
                    into: &summary)
            else { continue }
            if childNode.nextSibling < 0 { stack.removeLast().bytes.deallocate() }
            if childNode.firstChild >= 0 {
                stack.append((child, built.bytes, built.size, built.visited, childNode.firstChild))
            } else {
                built.bytes.deallocate()
            }
        }
    }

    /// Inflates `node`'s delta, rebuilds it on `base` when it is wanted and admitted or has deltas of its own, and
    /// visits it; nil when it need not be kept (or is damaged: its wanted blobs go to `damaged`).
    private func apply(
        _ index: Int32, _ node: DeltaForest.Node, base: UnsafeRawBufferPointer, baseBlob: GitObjectID?,
        into summary: inout BlobReadSummary
    ) throws
        -> (bytes: UnsafeMutableRawBufferPointer, size: Int, visited: Bool)?
    {
        let pack = store.packs[Int(node.pack)]
        inflatedSinceRelease += node.entry.size
        guard let (delta, result) = pack.delta(node.entry, using: inflater),
            Delta.admits(delta, baseCount: base.count, claimed: result)
        else {
            abandon(index, decided: nil)
            return nil
        }
        let wanted = node.wanted >= 0 ? blobs[Int(node.wanted)] : nil
        let admitted = wanted.map { admit($0, size: result, into: &summary) } ?? false
        guard admitted || node.firstChild >= 0 else { return nil }
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, result), alignment: 16)
        let view = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<result])
        var copies: [BlobDelta.Copy] = []
        let record = admitted && baseBlob != nil
        let applied = Delta.apply(delta, base: base, into: view, record: record, copies: &copies)
        guard applied else {
            bytes.deallocate()
            abandon(index, decided: admitted)
            return nil
        }
        if admitted, let wanted {
            let info = baseBlob.map { BlobDelta(base: $0, copies: copies) }
            do {
                try visit(wanted, UnsafeRawBufferPointer(view), delta: info, into: &summary)
            } catch {
                bytes.deallocate()
                throw error
            }
        }
        return (bytes, result, admitted)
    }

    private func admit(_ blob: HistoryBlob, size: Int, into summary: inout BlobReadSummary) -> Bool {
        guard let include, !include(blob, size) else { return true }
        summary.skipped += 1
        return false
    }

    private func visit(
        _ blob: HistoryBlob, _ bytes: UnsafeRawBufferPointer, delta: BlobDelta?,
        into summary: inout BlobReadSummary
    ) throws {
        let binary = bytes.count > 0 && memchr(bytes.baseAddress!, 0, min(bytes.count, 8000)) != nil
        summary.blobs += 1
        summary.bytes += bytes.count
        try visitor(BlobContent(blob: blob, bytes: bytes, isBinary: binary, delta: delta, worker: worker))
    }

    /// Sends the wanted blobs of `index`'s tree to `damaged` (read through libgit2, which reports what it cannot
    /// read). `decided` is what `include` already said about `index` itself (nil: not asked yet); a blob it
    /// turned down stays skipped.
    private func abandon(_ index: Int32, decided: Bool?) {
        var stack = [index]
        while let n = stack.popLast() {
            let node = forest.nodes[Int(n)]
            if node.wanted >= 0 {
                if n != index || decided == nil {
                    damaged.append((Int(node.wanted), true))
                } else if decided == true {
                    damaged.append((Int(node.wanted), false))
                }
            }
            var child = node.firstChild
            while child >= 0 {
                stack.append(child)
                child = forest.nodes[Int(child)].nextSibling
            }
        }
    }
}

/// Shared cursor over roots and unpacked blobs, the first error and the merged summary.
final class DeltaReadState: @unchecked Sendable {
    private let lock = PthreadLock()
    private let roots: Int
    private let unpacked: Int
    private var nextRootIndex = 0
    private var nextUnpackedIndex = 0
    private(set) var error: (any Error)?
    private(set) var summary = BlobReadSummary()

    init(roots: Int, unpacked: Int) {
        self.roots = roots
        self.unpacked = unpacked
    }

    var isFailed: Bool { lock.locked { error != nil } }

    var hasUnpacked: Bool { lock.locked { error == nil && nextUnpackedIndex < unpacked } }

    func nextRoot() -> Int? {
        lock.locked {
            guard error == nil, nextRootIndex < roots else { return nil }
            defer { nextRootIndex += 1 }
            return nextRootIndex
        }
    }

    func nextUnpacked() -> Int? {
        lock.locked {
            guard error == nil, nextUnpackedIndex < unpacked else { return nil }
            defer { nextUnpackedIndex += 1 }
            return nextUnpackedIndex
        }
    }

    func fail(_ error: any Error) {
        lock.locked { if self.error == nil { self.error = error } }
    }

    func finish(_ part: BlobReadSummary) {
        lock.locked { summary.add(part) }
    }
}
