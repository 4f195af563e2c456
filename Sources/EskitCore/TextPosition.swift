/// A point in a source text.
///
/// `offset` is a 0-based UTF-8 byte offset; `line` and `column` are 1-based, and `column` counts Unicode
/// scalars (code points) from the start of the line, the unit editors and SARIF's `unicodeCodePoints` use.
public struct TextPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The start of a text.
    public static let start = TextPosition(offset: 0, line: 1, column: 1)

    public static func < (a: TextPosition, b: TextPosition) -> Bool { a.offset < b.offset }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` of a source text.
public struct TextSpan: Hashable, Sendable, CustomStringConvertible {
    public var start: TextPosition
    public var end: TextPosition

    public init(start: TextPosition, end: TextPosition) {
        self.start = start
        self.end = end
    }

    /// The byte range in the source.
    public var byteRange: Range<Int> { start.offset..<end.offset }

    public var description: String { "\(start)-\(end)" }
}

/// A file name plus a position: what every user-facing message starts with (`file:line:col`).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var position: TextPosition

    public init(file: String, position: TextPosition) {
        self.file = file
        self.position = position
    }

    public var description: String { "\(file):\(position.line):\(position.column)" }
}
