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
        var out = ""
        for (index, document) in documents.enumerated() {
            var writer = Writer()
            writer.document(document.root, marker: index > 0)
            out += writer.out
        }
        return out
    }

    /// One document holding `node`.
    public static func emit(_ node: YAMLNode) -> String {
        emit([YAMLDocument(root: node)])
    }
}

private struct Writer {
    enum Position { case mappingValue, sequenceItem, explicitKey }

    var out = ""
    private var anchors: Set<String> = []

    mutating func document(_ root: YAMLNode?, marker: Bool) {
        guard let root else {
            out += "---\n"
            return
        }
        let isCollection = (root.pairs.map { !$0.isEmpty } ?? false) || (root.items.map { !$0.isEmpty } ?? false)
        let props = properties(root)
        if isCollection {
            if !props.isEmpty {
                out += "--- " + props + "\n"
            } else if marker {
                out += "---\n"
            }
            if case .mapping(let pairs) = root.kind { mapping(pairs, indent: 0, firstInline: false) }
            if case .sequence(let items) = root.kind { sequence(items, indent: 0, firstInline: false) }
            return
        }
        if marker { out += "---\n" }
        if case .scalar(let value, let style) = root.kind, value.isEmpty, style == .plain, props.isEmpty {
            if !marker { out += "---\n" }
            return
        }
        var line = props
        switch root.kind {
        case .mapping: line += (line.isEmpty ? "" : " ") + "{}"
        case .sequence: line += (line.isEmpty ? "" : " ") + "[]"
        case .scalar(let value, let style):
            out += line
            scalar(value, style: style, lead: line.isEmpty ? "" : " ", contentIndent: 2)
            return
        }
        out += line + "\n"
    }

    private mutating func properties(_ node: YAMLNode) -> String {
        var parts: [String] = []
        if let anchor = node.anchor {
            parts.append("&" + anchor)
            anchors.insert(anchor)
        }
        if let tag = node.tag { parts.append(Self.tagText(tag)) }
        return parts.joined(separator: " ")
    }

    private static func tagText(_ tag: String) -> String {
        let yamlPrefix = "tag:yaml.org,2002:"
        if tag.hasPrefix(yamlPrefix) { return "!!" + tag.dropFirst(yamlPrefix.count) }
        if tag.hasPrefix("!") { return tag }
        return "!<" + tag + ">"
    }

    private static func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }

    /// Writes `node` after an indicator (`key:`, `-`, `?`) already written at column `indent`.
    private mutating func value(_ node: YAMLNode, indent: Int, position: Position) {
        if let alias = node.alias, anchors.contains(alias) {
            out += " *" + alias + "\n"
            return
        }
        let props = properties(node)
        let lead = props.isEmpty ? " " : " " + props + " "
        switch node.kind {
        case .scalar(let value, let style):
            if value.isEmpty, style == .plain {
                out += (props.isEmpty ? "" : " " + props) + "\n"
                return
            }
            out += props.isEmpty ? "" : " " + props
            scalar(value, style: style, lead: " ", contentIndent: indent + 2)
        case .mapping(let pairs) where pairs.isEmpty:
            out += lead + "{}\n"
        case .sequence(let items) where items.isEmpty:
            out += lead + "[]\n"
        case .mapping(let pairs):
            if position != .mappingValue, props.isEmpty {
                out += " "
                mapping(pairs, indent: indent + 2, firstInline: true)
            } else {
                out += (props.isEmpty ? "" : " " + props) + "\n"
                mapping(pairs, indent: indent + 2, firstInline: false)
            }
        case .sequence(let items):
            if position != .mappingValue, props.isEmpty {
                out += " "
                sequence(items, indent: indent + 2, firstInline: true)
            } else {
                out += (props.isEmpty ? "" : " " + props) + "\n"
                sequence(items, indent: indent + 2, firstInline: false)
            }
        }
    }

    private mutating func mapping(_ pairs: [YAMLPair], indent: Int, firstInline: Bool) {
        for (index, pair) in pairs.enumerated() {
            if index > 0 || !firstInline { out += Self.spaces(indent) }
            if let key = simpleKey(pair.key) {
                out += key + ":"
                value(pair.value, indent: indent, position: .mappingValue)
            } else {
                out += "?"
                value(pair.key, indent: indent, position: .explicitKey)
                out += Self.spaces(indent) + ":"
                value(pair.value, indent: indent, position: .mappingValue)
            }
        }
    }

    private mutating func sequence(_ items: [YAMLNode], indent: Int, firstInline: Bool) {
        for (index, item) in items.enumerated() {
            if index > 0 || !firstInline { out += Self.spaces(indent) }
            out += "-"
            value(item, indent: indent, position: .sequenceItem)
        }
    }

    /// The one-line text of a key (with its properties), or nil when it needs the explicit `?` form.
    private mutating func simpleKey(_ key: YAMLNode) -> String? {
        if let alias = key.alias, anchors.contains(alias) { return "*" + alias + " " }
        guard case .scalar(let value, let style) = key.kind else { return nil }
        let text: String
        if YAMLScalarSyntax.canBePlain(value, isKey: true),
           style == .plain || !YAMLScalarSyntax.resolvesToNonString(value) {
            text = value
        } else if YAMLScalarSyntax.canBeSingleQuoted(value) {
            text = YAMLScalarSyntax.singleQuoted(value)
        } else {
            text = YAMLScalarSyntax.doubleQuoted(value)
        }
        guard text.utf8.count <= 1000 else { return nil }
        let props = properties(key)
        return props.isEmpty ? text : props + " " + text
    }

    /// Writes `lead` and a non-empty scalar, ending the line; block content goes at `contentIndent`.
    private mutating func scalar(_ value: String, style: YAMLScalarStyle, lead: String, contentIndent: Int) {
        if value.utf8.contains(0x0A), YAMLScalarSyntax.canBeLiteral(value) {
            literal(value, lead: lead, indent: contentIndent)
            return
        }
        out += lead
        if YAMLScalarSyntax.canBePlain(value, isKey: false),
           style == .plain || !YAMLScalarSyntax.resolvesToNonString(value) {
            out += value
        } else if YAMLScalarSyntax.canBeSingleQuoted(value) {
            out += YAMLScalarSyntax.singleQuoted(value)
        } else {
            out += YAMLScalarSyntax.doubleQuoted(value)
        }
        out += "\n"
    }

    private mutating func literal(_ value: String, lead: String, indent: Int) {
        let bytes = Array(value.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        let trailing = bytes.count - end
        out += lead + (trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+") + "\n"
        let pad = Self.spaces(indent)
        for line in bytes[0..<end].split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.isEmpty {
                out += "\n"
            } else {
                out += pad
                out += String(decoding: line, as: UTF8.self)
                out += "\n"
            }
        }
        if trailing > 1 { out += String(repeating: "\n", count: trailing - 1) }
    }
}
