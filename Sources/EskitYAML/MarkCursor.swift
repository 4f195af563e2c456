import EskitCore

/// Converts libyaml marks (code-point indexes) into byte offsets with 1-based lines (split at `\n`, as
/// `EskitCore.LineIndex` does) and code-point columns. Moves incrementally, so a whole parse costs O(n).
struct MarkCursor {
    private let base: UnsafePointer<UInt8>?
    private let count: Int
    private var codePoint = 0
    private var byte = 0
    private var line = 1
    private var lineStartCodePoint = 0

    /// `skip` bytes at the start (a byte order mark) are not seen by libyaml but count as one column of line 1.
    init(base: UnsafePointer<UInt8>?, count: Int, skip: Int = 0) {
        self.base = base
        self.count = count
        byte = skip
        lineStartCodePoint = skip > 0 ? -1 : 0
    }

    mutating func position(ofCodePoint target: Int) -> TextPosition {
        guard let base else { return .start }
        if target >= codePoint {
            forward(to: target, in: base)
        } else {
            backward(to: target, in: base)
        }
        return TextPosition(offset: byte, line: line, column: codePoint - lineStartCodePoint + 1)
    }

    private mutating func forward(to target: Int, in base: UnsafePointer<UInt8>) {
        var cp = codePoint, i = byte, ln = line, ls = lineStartCodePoint
        let n = count
        while cp < target, i < n {
            let b = base[i]
            if b < 0x80 {
                i += 1
                if b == 0x0A {
                    ln += 1
                    ls = cp + 1
                }
            } else if b < 0xE0 {
                i += 2
            } else if b < 0xF0 {
                i += 3
            } else {
                i += 4
            }
            cp += 1
        }
        codePoint = cp
        byte = min(i, n)
        line = ln
        lineStartCodePoint = ls
    }

    private mutating func backward(to target: Int, in base: UnsafePointer<UInt8>) {
        while codePoint > target, byte > 0 {
            byte -= 1
            while byte > 0, base[byte] & 0xC0 == 0x80 { byte -= 1 }
            codePoint -= 1
            if base[byte] == 0x0A {
                line -= 1
                var j = byte, n = 0
                while j > 0, base[j - 1] != 0x0A {
                    j -= 1
                    if base[j] & 0xC0 != 0x80 { n += 1 }
                }
                lineStartCodePoint = codePoint - n
            }
        }
    }
}

/// Byte-level helpers over a source buffer for error reporting.
enum SourceText {
    /// The position of a byte offset (clamped), counted from the start.
    static func position(ofByte rawOffset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        let offset = max(0, min(rawOffset, bytes.count))
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<offset where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return TextPosition(offset: offset, line: line, column: column)
    }

    /// The line holding `offset`, without its line break; control characters become U+FFFD.
    static func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let offset = max(0, min(offset, bytes.count))
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        var clean = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            clean.append((v < 0x20 && v != 0x09) || v == 0x7F ? "\u{FFFD}" : scalar)
        }
        return String(clean)
    }
}
