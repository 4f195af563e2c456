public import EskitCore

/// Decodes `Decodable` values from a parsed YAML node, the one way eskit reads its own configuration files.
/// Every problem is a `Diagnostic` at the offending node's `file:line:col` naming the field path; unknown keys are
/// errors with "did you mean"; duplicate keys are errors; messages never quote a scalar value (it may be a
/// secret), only keys, types and enum values the schema allows.
///
/// Types validate further inside `init(from:)` by throwing `YAMLDecoder.Invalid(message)`, which is reported at
/// the node being decoded. `Located<T>` fields carry their source position.
public struct YAMLDecoder {
    public var file: String
    /// Keys that any mapping may carry without being decoded (none by default).
    public var ignoredKeys: Set<String> = []

    public init(file: String) { self.file = file }

    /// A problem a type found in its own input; reported at the node being decoded.
    public struct Invalid: Error {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// Decodes `T` from `node`.
    public func decode<T: Decodable>(_ type: T.Type, from node: YAMLNode) throws(DiagnosticsError) -> T {
        let state = DecodingState(file: file, ignoredKeys: ignoredKeys)
        let decoder = NodeDecoder(node: node, codingPath: [], state: state)
        let value: T
        do {
            value = try decodeValue(T.self, decoder)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([state.diagnostic(for: error, fallback: node)])
        }
        if !state.unknown.isEmpty { throw DiagnosticsError(state.unknown) }
        return value
    }

    /// Parses `bytes` (one YAML document; empty means an empty mapping) and decodes `T`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(DiagnosticsError) -> T {
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: file) } catch {
            throw DiagnosticsError([.error(file, error.position, error.problem)])
        }
        if documents.count > 1, let second = documents[1].root {
            throw DiagnosticsError([.error(file, second.start, "expected one YAML document, found \(documents.count)")])
        }
        let root = documents.first?.root.flatMap { $0.isNull ? nil : $0 } ?? YAMLNode(kind: .mapping([]))
        return try decode(type, from: root)
    }
}

/// A decoded value and where it was written.
public struct Located<Value: Decodable & Sendable>: Decodable, Sendable {
    public var value: Value
    public var position: TextPosition

    public init(_ value: Value, at position: TextPosition = .start) {
        self.value = value
        self.position = position
    }

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        position = (decoder as? NodeDecoder)?.node.start ?? .start
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// Shared by all containers of one decode: unknown keys and the node of each coding path.
final class DecodingState {
    let file: String
    let ignoredKeys: Set<String>
    var unknown: [Diagnostic] = []

    init(file: String, ignoredKeys: Set<String>) {
        self.file = file
        self.ignoredKeys = ignoredKeys
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }

    func diagnostic(for error: any Error, fallback: YAMLNode) -> Diagnostic {
        if let located = error as? LocatedError {
            let path = Self.path(located.codingPath)
            return .error(file, located.position, path.isEmpty ? located.message : "\(path): \(located.message)")
        }
        return .error(file, fallback.start, "\(error)")
    }
}

/// A decoding problem at a node.
struct LocatedError: Error {
    var position: TextPosition
    var codingPath: [any CodingKey]
    var message: String
}

struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Runs a type's `init(from:)` on `decoder`, turning its `YAMLDecoder.Invalid` into a problem at that node.
func decodeValue<T: Decodable>(_ type: T.Type, _ decoder: NodeDecoder) throws -> T {
    do {
        return try T(from: decoder)
    } catch let invalid as YAMLDecoder.Invalid {
        throw decoder.fail(invalid.message)
    }
}

/// The `Decoder` over one node.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let state: DecodingState
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func fail(_ message: String, at node: YAMLNode? = nil) -> LocatedError {
        LocatedError(position: (node ?? self.node).start, codingPath: codingPath, message: message)
    }

    static func kindName(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: node.isNull ? "null" : "a scalar"
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let pairs = node.pairs else { throw fail("expected a mapping, found \(Self.kindName(node))") }
        var index: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalarValue else { throw fail("expected a text key", at: pair.key) }
            if index[key] != nil { throw fail("duplicate key `\(key)`", at: pair.key) }
            index[key] = pair
        }
        let container = KeyedContainer<Key>(decoder: self, pairs: pairs, index: index)
        return KeyedDecodingContainer(container)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let items = node.items else { throw fail("expected a list, found \(Self.kindName(node))") }
        return UnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }
}

