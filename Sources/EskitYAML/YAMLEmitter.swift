/// Writes node trees as deterministic block-style YAML.
///
/// - 2-space indentation; mapping keys in the given order; sequences inside mappings are indented
///   (`key:` then `  - item`); mappings inside sequences use the compact `- key: value` form.
/// - `---` starts every document after the first (and an empty document, or a root collection with an anchor
///   or tag). Empty collections are written `{}` and `[]`.
/// - Scalars: a `.plain` scalar is written plain whenever its text can be (a reader then resolves it exactly as
///   the source did: `replicas: 3` stays an int, `enabled: yes` stays what it was). Any other style means a
///   string: it is written plain only when no YAML 1.1 or 1.2 loader would read it as anything else (null,
///   booleans incl. yes/no/on/off, ints incl. 0x/0o/legacy octal/underscores/sexagesimal, floats, .inf/.nan,
///   timestamps, `<<`, `=`), and otherwise single-quoted, or double-quoted when escapes are needed.
///   Multi-line strings in value position become literal blocks (`|`, `|-`, `|+` by their trailing line breaks);
///   when a literal block cannot hold the text (leading blank on the first line, trailing blanks, control
///   characters, CR), they are double-quoted. Keys longer than 1000 bytes or not scalars use `? key`.
/// - Tags are written in short form (`!!str`) when in the YAML namespace, `!local` as is, others as `!<uri>`.
///   Anchors are written; a node whose `alias` names an anchor already written earlier in the same document is
///   written as `*alias`, otherwise it is expanded.
public enum YAMLEmitter {
    /// The documents of a stream.
    public static func emit(_ documents: [YAMLDocument]) -> String {
        String(decoding: emitUTF8(documents), as: UTF8.self)
    }

    /// One document holding `node`.
    public static func emit(_ node: YAMLNode) -> String {
        emit([YAMLDocument(root: node)])
    }

    /// The documents of a stream as UTF-8 bytes, after `prefix` (for example a comment header): the same text
    /// as `emit(_:)`, written into one buffer.
    public static func emitUTF8(_ documents: [YAMLDocument], prefix: String = "") -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        out.append(contentsOf: prefix.utf8)
        for (index, document) in documents.enumerated() {
            var writer = Writer(out: out)
            out = []
            writer.document(document.root, marker: index > 0)
            out = writer.out
        }
        return out
    }
}

private struct Writer {
    enum Position { case mappingValue, sequenceItem, explicitKey }

    var out: [UInt8]
    private var anchors: Set<String> = []

    init(out: [UInt8]) {
        self.out = out
    }

    fileprivate mutating func put(_ text: String) {
        out.append(contentsOf: text.utf8)
    }

    fileprivate mutating func put(_ byte: UInt8) {
        out.append(byte)
    }

    fileprivate mutating func spaces(_ n: Int) {
        out.append(contentsOf: repeatElement(0x20, count: n))
    }

    mutating func document(_ root: YAMLNode?, marker: Bool) {
        guard let root else {
            put("---\n")
            return
        }
        let isCollection = (root.pairs.map { !$0.isEmpty } ?? false) || (root.items.map { !$0.isEmpty } ?? false)
        let props = properties(root)
        if isCollection {
            if !props.isEmpty {
                put("--- " + props + "\n")
            } else if marker {
                put("---\n")
            }
            if case .mapping(let pairs) = root.kind { mapping(pairs, indent: 0, firstInline: false) }
            if case .sequence(let items) = root.kind { sequence(items, indent: 0, firstInline: false) }
            return
        }
        if marker { put("---\n") }
        if case .scalar(let value, let style) = root.kind, value.isEmpty, style == .plain {
            // An empty plain scalar is null: written as nothing (after its anchor or tag), never as `''`.
            if !props.isEmpty {
                put(props + "\n")
            } else if !marker {
                put("---\n")
            }
            return
        }
        var line = props
        switch root.kind {
        case .mapping: line += (line.isEmpty ? "" : " ") + "{}"
        case .sequence: line += (line.isEmpty ? "" : " ") + "[]"
        case .scalar(let value, let style):
            put(line)
            scalar(value, style: style, lead: !line.isEmpty, contentIndent: 2)
            return
        }
        put(line + "\n")
    }

