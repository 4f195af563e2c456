import Foundation
import FuzzDriver

@testable import EskitGit

/// libFuzzer target: the pack reader (`EskitGit/Pack/`: `PackStore`, `PackIndex`, `PackFile` entry headers,
/// inflation, the delta format, `PackObjectCache`, `DeltaForest` + `TreeRebuild`, `PackedCommit`) on arbitrary
/// bytes, the way a history scan meets an untrusted repository's `objects/pack/`.
///
/// Input: one flag byte, then
/// - raw (flag bit 7 clear): a 4-byte big-endian length L, then L bytes of `.idx` and the rest as the `.pack`.
///   Flag bit 0 copies the index's pack checksum over the pack's trailer and bit 1 writes the index's object count
///   into the pack header, so mutations get past the pack's opening checks as well as test them.
/// - entries (flag bit 7 set): the pack's entries with their data uncompressed (see `assemble`); the target deflates
///   them and writes a matching index, so the fuzzer mutates delta instructions and object bytes directly (a
///   mutation of compressed bytes almost never survives zlib's checksum).
/// Both files are written to `objects/pack/` of a private folder and opened the way `GitRepository` opens them.
///
/// Checked: every object id the index lists is read by `PackObjectCache` (commits also parsed) and, for the whole
/// set, rebuilt delta tree by delta tree as `readBlobsInDeltaOrder` does; both readers must give the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 5 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let flags = input[0]
    let index: [UInt8]
    var pack: [UInt8]
    if flags & 0x80 != 0 {
        (index, pack) = assemble(ArraySlice(input[1...]))
    } else {
        let declared = Int(input[1]) << 24 | Int(input[2]) << 16 | Int(input[3]) << 8 | Int(input[4])
        let indexLength = min(declared, size - 5)
        index = Array(input[5..<(5 + indexLength)])
        pack = Array(input[(5 + indexLength)...])
        if flags & 1 != 0, index.count >= 40, pack.count >= 20 {
            pack.replaceSubrange((pack.count - 20)..., with: index[(index.count - 40)..<(index.count - 20)])
        }
        if flags & 2 != 0, pack.count >= 12, let count = listedCount(index) {
            pack.replaceSubrange(8..<12, with: bigEndian(UInt32(truncatingIfNeeded: count)))
        }
    }
    write(index, to: Workspace.stem + ".idx")
    write(pack, to: Workspace.stem + ".pack")
    let store = PackStore(objectsDirectory: Workspace.objects)
    guard !store.packs.isEmpty else { return 0 }
    let ids = listedIDs(index)
    let cache = PackObjectCache(store: store, limit: 8 << 20)
    var objects: [GitObjectID: [UInt8]] = [:]
    for id in ids {
        guard case .object(let object) = cache.lookup(id) else { continue }
        precondition((1...4).contains(object.type), "object of type \(object.type)")
        objects[id] = Array(object.bytes)
        if object.type == 1 { _ = PackedCommit.parse(id: id, object.bytes) }
    }
    rebuild(ids, store: store, expected: objects)
    return 0
}

/// `readBlobsInDeltaOrder`'s pack half: the delta forest of `ids`, each tree rebuilt depth first; every visited
/// blob must match what `PackObjectCache` read for its id.
private func rebuild(_ ids: [GitObjectID], store: PackStore, expected: [GitObjectID: [UInt8]]) {
    let forest = DeltaForest(ids: ids, store: store)
    let place = BlobOccurrence(commit: GitObjectID(hex: String(repeating: "0", count: 40))!, path: "file")
    let blobs = ids.map { HistoryBlob(id: $0, introductions: [place]) }
    let builder = TreeRebuild(
        forest: forest, store: store, blobs: blobs, include: { _, size in size <= 16 << 20 }, worker: 0,
        visitor: { content in
            let bytes = Array(content.bytes)
            if let known = expected[content.blob.id] {
                precondition(bytes == known, "the delta-order read and the object cache disagree")
            }
            if let delta = content.delta {
                for copy in delta.copies {
                    precondition(copy.target >= 0 && copy.length > 0, "empty or negative copy")
                    precondition(copy.target + copy.length <= bytes.count, "copy past the blob")
                }
            }
        })
    var summary = BlobReadSummary()
    for root in forest.roots {
        do { try builder.rebuild(root: root, into: &summary) } catch { fatalError("visitor threw") }
    }
}

