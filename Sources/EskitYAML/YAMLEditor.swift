public import EskitCore

/// Why a scalar cannot be replaced in place.
public enum YAMLEditError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The node is a mapping or sequence.
    case notAScalar(TextPosition)
    /// The node came from an alias (`*name`): edit the anchored node instead.
    case alias(String, TextPosition)
    /// The node's span does not lie inside the source this editor holds.
    case outsideSource(TextPosition)
    /// Another replacement already covers part of this node.
    case overlapping(TextPosition)
    /// An empty scalar whose indicator (`key:` or `-`) could not be found to write the new value after.
    case emptyScalarWithoutIndicator(TextPosition)

    public var description: String {
        switch self {
        case .notAScalar(let p): "\(p): cannot replace a mapping or sequence as a scalar"
        case .alias(let name, let p): "\(p): cannot replace alias *\(name) in place; edit the anchored node"
        case .outsideSource(let p): "\(p): node span lies outside the edited source"
        case .overlapping(let p): "\(p): overlaps an earlier replacement"
        case .emptyScalarWithoutIndicator(let p): "\(p): cannot find where to write the value of this empty scalar"
        }
    }
}

/// Replaces scalar values in a YAML source at their marks, keeping every other byte (comments, spacing,
/// key order, other documents) as it was.
///
/// Each replacement keeps the node's meaning and style where it can:
/// - a plain scalar stays plain when the new text can be written plain in block or flow context and reads as a
///   string exactly when the old text did; otherwise it is single-quoted, or double-quoted when escapes are
///   needed (multi-line text included);
/// - a single-quoted scalar stays single-quoted unless escapes are needed; a double-quoted one stays
///   double-quoted;
/// - a literal or folded block scalar is rewritten as a literal block with the same indentation, line breaks
///   and header comment (`|`, `|-`, `|+` by the new text's trailing newlines; double-quoted when a literal
///   cannot hold it);
/// - an anchor or tag in front of the scalar is kept.
///
/// ```
/// var editor = YAMLEditor(source: bytes)
/// try editor.replaceScalar(passwordNode, with: "replaced")
/// let updated = editor.result()
/// ```
public struct YAMLEditor: Sendable {
    private let source: [UInt8]
    private var edits: [(range: Range<Int>, text: [UInt8])] = []

    /// An editor over `source`: the same bytes the edited nodes were parsed from.
    public init(source: [UInt8]) {
        self.source = source
    }

    /// Schedules replacing the value of scalar `node` (parsed from this source) with `newValue`. Replacements
    /// may come in any order but must not overlap.
    public mutating func replaceScalar(_ node: YAMLNode, with newValue: String) throws(YAMLEditError) {
        if let alias = node.alias { throw .alias(alias, node.start) }
        guard case .scalar(let oldValue, let style) = node.kind else { throw .notAScalar(node.start) }
        guard node.start.offset >= 0, node.start.offset <= node.end.offset, node.end.offset <= source.count else {
            throw .outsideSource(node.start)
        }
        var start = skipProperties(from: node.start.offset, end: node.end.offset, node: node)
        var end = node.end.offset
        var prefix = ""
        if start == end {
            start = try insertionPoint(before: start, node: node)
            end = start
            prefix = " "
        }
        let text: String
        switch style {
        case .literal, .folded:
            text = blockText(newValue, range: start..<end)
        case .doubleQuoted:
            text = YAMLScalarSyntax.doubleQuoted(newValue)
        case .singleQuoted:
            text =
                YAMLScalarSyntax.canBeSingleQuoted(newValue)
                ? YAMLScalarSyntax.singleQuoted(newValue) : YAMLScalarSyntax.doubleQuoted(newValue)
        case .plain:
            text = plainText(newValue, replacing: oldValue, tagged: node.tag != nil)
        }
        let range = start..<end
        for edit in edits where edit.range.overlaps(range) || edit.range.lowerBound == range.lowerBound {
            throw .overlapping(node.start)
        }
        edits.append((range, Array((prefix + text).utf8)))
    }