    private mutating func properties(_ node: YAMLNode) -> String {
        let anchor = node.anchor, tag = node.tag
        if anchor == nil, tag == nil { return "" }
        var parts: [String] = []
        if let anchor {
            parts.append("&" + anchor)
            anchors.insert(anchor)
        }
        if let tag { parts.append(Self.tagText(tag)) }
        return parts.joined(separator: " ")
    }

    private static func tagText(_ tag: String) -> String {
        let yamlPrefix = "tag:yaml.org,2002:"
        if tag.hasPrefix(yamlPrefix) { return "!!" + uriEscaped(tag.dropFirst(yamlPrefix.count)) }
        if tag.hasPrefix("!") { return "!" + uriEscaped(tag.dropFirst()) }
        return "!<" + uriEscaped(Substring(tag)) + ">"
    }

    /// A tag's text as a reader decodes it back: parsed tags come with their `%XX` escapes decoded (a `%TAG`
    /// prefix `tag:example.com,%2026:` gives a tag holding a space), so every byte outside the characters a tag may
    /// hold unescaped in any of its forms is written `%XX` again (`!`, `%`, flow indicators, spaces, non-ASCII).
    private static func uriEscaped(_ text: Substring) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-;/?:@&=+$_.~*'()".utf8)
        guard !text.utf8.allSatisfy(plain.contains) else { return String(text) }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            if plain.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `node` after an indicator (`key:`, `-`, `?`) already written at column `indent`.
    fileprivate mutating func value(_ node: YAMLNode, indent: Int, position: Position) {
        if let alias = node.alias, anchors.contains(alias) {
            put(" *" + alias + "\n")
            return
        }
        let props = properties(node)
        switch node.kind {
        case .scalar(let value, let style):
            if value.isEmpty, style == .plain {
                if !props.isEmpty { put(0x20); put(props) }
                put(0x0A)
                return
            }
            if !props.isEmpty { put(0x20); put(props) }
            scalar(value, style: style, lead: true, contentIndent: indent + 2)
        case .mapping(let pairs) where pairs.isEmpty:
            put(0x20)
            if !props.isEmpty { put(props); put(0x20) }
            put("{}\n")
        case .sequence(let items) where items.isEmpty:
            put(0x20)
            if !props.isEmpty { put(props); put(0x20) }
            put("[]\n")
        case .mapping(let pairs):
            if position != .mappingValue, props.isEmpty {
                put(0x20)
                mapping(pairs, indent: indent + 2, firstInline: true)
            } else {
                if !props.isEmpty { put(0x20); put(props) }
                put(0x0A)
                mapping(pairs, indent: indent + 2, firstInline: false)
            }
        case .sequence(let items):
            if position != .mappingValue, props.isEmpty {
                put(0x20)
                sequence(items, indent: indent + 2, firstInline: true)
            } else {
                if !props.isEmpty { put(0x20); put(props) }
                put(0x0A)
                sequence(items, indent: indent + 2, firstInline: false)
            }
        }
    }

    private mutating func mapping(_ pairs: [YAMLPair], indent: Int, firstInline: Bool) {
        for index in pairs.indices {
            if index > 0 || !firstInline { spaces(indent) }
            if simpleKey(pairs[index].key) {
                put(UInt8(ascii: ":"))
                value(pairs[index].value, indent: indent, position: .mappingValue)
            } else {
                put(UInt8(ascii: "?"))
                value(pairs[index].key, indent: indent, position: .explicitKey)
                spaces(indent)
                put(UInt8(ascii: ":"))
                value(pairs[index].value, indent: indent, position: .mappingValue)
            }
        }
    }

    private mutating func sequence(_ items: [YAMLNode], indent: Int, firstInline: Bool) {
        for index in items.indices {
            if index > 0 || !firstInline { spaces(indent) }
            put(UInt8(ascii: "-"))
            value(items[index], indent: indent, position: .sequenceItem)
        }
    }

    /// Writes the one-line text of a key (with its properties) and returns true, or writes nothing and returns
    /// false when the key needs the explicit `?` form.
    private mutating func simpleKey(_ key: YAMLNode) -> Bool {
        if let alias = key.alias, anchors.contains(alias) {
            put("*" + alias + " ")
            return true
        }
        // An empty plain key is null: the explicit form writes it as nothing (`''` would make it a string).
        guard case .scalar(let value, let style) = key.kind, !(value.isEmpty && style == .plain) else { return false }
        let start = out.count
        guard simpleKey(value, style: style) else { return false }
        let props = properties(key)
        if !props.isEmpty { out.insert(contentsOf: Array((props + " ").utf8), at: start) }
        return true
    }

