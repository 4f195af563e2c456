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
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw Malformed(offset: at) }
            at += 1
            let start = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
            guard at < bytes.count else { throw Malformed(offset: start) }
            if bytes[at] == UInt8(ascii: "\"") {
                at += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at - 1]), as: UTF8.self)
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
            while at < bytes.count {
                let c = bytes[at]
                at += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    continue
                }
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                        bytes[at + 1] == UInt8(ascii: "u")
                    {
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Malformed(offset: at - 6) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Malformed(offset: at - 6) }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw Malformed(offset: at - 2)
                }
            }
            throw Malformed(offset: start)
        }

        mutating func hex4() throws(Malformed) -> UInt32 {
            guard at + 4 <= bytes.count else { throw Malformed(offset: at) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let digit: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
                default: throw Malformed(offset: at)
                }
                value = value << 4 | UInt32(digit)
                at += 1
            }
            return value
        }
    }
}
