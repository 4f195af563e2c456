/// Maps byte offsets of a UTF-8 text to 1-based lines and code-point columns.
///
/// Built once per text in O(n); each lookup is a binary search over line starts plus a scan of one line.
public struct LineIndex: Sendable {
    /// Byte offset of the start of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    private let bytes: [UInt8]

    public init<C: Collection>(_ utf8: C) where C.Element == UInt8 {
        bytes = Array(utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The 1-based line that holds `offset`.
    public func line(ofOffset offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The position of a byte offset (clamped to the text).
    public func position(ofOffset rawOffset: Int) -> TextPosition {
        let offset = max(0, min(rawOffset, bytes.count))
        let line = line(ofOffset: offset)
        var column = 1
        var i = lineStarts[line - 1]
        while i < offset {
            // Count only lead bytes: continuation bytes are 0b10xxxxxx.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return TextPosition(offset: offset, line: line, column: column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}