    /// Writes a scalar key's text and returns true, or writes nothing and returns false when it is over 1000 bytes
    /// (the explicit `?` form is needed).
    fileprivate mutating func simpleKey(_ value: String, style: YAMLScalarStyle) -> Bool {
        let start = out.count
        Self.withUTF8(value) { u in
            if YAMLScalarBytes.canBePlain(u, isKey: true), style == .plain || !YAMLScalarBytes.resolvesToNonString(u) {
                out.append(contentsOf: u)
            } else {
                quoted(value, u)
            }
        }
        guard out.count - start <= 1000 else {
            out.removeSubrange(start...)
            return false
        }
        return true
    }

    /// Writes `value` single-quoted when it can be, double-quoted otherwise.
    private mutating func quoted(_ value: String, _ u: UnsafeBufferPointer<UInt8>) {
        if YAMLScalarBytes.isASCII(u) {
            if YAMLScalarBytes.asciiCanBeSingleQuoted(u) {
                YAMLScalarBytes.appendASCIISingleQuoted(u, to: &out)
            } else {
                YAMLScalarBytes.appendASCIIDoubleQuoted(u, to: &out)
            }
        } else if YAMLScalarSyntax.canBeSingleQuoted(value) {
            put(YAMLScalarSyntax.singleQuoted(value))
        } else {
            put(YAMLScalarSyntax.doubleQuoted(value))
        }
    }

    /// Writes a space when `lead` is set and a non-empty scalar, ending the line; block content goes at
    /// `contentIndent`.
    fileprivate mutating func scalar(_ value: String, style: YAMLScalarStyle, lead: Bool, contentIndent: Int) {
        Self.withUTF8(value) { u in
            if u.contains(0x0A), YAMLScalarSyntax.canBeLiteral(value) {
                literal(u, lead: lead, indent: contentIndent)
                return
            }
            if lead { put(0x20) }
            if YAMLScalarBytes.canBePlain(u, isKey: false), style == .plain || !YAMLScalarBytes.resolvesToNonString(u) {
                out.append(contentsOf: u)
            } else {
                quoted(value, u)
            }
            put(0x0A)
        }
    }

    private mutating func literal(_ bytes: UnsafeBufferPointer<UInt8>, lead: Bool, indent: Int) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        let trailing = bytes.count - end
        if lead { put(0x20) }
        put(trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n")
        var lineStart = 0
        while lineStart <= end {
            var lineEnd = lineStart
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if lineEnd > lineStart {
                spaces(indent)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
            }
            put(0x0A)
            lineStart = lineEnd + 1
        }
        if trailing > 1 { out.append(contentsOf: repeatElement(0x0A, count: trailing - 1)) }
    }

    private static func withUTF8<R>(_ value: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = value.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(value.utf8).withUnsafeBufferPointer(body)
    }
}

/// Writes one block-style document field by field, for callers that hold typed values rather than a node tree
/// (the ESO emitter): the bytes are those `YAMLEmitter` writes for the equivalent tree, without building it.
///
///     var w = YAMLBlockWriter(prefix: header)
///     w.beginMapping()
///     w.key("kind"); w.string("ExternalSecret")
///     w.key("data"); w.beginSequence(); ...; w.endSequence()
///     w.endMapping()
///     let bytes = w.finish()
///
/// A collection's opening is written when its first child comes (or `{}` / `[]` when none does), so callers
/// need not know in advance whether a collection is empty.
public struct YAMLBlockWriter {
    private struct Frame {
        var isMapping: Bool
        /// The column of the collection's keys or `-` indicators.
        var indent: Int
        /// Where the collection stands: nil for the document root.
        var position: Writer.Position?
        var count = 0
    }

    private var writer: Writer
    private var frames: [Frame] = []

    public init(prefix: String = "") {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        out.append(contentsOf: prefix.utf8)
        writer = Writer(out: out)
        frames.reserveCapacity(8)
    }

