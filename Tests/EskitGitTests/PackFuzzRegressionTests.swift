import Foundation
import TestSupport
import Testing

@testable import EskitGit

/// Pack inputs the fuzzer (bench/fuzz.sh, pack target) found to crash the reader, each rebuilt here from a real
/// pack: damage must read as damage (the object goes to libgit2, which reports it), never as a trap.
@Suite("Pack reader: inputs found by fuzzing")
struct PackFuzzRegressionTests {
    /// A repository with one pack of a few objects; returns the pack's path without `.pack` / `.idx`.
    static func packed(_ repo: GitRepoBuilder) throws -> String {
        try repo.commit("one", files: ["a.yaml": "a: 1\n", "b/c.yaml": "c: 2\n"])
        try repo.git(["repack", "-adq"])
        let folder = repo.root.appendingPathComponent(".git/objects/pack")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".pack") })
        return folder.appendingPathComponent(String(name.dropLast(5))).path
    }

    /// The object ids a version 2 index lists.
    static func ids(_ index: [UInt8]) -> [GitObjectID] {
        let count = index[8 + 1020..<8 + 1024].reduce(0) { $0 << 8 | Int($1) }
        return (0..<count).map { i in index.withUnsafeBytes { GitObjectID(raw: $0.baseAddress! + 8 + 1024 + i * 20) } }
    }

    /// Crash `crash-e631319d`: a version 2 index whose 64-bit offset table holds a value above Int.max trapped
    /// converting it (`Int(UInt64)`). Such an offset is no offset: the object is not read from the pack.
    @Test func aLargeOffsetAboveIntMaxIsNoOffset() throws {
        let repo = try GitRepoBuilder()
        let stem = try Self.packed(repo)
        try FileManager.default.removeItem(atPath: stem + ".idx")
        try repo.git(["index-pack", "--index-version=2,0", stem + ".pack"])
        var index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stem + ".idx")))
        let ids = Self.ids(index)
        try #require(ids.count >= 5)
        let offsets = 8 + 1024 + ids.count * 24
        let large = offsets + ids.count * 4
        for i in 0..<ids.count {
            // Every entry must point into the 64-bit table for the damage to reach it.
            try #require(index[offsets + i * 4] & 0x80 != 0)
            let slot =
                Int(index[offsets + i * 4] & 0x7F) << 24 | Int(index[offsets + i * 4 + 1]) << 16
                | Int(index[offsets + i * 4 + 2]) << 8 | Int(index[offsets + i * 4 + 3])
            index[large + slot * 8] |= 0x80
        }
        try Data(index).write(to: URL(fileURLWithPath: stem + ".idx"))

        let store = PackStore(objectsDirectory: repo.root.appendingPathComponent(".git/objects").path)
        #expect(store.packs.count == 1)
        let cache = PackObjectCache(store: store)
        for id in ids {
            #expect(store.locate(id) == nil)
            guard case .notPacked = cache.lookup(id) else {
                Issue.record("\(id) read from a damaged offset")
                continue
            }
        }
    }

    /// A version 2 index for a pack git cannot index itself: entry i gets the id `i` (first two bytes), so the ids
    /// are sorted, at `offsets[i]`.
    static func index(offsets: [Int], pack: [UInt8]) -> (index: [UInt8], ids: [GitObjectID]) {
        func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) } }
        let ids = offsets.indices.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] + [UInt8](repeating: 0x5A, count: 18) }
        var index: [UInt8] = [0xFF, 0x74, 0x4F, 0x63] + bigEndian(2)
        for _ in 0..<256 { index += bigEndian(offsets.count) }
        for id in ids { index += id }
        index += [UInt8](repeating: 0, count: 4 * offsets.count)
        for offset in offsets { index += bigEndian(offset) }
        index += pack.suffix(20) + [UInt8](repeating: 0, count: 20)
        return (index, ids.map { id in id.withUnsafeBytes { GitObjectID(raw: $0.baseAddress!) } })
    }

    /// Crash `oom-d6a717f4`: a delta whose header claims a result far larger than its instructions write (6 GB
    /// from 1.5 KB there) was allocated at the claimed size before its instructions were read. Here the claim is
    /// 1 TiB, from a 262 KiB delta (within the header's own bound of 4 MiB per instruction byte): both readers must
    /// call the entry damaged without allocating it.
    @Test func aDeltaClaimingMoreThanItsInstructionsWriteIsDamaged() throws {
        let repo = try GitRepoBuilder()
        let base = Array("apiVersion: v1\nkind: ConfigMap\n".utf8)
        let inserts = (0..<2100).map { _ in PackWriter.insert([UInt8](repeating: 0x61, count: 127)) }
        let claim = 1 << 40
        let delta = PackWriter.delta(
            base: base.count, result: claim, [PackWriter.copy(offset: 0, length: base.count)] + inserts)
        try #require((delta.count - 8) << 22 >= claim)
        let pack = try PackWriter.bytes([.blob(base), .offsetDelta(base: 0, delta)])
        let second = try PackWriter.bytes([.blob(base)]).count - 20
        let (index, ids) = Self.index(offsets: [12, second], pack: pack)
        let folder = repo.root.appendingPathComponent(".git/objects/pack")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(pack).write(to: folder.appendingPathComponent("pack-forged.pack"))
        try Data(index).write(to: folder.appendingPathComponent("pack-forged.idx"))

        let store = PackStore(objectsDirectory: repo.root.appendingPathComponent(".git/objects").path)
        try #require(store.packs.count == 1)
        let cache = PackObjectCache(store: store)
        guard case .object(let object) = cache.lookup(ids[0]) else {
            Issue.record("the base blob is not read")
            return
        }
        #expect(Array(object.bytes) == base)
        guard case .damaged = cache.lookup(ids[1]) else {
            Issue.record("the forged delta is not called damaged")
            return
        }

        let forest = DeltaForest(ids: ids, store: store)
        let place = BlobOccurrence(commit: ids[0], path: "file")
        let visited = LockedIDs()
        let rebuild = TreeRebuild(
            forest: forest, store: store, blobs: ids.map { HistoryBlob(id: $0, introductions: [place]) },
            include: nil, worker: 0, visitor: { visited.add($0.blob.id) })
        var summary = BlobReadSummary()
        for root in forest.roots { try rebuild.rebuild(root: root, into: &summary) }
        #expect(visited.ids == [ids[0]])
        #expect(rebuild.damaged.map(\.blob) == [1])
    }
}

/// Ids a visitor saw, in order.
private final class LockedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [GitObjectID] = []
    func add(_ id: GitObjectID) { lock.withLock { seen.append(id) } }
    var ids: [GitObjectID] { lock.withLock { seen } }
}
