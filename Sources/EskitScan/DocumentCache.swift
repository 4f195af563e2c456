import EskitCore
import Foundation

/// Results of the YAML documents a history scan has already scanned, keyed by file extension and document bytes
/// (a document's findings depend on its path only through the extension, and name the file, which is put right
/// when the document is found again under another path). A GitOps
/// repository keeps many resources in multi-document files and each commit edits one of them: with a cache, a new
/// version of such a file costs a hash of each document and a scan of the changed ones only. Thread-safe; one per
/// scan run (entries hold findings, so memory grows with the distinct documents that had any).
public final class DocumentCache: @unchecked Sendable {
    struct Key: Hashable {
        let scope: String
        let hash: UInt64
        let check: UInt64
        let length: Int
    }

    /// A document's findings with positions relative to its start (offset 0, line 1), and its suppressed count.
    struct Entry {
        var findings: [Finding]
        var suppressed: Int

        /// The findings as found in a file at `path` (the file they name, and their fingerprints, follow it).
        func findings(at path: String) -> [Finding] {
            findings.map { f in
                f.file == path
                    ? f
                    : Finding(
                        ruleID: f.ruleID, description: f.description, severity: f.severity,
                        kind: f.kind, file: path, span: f.span, secret: f.secret)
            }
        }
    }

    /// What a document's scan depends on besides its bytes: the lower-cased extension of its file.
    static func scope(of path: String) -> String {
        let utf8 = path.utf8
        var i = utf8.endIndex
        while i > utf8.startIndex {
            let j = utf8.index(before: i)
            switch utf8[j] {
            case UInt8(ascii: "/"): return ""
            case UInt8(ascii: "."):
                return String(decoding: utf8[j...].map { (65...90).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            default: i = j
            }
        }
        return ""
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private(set) var hits = 0

    public init() {}

    /// Documents whose result was reused.
    public var reused: Int { lock.withLock { hits } }

    func entry(_ key: Key) -> Entry? {
        lock.withLock {
            let found = entries[key]
            if found != nil { hits += 1 }
            return found
        }
    }

    func store(_ entry: Entry, for key: Key) {
        lock.withLock { entries[key] = entry }
    }

    /// The number of line feeds in `bytes` (8 bytes at a time).
    static func lineFeeds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var count = 0
        var i = 0
        while i + 8 <= n {
            count += lineFeeds(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < n {
            if base[i] == 10 { count += 1 }
            i += 1
        }
        return count
    }

    /// The line feeds among the 8 bytes of `word` (SWAR zero-byte test).
    @inline(__always) private static func lineFeeds(_ word: UInt64) -> Int {
        let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
        let t = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
        return (~t & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    /// Two 64-bit hashes of `bytes` (two lanes of 8 bytes each, for instruction-level parallelism) and the number of
    /// line feeds in them.
    static func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, check: UInt64, newlines: Int) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15, h2: UInt64 = 0x6A09_E667_F3BC_C908
        var c: UInt64 = 0xC2B2_AE3D_27D4_EB4F, c2: UInt64 = 0xBB67_AE85_84CA_A73B
        var newlines = 0
        let n = bytes.count
        var i = 0
        guard let base = bytes.baseAddress else { return (h, c, 0) }
        let raw = UnsafeRawPointer(base)
        while i + 16 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let v = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            h2 = (h2 ^ v) &* 0x0000_0100_0000_01B3
            h2 ^= h2 >> 29
            c = (c &+ w) &* 0xFF51_AFD7_ED55_8CCD
            c ^= c >> 31
            c2 = (c2 &+ v) &* 0xFF51_AFD7_ED55_8CCD
            c2 ^= c2 >> 31
            newlines += lineFeeds(w) + lineFeeds(v)
            i += 16
        }
        if i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            c = (c &+ w) &* 0xFF51_AFD7_ED55_8CCD
            c ^= c >> 31
            newlines += lineFeeds(w)
            i += 8
        }
        while i < n {
            let b = UInt64(base[i])
            h = (h ^ b) &* 0x0000_0100_0000_01B3
            c = (c &+ b) &* 0xFF51_AFD7_ED55_8CCD
            if b == 10 { newlines += 1 }
            i += 1
        }
        h = (h ^ (h2 &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD
        c = (c ^ (c2 &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x0000_0100_0000_01B3
        return (h ^ (h >> 32), c ^ (c >> 29), newlines)
    }
}

/// One scanned version of a multi-document YAML file: where its documents start and what each held, so a later
/// version rebuilt from it by copying runs of bytes (a git delta) can reuse the documents it copied whole without
/// reading them again.
public final class DocumentTable: @unchecked Sendable {
    let path: String
    let length: Int
    /// Start offsets of the documents (the first is 0), ascending.
    let starts: [Int]
    let entries: [DocumentCache.Entry]
    let newlines: [Int]
    /// How many of these documents were taken over from the earlier version (neither read nor hashed).
    let reused: Int

    init(path: String, length: Int, starts: [Int], entries: [DocumentCache.Entry], newlines: [Int], reused: Int) {
        self.path = path
        self.length = length
        self.starts = starts
        self.entries = entries
        self.newlines = newlines
        self.reused = reused
    }

    func end(of document: Int) -> Int { document + 1 < starts.count ? starts[document + 1] : length }

    /// The index of the document starting exactly at `offset`.
    func document(startingAt offset: Int) -> Int? {
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low < starts.count && starts[low] == offset ? low : nil
    }

    /// Index of the first document starting at or after `offset`.
    func firstStart(atOrAfter offset: Int) -> Int {
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// A run of bytes a new version copied unchanged from an earlier one: `earlier[source ..< source + length]` is
/// `bytes[target ..< target + length]`.
public struct CopiedRun: Sendable, Equatable {
    public var source: Int
    public var target: Int
    public var length: Int

    public init(source: Int, target: Int, length: Int) {
        self.source = source
        self.target = target
        self.length = length
    }
}
