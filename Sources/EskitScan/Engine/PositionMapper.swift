import EskitCore

/// Maps byte offsets of one scanned text to 1-based line/column positions (built only when a file has findings).
/// Columns are counted from the last position asked on the same line when the offset moves forward, so the many
/// findings of one long line (minified JSON) cost one walk of that line, not one each.
struct PositionMapper {
    private let text: ByteText
    private let lineStarts: [Int]
    private var last = (line: -1, offset: 0, column: 1)

    init(_ text: ByteText) {
        self.text = text
        var starts = [0]
        for i in 0..<text.count where text[i] == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    mutating func position(_ offset: Int) -> TextPosition {
        let offset = max(0, min(offset, text.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        if last.line == lo, last.offset <= offset {
            column = last.column
            i = last.offset
        }
        while i < offset {
            if text[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        last = (lo, offset, column)
        return TextPosition(offset: offset, line: lo + 1, column: column)
    }

    mutating func span(_ range: Range<Int>) -> TextSpan {
        TextSpan(start: position(range.lowerBound), end: position(range.upperBound))
    }
}
