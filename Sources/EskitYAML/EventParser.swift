internal import CYAML
import EskitCore

/// Owns one libyaml parser, its event and a private copy of the input; builds node trees from the event stream.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let inputCount: Int
    private let bomLength: Int
    private let initialized: Bool
    private let file: String
    private let limits: YAMLLimits
    private var cursor: MarkCursor

    private struct Frame {
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
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
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        initialized = yaml_parser_initialize(parser) == 1
        inputCount = bytes.count
        bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        cursor = MarkCursor(base: UnsafePointer(input.baseAddress!), count: bytes.count, skip: bomLength)
        if initialized {
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, input.baseAddress! + bomLength, bytes.count - bomLength)
        }
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        event.deallocate()
        input.deallocate()
    }

    private var source: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: input.baseAddress, count: inputCount)
    }

    func run(_ emit: (YAMLDocument) -> Void) throws(YAMLError) {
        guard initialized else {
            throw YAMLError(file: file, position: .start, problem: "cannot initialize libyaml parser")
        }
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var root: YAMLNode?
        var documentStart = TextPosition.start
        var documentIndex = 0
        var expanded = 0

        func attach(_ node: YAMLNode, count: Int) {
            if stack.isEmpty {
                root = node
                return
            }
            let top = stack.count - 1
            if stack[top].isMapping {
                if let key = stack[top].pendingKey {
                    stack[top].pairs.append(YAMLPair(key: key, value: node))
                    stack[top].pendingKey = nil
                } else {
                    stack[top].pendingKey = node
                }
            } else {
                stack[top].items.append(node)
            }
            stack[top].count += count
        }

        while true {
            guard yaml_parser_parse(parser, event) == 1 else { throw libyamlError() }
            defer { yaml_event_delete(event) }
            let ev = event.pointee
            switch ev.type {
            case YAML_SCALAR_EVENT:
                let data = ev.data.scalar
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length),
                                   as: UTF8.self)
                let node = YAMLNode(kind: .scalar(value, Self.style(data.style)),
                                    tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                                    span: TextSpan(start: start, end: end))
                if let anchor = node.anchor { anchors[anchor] = Anchored(node: node, count: 1) }
                attach(node, count: 1)

            case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                let isMapping = ev.type == YAML_MAPPING_START_EVENT
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                if stack.count >= limits.maxDepth {
                    throw error(at: start, problem: "nesting deeper than \(limits.maxDepth) levels",
                                context: isMapping ? "while parsing a mapping" : "while parsing a sequence")
                }
                let tag = isMapping ? ev.data.mapping_start.tag : ev.data.sequence_start.tag
                let anchor = isMapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor
                stack.append(Frame(isMapping: isMapping, tag: Self.string(tag), anchor: Self.string(anchor),
                                   start: start))

            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                let frame = stack.removeLast()
                let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
                let node = YAMLNode(kind: kind, tag: frame.tag, anchor: frame.anchor,
                                    span: TextSpan(start: frame.start, end: end))
                if let anchor = frame.anchor { anchors[anchor] = Anchored(node: node, count: frame.count) }
                attach(node, count: frame.count)

            case YAML_ALIAS_EVENT:
                let name = Self.string(ev.data.alias.anchor) ?? ""
                let start = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                guard let anchored = anchors[name] else {
                    throw error(at: start, problem: "found undefined alias \"\(name)\"")
                }
                expanded += anchored.count
                if expanded > limits.maxAliasExpansion {
                    throw error(at: start,
                                problem: "alias expansion exceeds \(limits.maxAliasExpansion) nodes",
                                context: "while resolving alias \"\(name)\"")
                }
                var node = anchored.node
                node.anchor = nil
                node.alias = name
                node.span = TextSpan(start: start, end: end)
                attach(node, count: anchored.count)

            case YAML_DOCUMENT_START_EVENT:
                documentStart = cursor.position(ofCodePoint: Int(ev.start_mark.index))
                anchors.removeAll(keepingCapacity: true)
                root = nil
                expanded = 0

            case YAML_DOCUMENT_END_EVENT:
                let end = cursor.position(ofCodePoint: Int(ev.end_mark.index))
                if let node = root, node.start == node.end, node.tag == nil, node.anchor == nil,
                   case .scalar("", .plain) = node.kind {
                    root = nil
                }
                emit(YAMLDocument(root: root, span: TextSpan(start: documentStart, end: end), index: documentIndex))
                documentIndex += 1
                root = nil

            case YAML_STREAM_END_EVENT:
                return

            default:
                break
            }
        }
    }

    private func error(at position: TextPosition, problem: String, context: String? = nil) -> YAMLError {
        YAMLError(file: file, position: position, problem: problem, context: context,
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
        if problem == "found character that cannot start any token", position.offset < inputCount,
           input[position.offset] == 0x09 {
            problemText += ": a tab (indent with spaces)"
        }
        let context = p.context.map { String(cString: $0) }
        let contextPosition = context == nil ? nil : self.position(ofCodePoint: Int(p.context_mark.index))
        return YAMLError(file: file, position: position, problem: problemText, context: context,
                         contextPosition: contextPosition,
                         sourceLine: SourceText.line(at: position.offset, in: source))
    }

    private func position(ofCodePoint index: Int) -> TextPosition {
        var fresh = MarkCursor(base: UnsafePointer(input.baseAddress!), count: inputCount, skip: bomLength)
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