/// A pack and its version 2 index from entries given uncompressed: each entry is a kind byte (its low 3 bits the
/// pack type: 1-4 whole, 6 offset delta, 7 reference delta, others kept as they are; bit 3: a 2-byte length), a
/// length byte n (two, big-endian, with bit 3) and n bytes of data; an offset delta then takes one more byte d
/// (its base: the entry d % i + 1 places before it) and a reference delta one byte b (its base: entry b % count,
/// by id). At most 64 entries. Entry i's id is i in its first two bytes, so the ids are sorted; the data is written
/// as stored deflate blocks.
private func assemble(_ input: ArraySlice<UInt8>) -> (index: [UInt8], pack: [UInt8]) {
    var entries: [(type: UInt8, data: ArraySlice<UInt8>, base: Int)] = []
    var p = input.startIndex
    while p + 2 <= input.endIndex, entries.count < 64 {
        let type = input[p] & 7
        let long = input[p] & 8 != 0 && p + 3 <= input.endIndex
        let count = long ? Int(input[p + 1]) << 8 | Int(input[p + 2]) : Int(input[p + 1])
        let start = p + (long ? 3 : 2)
        let end = min(input.endIndex, start + count)
        let data = input[start..<end]
        p = end
        var base = -1
        if type == 6 || type == 7, p < input.endIndex {
            base = Int(input[p])
            p += 1
        }
        entries.append((type, data, base))
    }
    func id(_ i: Int) -> [UInt8] { [UInt8(i >> 8), UInt8(i & 0xFF)] + [UInt8](repeating: 0x5A, count: 18) }
    var pack: [UInt8] = Array("PACK".utf8) + bigEndian(2) + bigEndian(UInt32(entries.count))
    var offsets: [Int] = []
    for (i, entry) in entries.enumerated() {
        offsets.append(pack.count)
        var size = entry.data.count
        var c = UInt8(entry.type << 4) | UInt8(size & 15)
        size >>= 4
        while size > 0 {
            pack.append(c | 0x80)
            c = UInt8(size & 0x7F)
            size >>= 7
        }
        pack.append(c)
        if entry.type == 6 {
            var distance = i == 0 ? pack.count : offsets[i] - offsets[i - 1 - (entry.base < 0 ? 0 : entry.base % i)]
            var encoded = [UInt8(distance & 0x7F)]
            distance >>= 7
            while distance > 0 {
                distance -= 1
                encoded.insert(UInt8(0x80 | (distance & 0x7F)), at: 0)
                distance >>= 7
            }
            pack += encoded
        } else if entry.type == 7 {
            pack += id(max(0, entry.base) % entries.count)
        }
        pack += zlibStored(entry.data)
    }
    let checksum = [UInt8](repeating: 0xC5, count: 20)
    pack += checksum
    var index: [UInt8] = [0xFF, 0x74, 0x4F, 0x63] + bigEndian(2)
    for first in 0..<256 { index += bigEndian(UInt32(min(entries.count, (first + 1) << 8))) }
    for i in entries.indices { index += id(i) }
    index += [UInt8](repeating: 0, count: 4 * entries.count)
    for offset in offsets { index += bigEndian(UInt32(offset)) }
    index += checksum + [UInt8](repeating: 0, count: 20)
    return (index, pack)
}

/// `bytes` as a zlib stream of stored (uncompressed) deflate blocks.
private func zlibStored(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var start = bytes.startIndex
    repeat {
        let end = min(bytes.endIndex, start + 0xFFFF)
        let n = end - start
        out += [end == bytes.endIndex ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8 & 0xFF)]
        out += bytes[start..<end]
        start = end
    } while start < bytes.endIndex
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    return out + bigEndian(b << 16 | a)
}

/// The number of objects the index says it lists (fan-out entry 255), when it has a fan-out table.
private func listedCount(_ index: [UInt8]) -> Int? {
    let v2 = index.count >= 8 && index[0..<4] == [0xFF, 0x74, 0x4F, 0x63]
    let fanout = v2 ? 8 : 0
    guard index.count >= fanout + 1024 else { return nil }
    return Int(index[fanout + 1020]) << 24 | Int(index[fanout + 1021]) << 16 | Int(index[fanout + 1022]) << 8
        | Int(index[fanout + 1023])
}

/// The object ids the index lists (at most 512, only those inside the file), read independently of `PackIndex`.
private func listedIDs(_ index: [UInt8]) -> [GitObjectID] {
    guard let count = listedCount(index) else { return [] }
    let v2 = index.count >= 8 && index[0..<4] == [0xFF, 0x74, 0x4F, 0x63]
    let start = v2 ? 8 + 1024 : 1024 + 4
    let stride = v2 ? 20 : 24
    var ids: [GitObjectID] = []
    index.withUnsafeBytes { raw in
        for i in 0..<min(count, 512) where start + i * stride + 20 <= index.count {
            ids.append(GitObjectID(raw: raw.baseAddress! + start + i * stride))
        }
    }
    return ids
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// A private objects folder (in /dev/shm when there is one), made once per process.
private enum Workspace {
    static let objects: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = "\(base)/eskit-fuzz-pack-\(getpid())/objects"
        try? FileManager.default.createDirectory(atPath: folder + "/pack", withIntermediateDirectories: true)
        atexit {
            try? FileManager.default.removeItem(atPath: (Workspace.objects as NSString).deletingLastPathComponent)
        }
        return folder
    }()
    static let stem = objects + "/pack/pack-fuzz"
}

private func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
            precondition(n > 0, "short write to \(path)")
            done += n
        }
    }
    close(fd)
}

/// Runs libFuzzer over `fuzzPack` (see `FuzzDriver`).
@main enum Main {
    static func main() { FuzzDriver.run(fuzzPack) }
}