    /// The source with every scheduled replacement applied.
    public func result() -> [UInt8] {
        var out = source
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(edit.range, with: edit.text)
        }
        return out
    }

    private func plainText(_ value: String, replacing oldValue: String, tagged: Bool) -> String {
        let flowSafe = !value.utf8.contains { $0 == 0x2C || $0 == 0x5B || $0 == 0x5D || $0 == 0x7B || $0 == 0x7D }
        let wasString = tagged || !YAMLScalarSyntax.resolvesToNonString(oldValue)
        if flowSafe, YAMLScalarSyntax.canBePlain(value, isKey: false),
            !wasString || !YAMLScalarSyntax.resolvesToNonString(value)
        {
            return value
        }
        return YAMLScalarSyntax.canBeSingleQuoted(value)
            ? YAMLScalarSyntax.singleQuoted(value) : YAMLScalarSyntax.doubleQuoted(value)
    }

    private func skipProperties(from start: Int, end: Int, node: YAMLNode) -> Int {
        guard node.anchor != nil || node.tag != nil else { return start }
        var i = start
        while i < end, source[i] == UInt8(ascii: "&") || source[i] == UInt8(ascii: "!") {
            while i < end, !Self.isBlank(source[i]) { i += 1 }
            while i < end, Self.isBlank(source[i]) { i += 1 }
        }
        return i
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Where an empty scalar's value goes: after the `:` or `-` that introduced it, skipping blank and comment
    /// lines between that indicator and the mark libyaml gives (the next token).
    private func insertionPoint(before mark: Int, node: YAMLNode) throws(YAMLEditError) -> Int {
        var lineEnd = mark
        while true {
            var lineStart = lineEnd
            while lineStart > 0, source[lineStart - 1] != 0x0A { lineStart -= 1 }
            var contentEnd = lineEnd
            if let hash = commentStart(lineStart..<lineEnd) { contentEnd = hash }
            while contentEnd > lineStart, Self.isBlank(source[contentEnd - 1]) { contentEnd -= 1 }
            if contentEnd > lineStart {
                let last = source[contentEnd - 1]
                if last == UInt8(ascii: ":") || last == UInt8(ascii: "-") || last == UInt8(ascii: "?") {
                    return contentEnd
                }
                throw .emptyScalarWithoutIndicator(node.start)
            }
            guard lineStart > 0 else { throw .emptyScalarWithoutIndicator(node.start) }
            lineEnd = lineStart - 1
        }
    }

    private func commentStart(_ line: Range<Int>) -> Int? {
        var quote: UInt8?
        for i in line {
            let b = source[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                quote = b
            } else if b == UInt8(ascii: "#"), i == line.lowerBound || Self.isBlank(source[i - 1]) {
                return i
            }
        }
        return nil
    }

    private func blockText(_ value: String, range: Range<Int>) -> String {
        let span = source[range]
        let headerEnd = span.firstIndex(of: 0x0A) ?? range.upperBound
        let newline =
            headerEnd < range.upperBound && headerEnd > range.lowerBound && source[headerEnd - 1] == 0x0D
            ? "\r\n" : "\n"
        var trailingStart = range.upperBound
        while trailingStart > range.lowerBound, Self.isBlank(source[trailingStart - 1]) { trailingStart -= 1 }
        while trailingStart < range.upperBound, source[trailingStart] != 0x0A, source[trailingStart] != 0x0D {
            trailingStart += 1
        }
        var region = String(decoding: source[trailingStart..<range.upperBound], as: UTF8.self)
        if region.utf8.last != 0x0A { region += newline }
        let literal =
            YAMLScalarSyntax.canBeLiteral(value)
            || (!value.utf8.contains(0x0A) && YAMLScalarSyntax.canBeLiteral(value + "\n"))
        let bytes = Array(value.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        let trailing = bytes.count - end
        let pad = String(repeating: " ", count: contentIndent(range: range, headerEnd: headerEnd))
        let lines = bytes[0..<end].split(separator: 0x0A, omittingEmptySubsequences: false).map {
            $0.isEmpty ? "" : pad + String(decoding: $0, as: UTF8.self)
        }
        var headerContent = headerEnd
        if headerContent > range.lowerBound, source[headerContent - 1] == 0x0D { headerContent -= 1 }
        var indicatorsEnd = range.lowerBound + 1
        while indicatorsEnd < headerContent,
            source[indicatorsEnd] == UInt8(ascii: "-") || source[indicatorsEnd] == UInt8(ascii: "+")
                || (source[indicatorsEnd] >= 0x31 && source[indicatorsEnd] <= 0x39)
        {
            indicatorsEnd += 1
        }
        let comment =
            commentStart(indicatorsEnd..<headerContent) == nil
            ? "" : String(decoding: source[indicatorsEnd..<headerContent], as: UTF8.self)
        guard literal else { return YAMLScalarSyntax.doubleQuoted(value) + comment + region }
        let header = (trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+") + comment
        let body = header + newline + lines.joined(separator: newline)
        if trailing > 1 { return body + String(repeating: newline, count: trailing) }
        return body + region
    }

    /// The indentation of the block's first content line, or the indentation of the line holding the header
    /// plus two when the block has no content line.
    private func contentIndent(range: Range<Int>, headerEnd: Int) -> Int {
        var i = headerEnd + 1
        while i < range.upperBound {
            var spaces = 0
            while i < range.upperBound, source[i] == 0x20 {
                spaces += 1
                i += 1
            }
            if i < range.upperBound, source[i] != 0x0A, source[i] != 0x0D { return spaces }
            while i < range.upperBound, source[i] != 0x0A { i += 1 }
            i += 1
        }
        var lineStart = range.lowerBound
        while lineStart > 0, source[lineStart - 1] != 0x0A { lineStart -= 1 }
        var spaces = 0
        while lineStart + spaces < source.count, source[lineStart + spaces] == 0x20 { spaces += 1 }
        return spaces + 2
    }
}
