/// Finds every anchor of every text detector in one pass: a 64 Ki-bit table of lower-cased byte pairs says
/// where an anchor may start; only those positions are compared against the anchors of that pair.
struct TextEngine: Sendable {
    private struct Anchor: Sendable {
        let bytes: [UInt8]
        let ignoreCase: Bool
        let detector: Int
        let index: Int
    }

    let detectors: [any TextDetector]
    private let pairBits: [UInt64]
    private let buckets: [UInt16: [Anchor]]
    private let singleByteAnchors: [Anchor]

    init(detectors: [any TextDetector]) {
        self.detectors = detectors
        var bits = [UInt64](repeating: 0, count: 1024)
        var buckets: [UInt16: [Anchor]] = [:]
        var singles: [Anchor] = []
        for (d, detector) in detectors.enumerated() {
            for (k, anchor) in detector.anchors.enumerated() {
                let raw = Array(anchor.utf8)
                let bytes = detector.anchorsIgnoreCase ? raw.map { lowerTable[Int($0)] } : raw
                let a = Anchor(bytes: bytes, ignoreCase: detector.anchorsIgnoreCase, detector: d, index: k)
                guard bytes.count >= 2 else { singles.append(a); continue }
                let key = UInt16(lowerTable[Int(bytes[0])]) << 8 | UInt16(lowerTable[Int(bytes[1])])
                bits[Int(key >> 6)] |= 1 << UInt64(key & 63)
                buckets[key, default: []].append(a)
            }
        }
        pairBits = bits
        self.buckets = buckets
        singleByteAnchors = singles
    }

    /// Runs every text detector over `text`.
    func run(_ text: ByteText, into sink: inout MatchSink) {
        let n = text.count
        guard n >= 2 else { return }
        let base = text.base
        pairBits.withUnsafeBufferPointer { bits in
            lowerTable.withUnsafeBufferPointer { lower in
                var prev = UInt16(lower[Int(base[0])])
                var i = 1
                while i < n {
                    let cur = UInt16(lower[Int(base[i])])
                    let key = prev << 8 | cur
                    if bits[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0 {
                        dispatch(text, key: key, at: i - 1, into: &sink)
                    }
                    prev = cur
                    i += 1
                }
            }
        }
    }

    private func dispatch(_ text: ByteText, key: UInt16, at offset: Int, into sink: inout MatchSink) {
        guard let anchors = buckets[key] else { return }
        for a in anchors {
            let hit = a.ignoreCase ? text.hasPrefixIgnoringCase(a.bytes, at: offset) : text.hasPrefix(a.bytes, at: offset)
            if hit { detectors[a.detector].match(text, anchor: a.index, at: offset, into: &sink) }
        }
    }

    /// Runs every text detector over standalone bytes (a decoded value) and returns the matches, with ranges
    /// relative to `bytes`.
    func matches(in bytes: [UInt8], path: String) -> [RawMatch] {
        var sink = MatchSink()
        bytes.withUnsafeBufferPointer { run(ByteText(base: $0, path: path), into: &sink) }
        return sink.matches
    }
}
