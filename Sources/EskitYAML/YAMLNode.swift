public import EskitCore

/// How a scalar was written in the source (or should be written by the emitter).
public enum YAMLScalarStyle: String, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One node of a parsed YAML document. Every node carries the span of its source text (`start`..`end`, as
/// libyaml reports them, converted to byte offsets and 1-based line/column). Nodes built in code carry
/// zero spans.
public struct YAMLNode: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A scalar's value (after unescaping and folding) and its source style.
        case scalar(String, YAMLScalarStyle)
        /// A mapping: pairs in source order (duplicate keys are kept; the loader of a format decides).
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    private var properties: Properties?
    private var compactSpan: CompactSpan

    /// The explicit tag (`!!str`, `!custom`), resolved to its full form (`tag:yaml.org,2002:str`); nil when none.
    public var tag: String? {
        get { properties?.tag }
        set { properties = Properties.make(tag: newValue, anchor: anchor, alias: alias) }
    }
    /// The anchor this node defines (`&name`), if any.
    public var anchor: String? {
        get { properties?.anchor }
        set { properties = Properties.make(tag: tag, anchor: newValue, alias: alias) }
    }
    /// Set when this node was produced by resolving an alias (`*name`): the name of that alias. The node's kind
    /// is a copy of the anchored node; its span is the alias's own span in the source.
    public var alias: String? {
        get { properties?.alias }
        set { properties = Properties.make(tag: tag, anchor: anchor, alias: newValue) }
    }
    /// The node's source text. Stored compactly: offsets, lines and columns outside 0..<2^32 (sources over
    /// 4 GiB) are clamped.
    public var span: TextSpan {
        get { compactSpan.span }
        set { compactSpan = CompactSpan(newValue) }
    }

    public init(
        kind: Kind, tag: String? = nil, anchor: String? = nil, alias: String? = nil,
        span: TextSpan = TextSpan(start: .start, end: .start)
    ) {
        self.kind = kind
        self.properties = Properties.make(tag: tag, anchor: anchor, alias: alias)
        self.compactSpan = CompactSpan(span)
    }

    public var start: TextPosition { span.start }
    public var end: TextPosition { span.end }

    public static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        a.compactSpan == b.compactSpan && a.tag == b.tag && a.anchor == b.anchor && a.alias == b.alias
            && a.kind == b.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(tag)
        hasher.combine(anchor)
        hasher.combine(alias)
        hasher.combine(compactSpan)
    }
}

/// Tag, anchor and alias of a node, boxed because most nodes have none (keeps `YAMLNode` small).
private final class Properties: Sendable {
    let tag: String?
    let anchor: String?
    let alias: String?

    private init(tag: String?, anchor: String?, alias: String?) {
        self.tag = tag
        self.anchor = anchor
        self.alias = alias
    }

    static func make(tag: String?, anchor: String?, alias: String?) -> Properties? {
        tag == nil && anchor == nil && alias == nil ? nil : Properties(tag: tag, anchor: anchor, alias: alias)
    }
}

/// A `TextSpan` in 24 bytes instead of 48 (values outside 0..<2^32 are clamped).
private struct CompactSpan: Sendable, Hashable {
    var startOffset: UInt32
    var endOffset: UInt32
    var startLine: UInt32
    var startColumn: UInt32
    var endLine: UInt32
    var endColumn: UInt32

    init(_ span: TextSpan) {
        startOffset = UInt32(clamping: span.start.offset)
        endOffset = UInt32(clamping: span.end.offset)
        startLine = UInt32(clamping: span.start.line)
        startColumn = UInt32(clamping: span.start.column)
        endLine = UInt32(clamping: span.end.line)
        endColumn = UInt32(clamping: span.end.column)
    }

    var span: TextSpan {
        TextSpan(
            start: TextPosition(offset: Int(startOffset), line: Int(startLine), column: Int(startColumn)),
            end: TextPosition(offset: Int(endOffset), line: Int(endLine), column: Int(endColumn)))
    }
}

/// A key/value pair of a mapping.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// One document of a stream.
public struct YAMLDocument: Sendable, Hashable {
    /// The root node; nil for an empty document (e.g. a lone `---`).
    public var root: YAMLNode?
    /// The span of the whole document, including its `---` / `...` markers when present.
    public var span: TextSpan
    /// Zero-based index of the document in its stream.
    public var index: Int

