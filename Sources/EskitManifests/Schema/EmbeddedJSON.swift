import EskitCore
import EskitYAML

/// Reads the JSON eskit builds in (ESO's CRDs, written by `scripts/embed-crds.py`) into the node tree libyaml
/// gives for the same text: strings double-quoted, numbers, booleans and null plain. Every command that loads an
/// inventory reads the SecretStore CRD (~120 KB), and libyaml took three quarters of that load; this reader takes
/// a tenth of libyaml's time. Spans are not kept (nothing points into built-in text).
enum EmbeddedJSON {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "malformed JSON at byte \(offset)" }
    }

    static func parse(_ text: String) throws(Malformed) -> YAMLNode {
        var text = text
        let result = text.withUTF8 { bytes -> Result<YAMLNode, Malformed> in
            do throws(Malformed) {
                var reader = Reader(bytes: bytes)
                let node = try reader.value()
                reader.skipSpace()
                guard reader.at == bytes.count else { throw Malformed(offset: reader.at) }
                return .success(node)
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
                at += 1
                var pairs: [YAMLPair] = []
                if take(UInt8(ascii: "}")) { return YAMLNode(kind: .mapping(pairs)) }
                repeat {
                    skipSpace()
                    let key = YAMLNode.scalar(try string(), style: .doubleQuoted)
                    try expect(UInt8(ascii: ":"))
                    pairs.append(YAMLPair(key: key, value: try value()))
                } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"))
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

        /// A string at `at` (which is its opening quote), unescaped.
        mutating func string() throws(Malformed) -> String {
            let start = at
            guard let text = JSONString.read(bytes, at: &at) else { throw Malformed(offset: start) }
            return text
        }
    }
}
