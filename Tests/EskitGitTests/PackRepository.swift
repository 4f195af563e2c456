import Foundation
import TestSupport

@testable import EskitGit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A repository with many versions of several files (small YAML, a >64 KiB manifest, an >64 KiB binary file, an
/// empty file, CRLF text), for reading its blobs straight from the packs git writes for it.
struct PackRepository {
    let builder: GitRepoBuilder
    var root: URL { builder.root }
    private var noise: Noise
    private var manifest: [String]
    private var binary: [UInt8]
    private var config: [String]
    private var crlf: [String]
    private var version = 0

    init(versions: Int = 14) throws {
        builder = try GitRepoBuilder()
        var noise = Noise(seed: 0x5EED)
        manifest = (0..<2_400).map { noise.line($0) }
        binary = noise.bytes(90_000)
        self.noise = noise
        config = (0..<12).map { "key\($0): value-\($0)" }
        crlf = (0..<40).map { "crlf line \($0)" }
        try commitVersions(versions)
    }

    /// Commits `count` more versions of every file (each file changes at its own pace).
    mutating func commitVersions(_ count: Int) throws {
        for _ in 0..<count {
            let v = version
            version += 1
            for _ in 0..<3 {
                manifest[Int(noise.next() % UInt64(manifest.count))] = noise.line(v)
            }
            manifest.insert(noise.line(v + 10_000), at: Int(noise.next() % UInt64(manifest.count)))
            config[v % config.count] = "key\(v % config.count): value-\(v)-\(noise.next() % 1000)"
            config.append("added\(v): \(v)")
            try builder.write("apps/config.yaml", config.joined(separator: "\n") + "\n")
            try builder.write("big/manifest.yaml", manifest.joined(separator: "\n") + "\n")
            if v % 2 == 0 {
                for _ in 0..<4 {
                    binary[Int(noise.next() % UInt64(binary.count))] = UInt8(truncatingIfNeeded: noise.next())
                }
                let insertion = noise.bytes(33)
                binary.insert(contentsOf: insertion, at: Int(noise.next() % UInt64(binary.count)))
                try builder.write("bin/blob.bin", bytes: binary)
            }
            if v % 3 == 0 {
                crlf[v % crlf.count] = "crlf line \(v) changed"
                try builder.write("text/windows.txt", bytes: Array((crlf.joined(separator: "\r\n") + "\r\n").utf8))
            }
            try builder.write("empty/\(v % 2 == 0 ? "empty.txt" : "filled.txt")", v % 4 < 2 ? "" : "now filled \(v)\n")
            try builder.git(["add", "-A"])
            try builder.git(["commit", "-q", "--allow-empty", "-m", "version \(v)"])
        }
    }

    func history() throws -> BlobHistory { try GitRepository(path: root.path).blobHistory() }

    /// The packs in `.git/objects/pack`, as paths without the `.pack`/`.idx` ending.
    func packs(in objects: URL? = nil) throws -> [String] {
        let folder = (objects ?? root.appendingPathComponent(".git/objects")).appendingPathComponent("pack")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pack") }
            .sorted().map { folder.appendingPathComponent(String($0.dropLast(5))).path }
    }

    /// True when `id` is stored as a loose object.
    func isLoose(_ id: GitObjectID) -> Bool {
        FileManager.default.fileExists(
            atPath: root.appendingPathComponent(
                ".git/objects/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))"
            ).path)
    }

    /// Rewrites the `.idx` of every pack with `git index-pack --index-version=<version>` ("1", "2", "2,0x100").
    func reindex(version: String) throws {
        for stem in try packs() {
            try FileManager.default.removeItem(atPath: stem + ".idx")
            try builder.git(["index-pack", "--index-version=\(version)", stem + ".pack"])
        }
    }
}

struct PackFixtureError: Error {
    var message: String
}

/// A deterministic generator of text lines and bytes.
struct Noise {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func line(_ n: Int) -> String {
        "  - name: item-\(n)-\(String(next() % 1_000_000_007, radix: 36)) # \(String(next(), radix: 16))"
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next() >> 11) }
    }
}

/// One entry line of `git verify-pack -v`.
struct VerifiedEntry {
    var id: String
    var type: String
    var size: Int
    var sizeInPack: Int
    var offset: Int
    var depth: Int
    var base: String?

