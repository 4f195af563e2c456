internal import CYAML
import EskitCore

/// Owns one libyaml parser, its event and the input array (alive as long as the parser); builds node trees
/// from the event stream. libyaml reads the input only inside `run`, through the array's buffer pointer.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private let bytes: [UInt8]
    private let bomLength: Int
    private var source = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private let initialized: Bool
    private let file: String
    private let limits: YAMLLimits
    private var cursor = MarkCursor(base: nil, count: 0)

    /// Open collections and their children so far. Children of all open collections share two scratch stacks,
    /// so each finished collection is copied once into an array of exactly its size.
    private struct TreeBuilder {
        var stack: [Frame] = []
        var root: YAMLNode?
        private var items: [YAMLNode] = []
        private var pairs: [YAMLPair] = []

        mutating func open(isMapping: Bool, tag: String?, anchor: String?, start: TextPosition) {
            stack.append(
                Frame(
                    isMapping: isMapping, firstChild: isMapping ? pairs.count : items.count, tag: tag,
                    anchor: anchor, start: start))
        }

        mutating func close() -> (kind: YAMLNode.Kind, frame: Frame) {
            let frame = stack.removeLast()
            if frame.isMapping {
                return (.mapping(Self.popExact(&pairs, from: frame.firstChild)), frame)
            }
            return (.sequence(Self.popExact(&items, from: frame.firstChild)), frame)
        }

        private static func popExact<T>(_ scratch: inout [T], from first: Int) -> [T] {
            let count = scratch.count - first
            let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                scratch.withUnsafeBufferPointer { source in
                    _ = buffer.initialize(fromContentsOf: source[first...])
                }
                initialized = count
            }
            scratch.removeLast(count)
            return result
        }

        mutating func attach(_ node: consuming YAMLNode, count: Int) {
            let top = stack.count - 1
            guard top >= 0 else {
                root = node
                return
            }
            stack[top].count += count
            if !stack[top].isMapping {
                items.append(node)
            } else if let key = stack[top].pendingKey.take() {
                pairs.append(YAMLPair(key: key, value: node))
            } else {
                stack[top].pendingKey = node
            }
        }
    }

    private struct Frame {
        var isMapping: Bool
        var firstChild: Int
        var pendingKey: YAMLNode?
        var tag: String?
        var anchor: String?
        var start: TextPosition
        var count = 1
    }

    private struct Anchored {
        var node: YAMLNode
        var count: Int
    }

    init(bytes: [UInt8], file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
        self.bytes = bytes
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        initialized = yaml_parser_initialize(parser) == 1
        bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if initialized { yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING) }
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        event.deallocate()
    }

    /// Parses the whole stream once, handing over each finished document.
    func run(_ emit: (YAMLDocument) -> Void) throws(YAMLError) {
        guard initialized else {
            throw YAMLError(file: file, position: .start, problem: "cannot initialize libyaml parser")
        }
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) in
            source = buffer
            cursor = MarkCursor(base: buffer.baseAddress, count: buffer.count, skip: bomLength)
            yaml_parser_set_input_string(parser, buffer.baseAddress! + bomLength, buffer.count - bomLength)
            defer { source = UnsafeBufferPointer(start: nil, count: 0) }
            try parseEvents(emit)
        }
    }

    private func parseEvents(_ emit: (YAMLDocument) -> Void) throws(YAMLError) {
        var tree = TreeBuilder()
        var anchors: [String: Anchored] = [:]
        var documentStart = TextPosition.start
        var documentIndex = 0
        var expanded = 0

        while true {
            guard yaml_parser_parse(parser, event) == 1 else { throw libyamlError() }
            defer { yaml_event_delete(event) }
            let ev = event.pointee
            switch ev.type {
            case YAML_SCALAR_EVENT:
                let data = ev.data.scalar
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                let value = String(
                    decoding: UnsafeBufferPointer(start: data.value, count: data.length),
                    as: UTF8.self)
                let node = YAMLNode(
                    kind: .scalar(value, Self.style(data.style)),
                    tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                    span: TextSpan(start: start, end: end))
                if let anchor = node.anchor { anchors[anchor] = Anchored(node: node, count: 1) }
                tree.attach(node, count: 1)

            case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                let isMapping = ev.type == YAML_MAPPING_START_EVENT
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                if tree.stack.count >= limits.maxDepth {
                    throw error(
                        at: start, problem: "nesting deeper than \(limits.maxDepth) levels",
                        context: isMapping ? "while parsing a mapping" : "while parsing a sequence")
                }
                let tag = isMapping ? ev.data.mapping_start.tag : ev.data.sequence_start.tag
                let anchor = isMapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor
                tree.open(isMapping: isMapping, tag: Self.string(tag), anchor: Self.string(anchor), start: start)

            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                let (kind, frame) = tree.close()
                let node = YAMLNode(
                    kind: kind, tag: frame.tag, anchor: frame.anchor,
                    span: TextSpan(start: frame.start, end: end))
                if let anchor = frame.anchor { anchors[anchor] = Anchored(node: node, count: frame.count) }
                tree.attach(node, count: frame.count)

            case YAML_ALIAS_EVENT:
                let name = Self.string(ev.data.alias.anchor) ?? ""
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                guard let anchored = anchors[name] else {
                    throw error(at: start, problem: "found undefined alias \"\(name)\"")
                }
                expanded += anchored.count
                if expanded > limits.maxAliasExpansion {
                    throw error(
                        at: start,
                        problem: "alias expansion exceeds \(limits.maxAliasExpansion) nodes",
                        context: "while resolving alias \"\(name)\"")
                }
                let node = YAMLNode(
                    kind: anchored.node.kind, tag: anchored.node.tag, alias: name,
                    span: TextSpan(start: start, end: end))
                tree.attach(node, count: anchored.count)

            case YAML_DOCUMENT_START_EVENT:
                documentStart = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                anchors.removeAll(keepingCapacity: true)
                tree.root = nil
                expanded = 0

            case YAML_DOCUMENT_END_EVENT:
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                if let node = tree.root, node.start == node.end, node.tag == nil, node.anchor == nil,
                    case .scalar("", .plain) = node.kind
                {
                    tree.root = nil
                }
                emit(
                    YAMLDocument(root: tree.root, span: TextSpan(start: documentStart, end: end), index: documentIndex))
                documentIndex += 1
                tree.root = nil

            case YAML_STREAM_END_EVENT:
                return

            default:
                break
            }
        }
    }

    private func error(at position: TextPosition, problem: String, context: String? = nil) -> YAMLError {
        YAMLError(
            file: file, position: position, problem: problem, context: context,
            sourceLine: SourceText.line(at: position.offset, in: source))
    }

    private func libyamlError() -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        if p.error == YAML_READER_ERROR {
            let position = SourceText.position(ofByte: Int(p.problem_offset) + bomLength, in: source)
            if source.starts(with: [0xFF, 0xFE]) || source.starts(with: [0xFE, 0xFF]) {
                return error(at: .start, problem: "UTF-16 input is not supported; convert the file to UTF-8")
            }
            let text = p.problem_value >= 0 ? problem + ": " + Self.hex(p.problem_value) : problem
            return error(at: position, problem: text)
        }
        if p.error == YAML_MEMORY_ERROR {
            return error(at: .start, problem: "out of memory")
        }
        let position = position(ofCodePoint: Int(p.problem_mark.index))
        var problemText = problem
        if problem == "found character that cannot start any token", position.offset < source.count,
            source[position.offset] == 0x09
        {
            problemText += ": a tab (indent with spaces)"
        }
        let context = p.context.map { String(cString: $0) }
        let contextPosition = context == nil ? nil : self.position(ofCodePoint: Int(p.context_mark.index))
        return YAMLError(
            file: file, position: position, problem: problemText, context: context,
            contextPosition: contextPosition,
            sourceLine: SourceText.line(at: position.offset, in: source))
    }

    private func position(ofCodePoint index: Int) -> TextPosition {
        var fresh = MarkCursor(base: source.baseAddress, count: source.count, skip: bomLength)
        return fresh.position(ofCodePoint: index)
    }

    private static func hex(_ value: Int32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + (digits.count % 2 == 1 ? "0" + digits : digits)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