/// Mapping access; records which keys the type asked for, so the rest are reported as unknown once decoding of
/// this mapping is over (when the container is released).
final class KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let pairs: [YAMLPair]
    let index: [String: YAMLPair]
    var asked = Set<String>()

    init(decoder: NodeDecoder, pairs: [YAMLPair], index: [String: YAMLPair]) {
        self.decoder = decoder
        self.pairs = pairs
        self.index = index
    }

    deinit {
        for pair in pairs {
            guard let key = pair.key.scalarValue, !asked.contains(key), !decoder.state.ignoredKeys.contains(key) else {
                continue
            }
            let path = DecodingState.path(decoder.codingPath + [AnyKey(key)])
            let hint = Suggestion.hint(key, asked.sorted())
            decoder.state.unknown.append(
                .error(
                    decoder.state.file, pair.key.start,
                    "\(path): unknown field\(hint)"
                        + (hint.isEmpty ? " (expected: \(asked.sorted().joined(separator: ", ")))" : "")))
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { pairs.compactMap { $0.key.scalarValue.flatMap(Key.init(stringValue:)) } }

    func contains(_ key: Key) -> Bool {
        asked.insert(key.stringValue)
        return index[key.stringValue] != nil
    }

    func child(_ key: Key) throws -> NodeDecoder {
        asked.insert(key.stringValue)
        guard let pair = index[key.stringValue] else {
            throw LocatedError(
                position: decoder.node.start, codingPath: codingPath,
                message: "missing required field `\(key.stringValue)`")
        }
        return NodeDecoder(node: pair.value, codingPath: codingPath + [key], state: decoder.state)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        asked.insert(key.stringValue)
        return index[key.stringValue]?.value.isNull ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(T.self, try child(key)) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        asked.insert(key.stringValue)
        guard let pair = index[key.stringValue], !pair.value.isNull else { return nil }
        return try decodeValue(
            T.self, NodeDecoder(node: pair.value, codingPath: codingPath + [key], state: decoder.state))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [YAMLNode]
    var currentIndex = 0

    init(decoder: NodeDecoder, items: [YAMLNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw LocatedError(position: decoder.node.end, codingPath: codingPath, message: "not enough items")
        }
        defer { currentIndex += 1 }
        return NodeDecoder(
            node: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)],
            state: decoder.state)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self, try next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// Scalars, resolved with the YAML 1.2 core schema: a string field accepts only text (an unquoted number, bool or
/// null is an error that says to quote it), numbers and bools only their own forms.
struct SingleContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }

    func scalar(_ expected: String) throws -> String {
        guard case .scalar(let text, _) = decoder.node.kind else {
            throw decoder.fail("expected \(expected), found \(NodeDecoder.kindName(decoder.node))")
        }
        return text
    }

    func decode(_ type: String.Type) throws -> String {
        let text = try scalar("text")
        switch decoder.node.resolved {
        case .string?: return text
        // YAML 1.2 reads y / yes / on ... as text; only true / false are booleans in eskit's own files.
        case .bool? where !["true", "false"].contains(text.lowercased()): return text
        case let other?:
            throw decoder.fail("expected text, found \(other.typeName); quote it if text is meant")
        case nil: return text
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        _ = try scalar("true or false")
        if case .bool(let b)? = decoder.node.resolved { return b }
        throw decoder.fail("expected true or false")
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        _ = try scalar("an integer")
        if case .int(let n)? = decoder.node.resolved, let v = T(exactly: n) { return v }
        throw decoder.fail("expected an integer\(T.min == 0 ? " of at least 0" : "")")
    }

    func decode(_ type: Double.Type) throws -> Double {
        _ = try scalar("a number")
        switch decoder.node.resolved {
        case .int(let n)?: return Double(n)
        case .float(let d)?: return d
        default: throw decoder.fail("expected a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self, decoder) }
}
