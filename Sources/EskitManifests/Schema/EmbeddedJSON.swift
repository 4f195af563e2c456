import EskitCore
import EskitYAML

/// Reads the JSON eskit builds in (ESO's CRDs, written by `scripts/embed-crds.py`) into the node tree libyaml
/// gives for the same text: strings double-quoted, numbers, booleans and null plain, in a quarter of libyaml's
/// instructions. `locate` and `members` find a value's bytes without reading what they pass, so that the inventory
/// reads only the provider schemas it uses. Spans are not kept (nothing points into built-in text).
enum EmbeddedJSON {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "malformed JSON at byte \(offset)" }
    }

    static func parse(_ text: String) throws(Malformed) -> YAMLNode {
        try parse(text, range: nil)
    }

    /// The value at the byte range `range` of `text` (the whole text when nil).
    static func parse(_ text: String, range: Range<Int>?) throws(Malformed) -> YAMLNode {
        try reading(text, range) { (reader) throws(Malformed) in
            let node = try reader.value()
            try reader.finish()
            return node
        }
    }

    /// A step into a JSON value: a key of an object, or the element of an array whose `name` is the given text
    /// (a CRD's `versions`).
    enum Step: Sendable, Hashable {
        case key(String)
        case named(String)
    }

    /// The byte range of the value at `path` in `text`, found without reading the values it passes over (and
    /// without looking past the member it wants); nil when the path is not there.
    static func locate(_ path: [Step], in text: String) throws(Malformed) -> Range<Int>? {
        try reading(text, nil) { (reader) throws(Malformed) -> Range<Int>? in
            for step in path {
                switch step {
                case .key(let key):
                    guard let found = try reader.member(key) else { return nil }
                    reader.at = found
                case .named(let name):
                    guard let found = try reader.element(named: name) else { return nil }
                    reader.at = found
                }
            }
            return try reader.valueRange()
        }
    }

    /// The members of the object at the byte range `range` of `text`: keys and the byte range of each value.
    static func members(of range: Range<Int>, in text: String) throws(Malformed) -> [(key: String, value: Range<Int>)] {
        try reading(text, range) { (reader) throws(Malformed) in
            let members = try reader.members()
            try reader.finish()
            return members
        }
    }

    /// `body` over a reader of `text` from `range.lowerBound` up to `range.upperBound` (the whole text when nil).
    private static func reading<R>(
        _ text: String, _ range: Range<Int>?, _ body: (inout Reader) throws(Malformed) -> R
    ) throws(Malformed) -> R {
        var text = text
        let result = text.withUTF8 { all -> Result<R, Malformed> in
            do throws(Malformed) {
                let end = range?.upperBound ?? all.count
                guard end <= all.count else { throw Malformed(offset: all.count) }
                var reader = Reader(bytes: UnsafeBufferPointer(rebasing: all[0..<end]))
                reader.at = range?.lowerBound ?? 0
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 {
                at += 1
            }
        }

        mutating func expect(_ byte: UInt8) throws(Malformed) {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { throw Malformed(offset: at) }
            at += 1
        }

        /// True (and consumed) when the next non-space byte is `byte`.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func value() throws(Malformed) -> YAMLNode {
            skipSpace()
            guard at < bytes.count else { throw Malformed(offset: at) }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                var pairs: [YAMLPair] = []
                var members = try openObject()
                while let key = try nextMember(&members) {
                    pairs.append(YAMLPair(key: .scalar(key, style: .doubleQuoted), value: try value()))
                }
                return YAMLNode(kind: .mapping(pairs))
            case UInt8(ascii: "["):
                at += 1
                var items: [YAMLNode] = []
                if take(UInt8(ascii: "]")) { return YAMLNode(kind: .sequence(items)) }
                repeat { items.append(try value()) } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"))
                return YAMLNode(kind: .sequence(items))
            case UInt8(ascii: "\""):
                return .scalar(try string(), style: .doubleQuoted)
            default:
                // A number, true, false or null: the bytes up to the next delimiter, plain.
                let start = at
                while at < bytes.count {
                    let c = bytes[at]
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c <= 0x20 { break }
                    at += 1
                }
                guard at > start else { throw Malformed(offset: start) }
                return .scalar(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
            }
        }

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        /// Nothing but spaces is left.
        mutating func finish() throws(Malformed) {
            skipSpace()
            guard at == bytes.count else { throw Malformed(offset: at) }
        }

        /// The byte range of the value at `at` (after spaces), which is skipped: strings, numbers and literals
        /// are passed by their delimiters, objects and arrays by counting brackets outside strings.
        mutating func valueRange() throws(Malformed) -> Range<Int> {
            skipSpace()
            let start = at
            guard at < bytes.count else { throw Malformed(offset: at) }
            switch bytes[at] {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                repeat {
                    guard at < bytes.count else { throw Malformed(offset: start) }
                    switch bytes[at] {
                    case UInt8(ascii: "\""):
                        try skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    at += 1
                } while depth > 0
            default:
                _ = try value()
            }
            return start..<at
        }

        private mutating func skipString() throws(Malformed) {
            let start = at
            at += 1
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard at < bytes.count else { throw Malformed(offset: start) }
            at += 1
        }

        /// Where an object's members are read: `openObject` (at its `{`), then `nextMember` until nil.
        struct Members {
            var first = true
        }

        mutating func openObject() throws(Malformed) -> Members {
            try expect(UInt8(ascii: "{"))
            return Members()
        }

        /// The next member's key, with `at` at its value (which the caller reads or skips); nil after the `}`.
        mutating func nextMember(_ members: inout Members) throws(Malformed) -> String? {
            if members.first {
                members.first = false
                if take(UInt8(ascii: "}")) { return nil }
            } else if !take(UInt8(ascii: ",")) {
                try expect(UInt8(ascii: "}"))
                return nil
            }
            skipSpace()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            return key
        }

        /// The members of the object at `at`: keys and value ranges.
        mutating func members() throws(Malformed) -> [(key: String, value: Range<Int>)] {
            var out: [(key: String, value: Range<Int>)] = []
            var members = try openObject()
            while let key = try nextMember(&members) { out.append((key, try valueRange())) }
            return out
        }

        /// Where the value of member `key` of the object at `at` starts; neither it nor the members after it are
        /// read (a path into a large document skips each level's earlier members once).
        mutating func member(_ key: String) throws(Malformed) -> Int? {
            var members = try openObject()
            while let name = try nextMember(&members) {
                if name == key { return at }
                _ = try valueRange()
            }
            return nil
        }

        /// Where the element of the array at `at` that is an object whose `name` is `name` starts.
        mutating func element(named name: String) throws(Malformed) -> Int? {
            try expect(UInt8(ascii: "["))
            if take(UInt8(ascii: "]")) { return nil }
            repeat {
                skipSpace()
                let start = at
                if peek == UInt8(ascii: "{") {
                    var probe = self
                    if let value = try probe.member("name") {
                        probe.at = value
                        if probe.peek == UInt8(ascii: "\""), try probe.string() == name { return start }
                    }
                }
                _ = try valueRange()
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return nil
        }

        /// A string at `at` (which is its opening quote), unescaped.
        mutating func string() throws(Malformed) -> String {
            let start = at
            guard let text = JSONString.read(bytes, at: &at) else { throw Malformed(offset: start) }
            return text
        }
    }
}