    public init(root: YAMLNode?, span: TextSpan = TextSpan(start: .start, end: .start), index: Int = 0) {
        self.root = root
        self.span = span
        self.index = index
    }
}

// MARK: - Building and reading nodes

extension YAMLNode {
    /// A scalar with the given style. The emitter writes a `.plain` scalar plain whenever its text can be, so a
    /// reader resolves it by the usual rules (`3` is an int, `true` a boolean); use `string(_:)` (or any quoted
    /// style) for text that must stay a string, which the emitter quotes only when needed.
    public static func scalar(_ value: String, style: YAMLScalarStyle = .plain) -> YAMLNode {
        YAMLNode(kind: .scalar(value, style))
    }

    /// A mapping with string keys (see `string(_:)`), in the given order.
    public static func mapping(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
        YAMLNode(kind: .mapping(pairs.map { YAMLPair(key: .string($0.0), value: $0.1) }))
    }

    public static func sequence(_ items: [YAMLNode]) -> YAMLNode {
        YAMLNode(kind: .sequence(items))
    }

    /// The scalar value, or nil for mappings and sequences.
    public var scalarValue: String? {
        if case .scalar(let value, _) = kind { return value }
        return nil
    }

    /// The scalar style, or nil for mappings and sequences.
    public var scalarStyle: YAMLScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }

    /// The pairs of a mapping, or nil.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The items of a sequence, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value of the first pair whose key is the scalar `key`; nil when absent or not a mapping.
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    /// The first pair whose key is the scalar `key`.
    public func pair(forKey key: String) -> YAMLPair? {
        pairs?.first { $0.key.scalarValue == key }
    }

    /// Where the node's text really ends: the end of its last scalar. A block collection's own end mark sits at the
    /// next token, past any comment and blank line after it; an edit that replaces the node up to here keeps those.
    public var lastScalarEnd: Int {
        switch kind {
        case .scalar: return end.offset
        case .mapping(let pairs): return pairs.last?.value.lastScalarEnd ?? end.offset
        case .sequence(let items): return items.last?.lastScalarEnd ?? end.offset
        }
    }

    /// True for a plain scalar that YAML 1.1/1.2 core schema reads as null (`~`, `null`, empty) and has no tag.
    public var isNull: Bool {
        guard tag == nil, case .scalar(let value, .plain) = kind else { return false }
        return value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }
}

// MARK: - Content equality

extension YAMLNode {
    /// A string scalar that every YAML 1.1 or 1.2 loader reads back as this string: the emitter writes it plain
    /// when that is unambiguous and quotes it otherwise (`"yes"`, `"0123"`, `"1e3"`, `"null"`...). A `.plain`
    /// scalar, by contrast, is written plain when it can be and keeps whatever type a reader resolves it to.
    public static func string(_ value: String) -> YAMLNode {
        YAMLNode(kind: .scalar(value, .doubleQuoted))
    }

    /// True when both trees hold the same data: same kinds, scalar values, tags, key order and items. Spans,
    /// scalar styles, anchor names and alias names are ignored (an alias equals the node it copies).
    public func contentEquals(_ other: YAMLNode) -> Bool {
        guard tag == other.tag else { return false }
        switch (kind, other.kind) {
        case (.scalar(let a, _), .scalar(let b, _)):
            return a == b
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.contentEquals($1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key.contentEquals($1.key) && $0.value.contentEquals($1.value) }
        default:
            return false
        }
    }
}

extension YAMLDocument {
    /// True when both documents have content-equal roots (or both are empty: a nil root, or an untagged empty
    /// plain scalar, which is how an empty document reads); spans and index are ignored.
    public func contentEquals(_ other: YAMLDocument) -> Bool {
        func normalized(_ node: YAMLNode?) -> YAMLNode? {
            guard let node, node.tag == nil, case .scalar("", .plain) = node.kind else { return node }
            return nil
        }
        switch (normalized(root), normalized(other.root)) {
        case (nil, nil): return true
        case (let a?, let b?): return a.contentEquals(b)
        default: return false
        }
    }
}