    /// Starts the next child of the innermost collection: the collection's opening before its first child,
    /// the indentation before the others.
    private mutating func startChild() {
        let top = frames.count - 1
        if frames[top].count == 0 {
            switch frames[top].position {
            case nil: break
            case .mappingValue?:
                writer.put(0x0A)
                writer.spaces(frames[top].indent)
            case .sequenceItem?, .explicitKey?: writer.put(0x20)
            }
        } else {
            writer.spaces(frames[top].indent)
        }
        frames[top].count += 1
    }

    /// Where the next value goes: after the key just written, as the next item of a sequence (its `-` is
    /// written here), or as the root (nil).
    private mutating func startValue() -> (indent: Int, position: Writer.Position)? {
        guard let top = frames.last else { return nil }
        if top.isMapping { return (top.indent, .mappingValue) }
        startChild()
        writer.put(UInt8(ascii: "-"))
        return (top.indent, .sequenceItem)
    }

    public mutating func beginMapping() { begin(isMapping: true) }
    public mutating func beginSequence() { begin(isMapping: false) }
    public mutating func endMapping() { end() }
    public mutating func endSequence() { end() }

    private mutating func begin(isMapping: Bool) {
        if let (indent, position) = startValue() {
            frames.append(Frame(isMapping: isMapping, indent: indent + 2, position: position))
        } else {
            frames.append(Frame(isMapping: isMapping, indent: 0, position: nil))
        }
    }

    private mutating func end() {
        let frame = frames.removeLast()
        guard frame.count == 0 else { return }
        if frame.position != nil { writer.put(0x20) }
        writer.put(frame.isMapping ? "{}\n" : "[]\n")
    }

    /// The next key of the innermost mapping, prepared; its value follows.
    public mutating func key(_ key: YAMLKey) {
        guard let bytes = key.bytes else { return self.key(key.text) }
        precondition(frames.last?.isMapping == true, "YAMLBlockWriter: a key outside a mapping")
        startChild()
        writer.out.append(contentsOf: bytes)
    }

    /// The next key of the innermost mapping (a string); its value follows.
    public mutating func key(_ key: String) {
        precondition(frames.last?.isMapping == true, "YAMLBlockWriter: a key outside a mapping")
        startChild()
        let indent = frames[frames.count - 1].indent
        if writer.simpleKey(key, style: .doubleQuoted) {
            writer.put(UInt8(ascii: ":"))
        } else {
            writer.put(UInt8(ascii: "?"))
            writer.value(.scalar(key, style: .doubleQuoted), indent: indent, position: .explicitKey)
            writer.spaces(indent)
            writer.put(UInt8(ascii: ":"))
        }
    }

    /// A string value: written plain when it reads back as the same string, quoted otherwise (as a
    /// `.doubleQuoted` scalar node is).
    public mutating func string(_ value: String) {
        scalar(value, style: .doubleQuoted)
    }

    /// A scalar value in the given style (`.plain` for `true`, `3`).
    public mutating func scalar(_ value: String, style: YAMLScalarStyle) {
        guard let (indent, _) = startValue() else {
            writer.document(.scalar(value, style: style), marker: false)
            return
        }
        if value.isEmpty, style == .plain {
            writer.put(0x0A)
        } else {
            writer.scalar(value, style: style, lead: true, contentIndent: indent + 2)
        }
    }

    /// Any node as the next value, written as `YAMLEmitter` writes it there.
    public mutating func node(_ node: YAMLNode) {
        guard let (indent, position) = startValue() else {
            writer.document(node, marker: false)
            return
        }
        writer.value(node, indent: indent, position: position)
    }

    /// The bytes written (the prefix, then the document).
    public consuming func finish() -> [UInt8] {
        precondition(frames.isEmpty, "YAMLBlockWriter: a collection was not ended")
        return writer.out
    }
}

/// A mapping key whose written form is worked out once, for keys written many times (the field names of a typed
/// model): `YAMLBlockWriter.key(_:)` then copies its bytes.
public struct YAMLKey: Sendable, Hashable {
    public let text: String
    /// `text` as written, with its `:`; nil when it needs the explicit `? key` form.
    let bytes: [UInt8]?

    public init(_ text: String) {
        self.text = text
        var writer = Writer(out: [])
        if writer.simpleKey(text, style: .doubleQuoted) {
            writer.put(UInt8(ascii: ":"))
            bytes = writer.out
        } else {
            bytes = nil
        }
    }
}

extension YAMLKey: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) { self.init(text) }
}
