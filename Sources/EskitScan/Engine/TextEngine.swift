/// Finds every anchor of every text detector in one pass: a 64 Ki-bit table of lower-cased byte pairs says
/// where an anchor may start; only those positions are compared against the anchors of that pair.
struct TextEngine: Sendable {
    private struct Anchor: Sendable {
        let start: Int32
        let length: Int32
        let ignoreCase: Bool
        let detector: Int32
        let index: Int32
    }

    let detectors: [any TextDetector]
    private let pairBits: [UInt64]
    /// Lower-cased second and third bytes of anchors of three or more bytes; pairs that start a two-byte anchor
    /// are marked in `shortPairBits` and skip this check.
    private let nextPairBits: [UInt64]
    private let shortPairBits: [UInt64]
    /// For each byte pair: `first << 8 | count` into `anchors` (0 when none).
    private let pairSlots: [UInt32]
    private let anchors: [Anchor]
    private let anchorBytes: [UInt8]

    init(detectors: [any TextDetector]) {
        self.detectors = detectors
        var bits = [UInt64](repeating: 0, count: 1024)
        var nextBits = [UInt64](repeating: 0, count: 1024)
        var shortBits = [UInt64](repeating: 0, count: 1024)
        var grouped: [UInt16: [(bytes: [UInt8], ignoreCase: Bool, detector: Int, index: Int)]] = [:]
        for (d, detector) in detectors.enumerated() {
            for (k, anchor) in detector.anchors.enumerated() {
                let raw = Array(anchor.utf8)
                precondition(raw.count >= 2, "anchors need at least two bytes")
                let bytes = detector.anchorsIgnoreCase ? raw.map { lowerTable[Int($0)] } : raw
                let key = UInt16(bytes[0] | 0x20) << 8 | UInt16(bytes[1] | 0x20)
                bits[Int(key >> 6)] |= 1 << UInt64(key & 63)
                if bytes.count >= 3 {
                    let next = UInt16(bytes[1] | 0x20) << 8 | UInt16(bytes[2] | 0x20)
                    nextBits[Int(next >> 6)] |= 1 << UInt64(next & 63)
                } else {
                    shortBits[Int(key >> 6)] |= 1 << UInt64(key & 63)
                }
                grouped[key, default: []].append((bytes, detector.anchorsIgnoreCase, d, k))
            }
        }
        var slots = [UInt32](repeating: 0, count: 65536)
        var flat: [Anchor] = []
        var pool: [UInt8] = []
        for key in grouped.keys.sorted() {
            let list = grouped[key]!
            slots[Int(key)] = UInt32(flat.count) << 8 | UInt32(list.count)
            for a in list {
                flat.append(
                    Anchor(
                        start: Int32(pool.count), length: Int32(a.bytes.count), ignoreCase: a.ignoreCase,
                        detector: Int32(a.detector), index: Int32(a.index)))
                pool += a.bytes
            }
        }
        pairBits = bits
        nextPairBits = nextBits
        shortPairBits = shortBits
        pairSlots = slots
        anchors = flat
        anchorBytes = pool
    }

    /// Runs every text detector over `text`.
    func run(_ text: ByteText, into sink: inout MatchSink) {
        let n = text.count
        guard n >= 2, let p = text.base.baseAddress else { return }
        pairBits.withUnsafeBufferPointer { bits in
            nextPairBits.withUnsafeBufferPointer { nextBits in
                shortPairBits.withUnsafeBufferPointer { shortBits in
                    lowerTable.withUnsafeBufferPointer { lower in
                        var i = 1
                        while true {
                            i = Self.nextPairHit(p, n, from: i, bits.baseAddress!)
                            guard i < n else { break }
                            let key = UInt16(p[i - 1] | 0x20) << 8 | UInt16(p[i] | 0x20)
                            let bit = UInt64(1) << UInt64(key & 63)
                            var go = shortBits[Int(key >> 6)] & bit != 0
                            if !go, i + 1 < n {
                                let next = UInt16(p[i] | 0x20) << 8 | UInt16(p[i + 1] | 0x20)
                                go = nextBits[Int(next >> 6)] & (1 << UInt64(next & 63)) != 0
                            }
                            if go { dispatch(text, key: key, at: i - 1, lower: lower, into: &sink) }
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// The first `i >= start` whose byte pair `(i - 1, i)`, lower-cased, may start an anchor; `n` when none. A
    /// leaf loop over raw pointers, so the index and table stay in registers.
    @inline(__always)
    private static func nextPairHit(
        _ p: UnsafePointer<UInt8>, _ n: Int, from start: Int,
        _ bits: UnsafePointer<UInt64>
    ) -> Int {
        var i = start
        var prev = UInt32(p[i - 1] | 0x20)
        while i < n {
            let cur = UInt32(p[i] | 0x20)
            let key = prev << 8 | cur
            if bits[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0 { return i }
            prev = cur
            i += 1
        }
        return n
    }

    private func dispatch(
        _ text: ByteText, key: UInt16, at offset: Int, lower: UnsafeBufferPointer<UInt8>,
        into sink: inout MatchSink
    ) {
        let slot = pairSlots[Int(key)]
        let first = Int(slot >> 8)
        let count = Int(slot & 0xFF)
        let base = text.base
        let n = base.count
        for k in first..<(first + count) {
            let a = anchors[k]
            let length = Int(a.length)
            guard offset + length <= n else { continue }
            var matched = true
            var j = 0
            let start = Int(a.start)
            if a.ignoreCase {
                while j < length {
                    if lower[Int(base[offset + j])] != anchorBytes[start + j] { matched = false; break }
                    j += 1
                }
            } else {
                j = 0
                while j < length {
                    if base[offset + j] != anchorBytes[start + j] { matched = false; break }
                    j += 1
                }
            }
            if matched { detectors[Int(a.detector)].match(text, anchor: Int(a.index), at: offset, into: &sink) }
        }
    }

    /// Runs every text detector over standalone bytes (a decoded value) and returns the matches, with ranges
    /// relative to `bytes`.
    func matches(in bytes: [UInt8], path: String, isCode: Bool) -> [RawMatch] {
        var sink = MatchSink()
        bytes.withUnsafeBufferPointer { run(ByteText(base: $0, path: path, isCode: isCode), into: &sink) }
        return sink.matches
    }
}