    /// The entries of a pack, from `git verify-pack -v <stem>.idx`.
    static func list(_ stem: String, in folder: URL) throws -> [VerifiedEntry] {
        let result = try run("/usr/bin/git", ["verify-pack", "-v", stem + ".idx"], in: folder)
        guard result.status == 0 else { throw PackFixtureError(message: "git verify-pack: \(result.stderr)") }
        return result.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 5, f[0].count == 40, let size = Int(f[2]), let packed = Int(f[3]),
                let offset = Int(f[4])
            else { return nil }
            return VerifiedEntry(
                id: String(f[0]), type: String(f[1]), size: size, sizeInPack: packed, offset: offset,
                depth: f.count >= 7 ? Int(f[5]) ?? 0 : 0, base: f.count >= 7 ? String(f[6]) : nil)
        }
    }

    /// The pack entry type from the first header byte (6: OFS_DELTA, 7: REF_DELTA).
    func packType(in pack: [UInt8]) -> Int { Int(pack[offset] >> 4) & 7 }
}

/// Blob contents as `git cat-file --batch` prints them (binary-safe).
enum GitBlobs {
    static func contents(_ ids: [GitObjectID], in folder: URL) throws -> [GitObjectID: [UInt8]] {
        let input = try Fixtures.temporaryFolder("eskit-cat-file").appendingPathComponent("ids")
        try Data(ids.map { $0.hex + "\n" }.joined().utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["cat-file", "--batch"]
        process.currentDirectoryURL = folder
        process.standardInput = try FileHandle(forReadingFrom: input)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        var result: [GitObjectID: [UInt8]] = [:]
        var p = 0
        while p < data.count, let newline = data[p...].firstIndex(of: 0x0A) {
            let header = String(decoding: data[p..<newline], as: UTF8.self).split(separator: " ")
            p = newline + 1
            guard header.count == 3, header[1] == "blob", let id = GitObjectID(hex: String(header[0])),
                let size = Int(header[2])
            else { continue }
            result[id] = Array(data[p..<p + size])
            p += size + 1
        }
        return result
    }
}

/// Everything one `readBlobsInDeltaOrder` run handed out, checked as it arrived: each delta's base must have been
/// visited before on the same thread and each copied run must match the base's bytes.
final class DeltaReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var contents: [GitObjectID: [UInt8]] = [:]
    private var visitCounts: [GitObjectID: Int] = [:]
    private var askCounts: [GitObjectID: Int] = [:]
    private var deltaList: [GitObjectID: BlobDelta] = [:]
    private var problemList: [String] = []
    private var seenByThread: [UInt: [GitObjectID: [UInt8]]] = [:]

    var bytes: [GitObjectID: [UInt8]] { lock.withLock { contents } }
    var visits: [GitObjectID: Int] { lock.withLock { visitCounts } }
    var asks: [GitObjectID: Int] { lock.withLock { askCounts } }
    var deltas: [GitObjectID: BlobDelta] { lock.withLock { deltaList } }
    var problems: [String] { lock.withLock { problemList } }

    /// Reads `history` in delta order, logging every `include` question (answered by `include`, yes when nil).
    static func read(
        _ history: BlobHistory, workers: Int,
        include: (@Sendable (HistoryBlob, Int) -> Bool)? = nil
    ) throws -> (DeltaReadLog, BlobReadSummary) {
        let log = DeltaReadLog()
        let summary = try history.readBlobsInDeltaOrder(
            workers: workers,
            include: { blob, size in
                log.lock.withLock { log.askCounts[blob.id, default: 0] += 1 }
                return include?(blob, size) ?? true
            }
        ) { log.visit($0) }
        return (log, summary)
    }

    private func visit(_ content: BlobContent) {
        let copy = Array(content.bytes)
        let id = content.blob.id
        #if canImport(Glibc)
        let thread = UInt(pthread_self())
        #else
        let thread = UInt(bitPattern: pthread_self())
        #endif
        lock.withLock {
            visitCounts[id, default: 0] += 1
            contents[id] = copy
            if content.isBinary != copy.prefix(8000).contains(0) { problemList.append("\(id): binary hint is wrong") }
            if let delta = content.delta {
                deltaList[id] = delta
                if let base = seenByThread[thread]?[delta.base] {
                    check(delta, of: id, base: base, bytes: copy)
                } else {
                    problemList.append("\(id): delta base \(delta.base) was not visited before on this thread")
                }
            }
            seenByThread[thread, default: [:]][id] = copy
        }
    }

