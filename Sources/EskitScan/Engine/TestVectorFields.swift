/// Recognises machine-generated test-vector JSON (HPKE, Wycheproof, ACVP files): an array of sibling objects made
/// mostly of hex strings (inputs, intermediate values, outputs), some under secret-looking keys (`shared_secret`,
/// `exporter_secret`). A generic keyword finding on a hex value is dropped when its quoted key holds at least
/// `minimumDistinctValues` distinct hex values in the file and the file holds at least `hexFieldsPerKeyValue`
/// times as many hex string values overall, so a dump of hex tokens (one secret field per object) stays reported.
/// Known token formats and private keys are never affected.
enum TestVectorFields {
    static let minimumDistinctValues = 8
    static let minimumHexLength = 16
    static let hexFieldsPerKeyValue = 4
    private static let hex = ByteSet(ranges: [48...57, 65...70, 97...102])

    /// True when `valueRange` holds a hex string and its quoted key repeats as a test-vector field in this JSON text;
    /// `cache` remembers each key's verdict for the file.
    static func isTestVector(
        _ text: ByteText, key keyRange: Range<Int>, value valueRange: Range<Int>,
        cache: inout TestVectorCache
    ) -> Bool {
        guard isJSON(text), isHex(text, valueRange) else { return false }
        let key = text.slice(keyRange)
        if let known = cache.verdicts[key] { return known }
        let (distinct, total) = hexValues(text, quotedKey: [34] + key + [34])
        var verdict = distinct >= minimumDistinctValues
        if verdict {
            if cache.hexFields == nil { cache.hexFields = hexFields(text) }
            verdict = (cache.hexFields ?? 0) >= total * hexFieldsPerKeyValue
        }
        cache.verdicts[key] = verdict
        return verdict
    }

    private static func isJSON(_ text: ByteText) -> Bool {
        if text.path.hasSuffix(".json") { return true }
        let first = text.run(from: 0, in: ByteSet(" \t\r\n"), limit: 4096)
        return text.byte(first) == 91 || text.byte(first) == 123
    }

    private static func isHex(_ text: ByteText, _ range: Range<Int>) -> Bool {
        range.count >= minimumHexLength
            && text.run(from: range.lowerBound, in: hex, limit: range.count) == range.upperBound
    }

    /// Distinct and total hex values under `quotedKey`.
    private static func hexValues(_ text: ByteText, quotedKey: [UInt8]) -> (distinct: Int, total: Int) {
        var seen = Set<[UInt8]>()
        var total = 0
        var cursor = 0
        while cursor < text.count, let at = text.find(quotedKey, in: cursor..<text.count) {
            cursor = at + quotedKey.count
            guard let value = hexValue(text, afterKeyEnd: cursor) else { continue }
            total += 1
            if seen.count < minimumDistinctValues { seen.insert(text.slice(value)) }
        }
        return (seen.count, total)
    }

    /// Hex strings of at least `minimumHexLength` digits that are values of a key (`"k": "…"`), anywhere in the file.
    private static func hexFields(_ text: ByteText) -> Int {
        var count = 0
        var i = 0
        while i < text.count {
            if text[i] == 58, hexValue(text, afterKeyEnd: i) != nil { count += 1 }
            i += 1
        }
        return count
    }

    /// The range of the quoted hex string after `"key"` ending at `end` (or at its `:`), or nil.
    private static func hexValue(_ text: ByteText, afterKeyEnd end: Int) -> Range<Int>? {
        var i = text.run(from: end, in: .space)
        guard text.byte(i) == 58 else { return nil }
        i = text.run(from: i + 1, in: .space)
        guard text.byte(i) == 34 else { return nil }
        let stop = text.run(from: i + 1, in: hex)
        guard text.byte(stop) == 34, stop - (i + 1) >= minimumHexLength else { return nil }
        return i + 1..<stop
    }
}

/// What `TestVectorFields` learnt about one file.
struct TestVectorCache {
    var verdicts: [[UInt8]: Bool] = [:]
    var hexFields: Int?
}
