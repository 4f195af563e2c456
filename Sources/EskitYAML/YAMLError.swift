public import EskitCore

/// Limits that keep hostile input (alias bombs, very deep nesting) from exhausting memory or stack.
public struct YAMLLimits: Sendable, Hashable {
    /// Maximum nesting of mappings and sequences.
    public var maxDepth: Int
    /// Maximum number of nodes that alias resolution may add to one document (a copy of an anchored node counts
    /// every node in it).
    public var maxAliasExpansion: Int

    public init(maxDepth: Int = 512, maxAliasExpansion: Int = 100_000) {
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }

    public static let `default` = YAMLLimits()
}

/// A YAML input that cannot be read: where (file, 1-based line and code-point column, byte offset), what went
/// wrong (libyaml's problem text, or the limit that was hit) and while doing what.
///
/// `description` reads like a compiler diagnostic:
/// ```
/// values.yaml:3:9: found unexpected end of stream (while scanning a quoted scalar at 3:7)
/// key: "abc
///         ^
/// ```
public struct YAMLError: Error, CustomStringConvertible, Sendable, Hashable {
    public var file: String
    public var position: TextPosition
    public var problem: String
    /// What the parser was doing (`while parsing a block mapping`), when known.
    public var context: String?
    /// Where that context started, when known.
    public var contextPosition: TextPosition?
    /// The source line of `position`, without its line break (control characters shown as U+FFFD).
    public var sourceLine: String

    public init(
        file: String, position: TextPosition, problem: String, context: String? = nil,
        contextPosition: TextPosition? = nil, sourceLine: String = ""
    ) {
        self.file = file
        self.position = position
        self.problem = problem
        self.context = context
        self.contextPosition = contextPosition
        self.sourceLine = sourceLine
    }

    /// `file:line:col`.
    public var location: SourceLocation { SourceLocation(file: file, position: position) }

    public var description: String {
        var head = "\(file):\(position.line):\(position.column): \(problem)"
        if let context {
            if let contextPosition {
                head += " (\(context) at \(contextPosition.line):\(contextPosition.column))"
            } else {
                head += " (\(context))"
            }
        }
        let scalars = Array(Self.masked(sourceLine).unicodeScalars)
        let caretIndex = max(0, position.column - 1)
        let first =
            scalars.count > Self.snippetWidth
            ? max(
                0,
                min(
                    caretIndex - Self.snippetWidth / 2,
                    scalars.count - Self.snippetWidth)) : 0
        let last = min(scalars.count, first + Self.snippetWidth)
        var snippet = first > 0 ? "…" : ""
        var caret = first > 0 ? " " : ""
        snippet.unicodeScalars.append(contentsOf: scalars[first..<last])
        if last < scalars.count { snippet += "…" }
        for index in first..<max(first, caretIndex) {
            caret.unicodeScalars.append(index < scalars.count && scalars[index] == "\t" ? "\t" : " ")
        }
        return head + "\n" + snippet + "\n" + caret + "^"
    }

    private static let snippetWidth = 100

    /// The source line with its scalar contents masked, so an error never repeats a value (which may be a
    /// secret): YAML indicators, spaces and a leading plain mapping key (32 characters at most) are kept, every
    /// other character becomes `•` (one per code point, so the caret still points at the same column).
    public static func masked(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var keep = [Bool](repeating: false, count: scalars.count)
        let indicators: Set<Unicode.Scalar> = [
            " ", "\t", ":", "-", "[", "]", "{", "}", ",", "\"", "'", "#", "|", ">",
            "&", "*", "!", "?", "%", "@", "`",
        ]
        for (i, c) in scalars.enumerated() where indicators.contains(c) { keep[i] = true }
        // A plain key at the start of the line (after the indent and `- ` items): `name:` followed by a space or
        // the end of the line. Keys are structure; values after them are not.
        var i = 0
        while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
        while i + 1 < scalars.count, scalars[i] == "-", scalars[i + 1] == " " { i += 2 }
        let keyStart = i
        while i < scalars.count, scalars[i] != ":", scalars[i] != " ", scalars[i] != "\"", scalars[i] != "'",
            scalars[i] != "{", scalars[i] != "[", scalars[i] != "#"
        { i += 1 }
        // Only key-like keys: long ones may be a value pasted at the start of a line.
        if i < scalars.count, scalars[i] == ":", i + 1 == scalars.count || scalars[i + 1] == " ", i > keyStart,
            i - keyStart <= 32
        {
            for k in keyStart..<i { keep[k] = true }
        }
        var out = String.UnicodeScalarView()
        for (k, c) in scalars.enumerated() { out.append(keep[k] ? c : "•") }
        return String(out)
    }
}
