import EskitCore

/// Maps byte offsets of one scanned text to 1-based line/column positions (built only when a file has findings).
struct PositionMapper {
    private let text: ByteText
    private let lineStarts: [Int]

    init(_ text: ByteText) {
        self.text = text
        var starts = [0]
        for i in 0..<text.count where text[i] == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    func position(_ offset: Int) -> TextPosition {
        let offset = max(0, min(offset, text.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < offset {
            if text[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return TextPosition(offset: offset, line: lo + 1, column: column)
    }

    func span(_ range: Range<Int>) -> TextSpan {
        TextSpan(start: position(range.lowerBound), end: position(range.upperBound))
    }
}