    private func check(_ delta: BlobDelta, of id: GitObjectID, base: [UInt8], bytes: [UInt8]) {
        var end = 0
        for run in delta.copies {
            guard run.length > 0, run.source >= 0, run.source + run.length <= base.count, run.target >= end,
                run.target + run.length <= bytes.count
            else {
                problemList.append("\(id): copy \(run) out of range or order")
                return
            }
            if base[run.source..<run.source + run.length] != bytes[run.target..<run.target + run.length] {
                problemList.append("\(id): copy \(run) does not match the base")
            }
            end = run.target + run.length
        }
    }
}

/// Writes a pack by hand (stored zlib blocks, `sha1sum` for the trailer) so tests can hold delta instructions git
/// itself never writes; `git index-pack` checks and indexes it.
struct PackWriter {
    enum Entry {
        case blob([UInt8])
        /// A delta against the entry with this index (written before it).
        case offsetDelta(base: Int, [UInt8])
        case referenceDelta(base: GitObjectID, [UInt8])
    }

    /// Writes the pack into `objects/pack` of the repository at `root` and indexes it with `--index-version`.
    static func install(_ entries: [Entry], in builder: GitRepoBuilder, indexVersion: String) throws -> String {
        let pack = try bytes(entries)
        let folder = builder.root.appendingPathComponent(".git/objects/pack")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let digest = pack.suffix(20).map { String(format: "%02x", $0) }.joined()
        let stem = folder.appendingPathComponent("pack-\(digest)").path
        try Data(pack).write(to: URL(fileURLWithPath: stem + ".pack"))
        try builder.git(["index-pack", "--index-version=\(indexVersion)", stem + ".pack"])
        return stem
    }

    /// A whole pack file: header, entries and the SHA-1 trailer.
    static func bytes(_ entries: [Entry]) throws -> [UInt8] {
        var pack: [UInt8] = Array("PACK".utf8) + bigEndian(2) + bigEndian(UInt32(entries.count))
        var offsets: [Int] = []
        for entry in entries {
            offsets.append(pack.count)
            switch entry {
            case .blob(let bytes):
                pack += header(type: 3, size: bytes.count) + zlibStored(bytes)
            case .offsetDelta(let base, let delta):
                pack +=
                    header(type: 6, size: delta.count) + offsetEncoding(offsets.last! - offsets[base])
                    + zlibStored(delta)
            case .referenceDelta(let base, let delta):
                pack += header(type: 7, size: delta.count)
                pack += withUnsafeBytes(of: base.oid) { Array($0.prefix(20)) } + zlibStored(delta)
            }
        }
        let body = try Fixtures.temporaryFolder("eskit-pack").appendingPathComponent("body")
        try Data(pack).write(to: body)
        let digest = String(try run("/usr/bin/sha1sum", [body.path]).stdout.prefix(40))
        guard let trailer = GitObjectID(hex: digest) else {
            throw PackFixtureError(message: "sha1sum printed \(digest)")
        }
        return pack + withUnsafeBytes(of: trailer.oid) { Array($0.prefix(20)) }
    }

    /// A delta: base size, result size, then the instructions.
    static func delta(base: Int, result: Int, _ instructions: [[UInt8]]) -> [UInt8] {
        varint(base) + varint(result) + instructions.flatMap { $0 }
    }

    /// A copy instruction with only the non-zero bytes of `offset` and `length` present (length 0x10000 as none).
    static func copy(offset: Int, length: Int) -> [UInt8] {
        var op: UInt8 = 0x80
        var tail: [UInt8] = []
        for bit in 0..<4 where (offset >> (8 * bit)) & 0xFF != 0 {
            op |= 1 << bit
            tail.append(UInt8((offset >> (8 * bit)) & 0xFF))
        }
        let size = length == 0x10000 ? 0 : length
        for bit in 0..<3 where (size >> (8 * bit)) & 0xFF != 0 {
            op |= 0x10 << bit
            tail.append(UInt8((size >> (8 * bit)) & 0xFF))
        }
        return [op] + tail
    }

    static func insert(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count)] + bytes }

    private static func header(type: UInt8, size: Int) -> [UInt8] {
        var out: [UInt8] = [type << 4 | UInt8(size & 15)]
        var rest = size >> 4
        while rest > 0 {
            out[out.count - 1] |= 0x80
            out.append(UInt8(rest & 0x7F))
            rest >>= 7
        }
        return out
    }

    private static func offsetEncoding(_ distance: Int) -> [UInt8] {
        var value = distance
        var out: [UInt8] = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            value -= 1
            out.insert(0x80 | UInt8(value & 0x7F), at: 0)
            value >>= 7
        }
        return out
    }

    private static func varint(_ value: Int) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        repeat {
            out.append(UInt8(rest & 0x7F) | (rest > 0x7F ? 0x80 : 0))
            rest >>= 7
        } while rest > 0
        return out
    }

    private static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(bytes.count, start + 0xFFFF)
            let length = UInt16(end - start)
            out.append(end == bytes.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// A repository whose three `crafted/*.bin` blobs live in a hand-written pack: a whole 192 KiB blob, an OFS_DELTA on
/// it (a copy of the 0x10000 default length, 3-byte offsets and sizes, sparse offset bytes, inserts, a copy that
/// continues the one before it and one whose source continues the one before but not its target) and a REF_DELTA
/// on that delta.
struct HandWrittenPack {
    let builder: GitRepoBuilder
    let base: [UInt8]
    let target: [UInt8]
    let chained: [UInt8]
    private let tail: [UInt8]
    /// The ids of base, target and chained.
    let ids: [GitObjectID]
    /// The three blobs' bytes by id.
    var contents: [GitObjectID: [UInt8]] { [ids[0]: base, ids[1]: target, ids[2]: chained] }
    /// The pack's path without `.pack`.
    private(set) var stem = ""

    init(indexVersion: String) throws {
        builder = try GitRepoBuilder()
        var noise = Noise(seed: 42)
        base = noise.bytes(0x30000)
        tail = noise.bytes(127)
        target =
            Array(base[0x12345..<0x22345]) + [0, 0x78, 0x79] + Array(base[0x10000..<0x20011])
            + Array(base[0..<0x100]) + tail + Array(base[0x100..<0x140])
        chained = Array(target[5..<15]) + Array("tail\n".utf8) + Array(target[0x10003..<0x20003])
        try builder.write("crafted/base.bin", bytes: base)
        try builder.write("crafted/target.bin", bytes: target)
        try builder.write("crafted/chained.bin", bytes: chained)
        try builder.commit("crafted")
        var ids: [GitObjectID] = []
        for name in ["base", "target", "chained"] {
            let hex = try builder.git(["rev-parse", "HEAD:crafted/\(name).bin"])
            guard let id = GitObjectID(hex: hex) else { throw PackFixtureError(message: "rev-parse printed \(hex)") }
            ids.append(id)
        }
        self.ids = ids
        stem = try PackWriter.install(entries(), in: builder, indexVersion: indexVersion)
        try builder.git(["prune-packed"])
    }

    /// The pack's entries; `firstCopy` moves the target's first copy (a larger one reads past the base) and
    /// `claimedSize` replaces the target's size in its delta header (its tail insert shortened to keep the length).
    func entries(firstCopy: Int = 0x12345, claimedSize: Int? = nil) -> [PackWriter.Entry] {
        func delta(_ size: Int, _ tail: [UInt8]) -> [UInt8] {
            PackWriter.delta(
                base: base.count, result: size,
                [
                    PackWriter.copy(offset: firstCopy, length: 0x10000), PackWriter.insert([0, 0x78, 0x79]),
                    PackWriter.copy(offset: 0x10000, length: 0x10001), PackWriter.copy(offset: 0x20001, length: 0x10),
                    PackWriter.copy(offset: 0, length: 0x100), PackWriter.insert(tail),
                    PackWriter.copy(offset: 0x100, length: 0x40),
                ])
        }
        var first = delta(target.count, tail)
        if let claimedSize {
            first = delta(claimedSize, Array(tail.dropLast(delta(claimedSize, tail).count - first.count)))
        }
        let second = PackWriter.delta(
            base: target.count, result: chained.count,
            [
                PackWriter.copy(offset: 5, length: 10), PackWriter.insert(Array("tail\n".utf8)),
                PackWriter.copy(offset: 0x10003, length: 0x10000),
            ])
        return [.blob(base), .offsetDelta(base: 0, first), .referenceDelta(base: ids[1], second)]
    }
}
