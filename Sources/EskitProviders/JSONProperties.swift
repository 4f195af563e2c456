import EskitCore

/// ESO's view of a JSON secret value: its top-level properties, strings decoded, other values as their exact
/// JSON text (what gjson's `String()` gives ESO), `null` as empty. Not a JSON object: nil.
enum JSONProperties {
    static func decode(_ bytes: [UInt8]) -> [String: RedactedSecret]? {
        var reader = JSONReader(bytes)
        return reader.object()
    }
}

/// A strict, small JSON reader for the top level of an object.
struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func object() -> [String: RedactedSecret]? {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { return nil }
        i += 1
        var out: [String: RedactedSecret] = [:]
        skipSpace()
        if peek == UInt8(ascii: "}") { i += 1; return trailingSpaceOnly() ? out : nil }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            if peek == UInt8(ascii: "\"") {
                guard let text = string() else { return nil }
                out[key] = RedactedSecret(text)
            } else {
                let start = i
                guard skipValue() else { return nil }
                let raw = bytes[start..<i]
                out[key] = raw.elementsEqual("null".utf8) ? RedactedSecret("") : RedactedSecret(raw)
            }
            skipSpace()
            if peek == UInt8(ascii: ",") { i += 1; continue }
            if peek == UInt8(ascii: "}") { i += 1; return trailingSpaceOnly() ? out : nil }
            return nil
        }
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func trailingSpaceOnly() -> Bool {
        skipSpace()
        return i == bytes.count
    }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    /// A JSON string at `i`, decoded.
    private mutating func string() -> String? {
        guard peek == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while let c = peek {
            i += 1
            switch c {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = peek else { return nil }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar), peek == UInt8(ascii: "\\"), i + 1 < bytes.count,
                        bytes[i + 1] == UInt8(ascii: "u")
                    {
                        i += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default: return nil
                }
            default:
                if c < 0x20 { return nil }
                out.append(c)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
        else { return nil }
        i += 4
        return v
    }

    /// Skips one JSON value (validating its shape).
    private mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 512, let c = peek else { return false }
        switch c {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if peek == close { i += 1; return true }
            while true {
                skipSpace()
                if close == UInt8(ascii: "}") {
                    guard string() != nil else { return false }
                    skipSpace()
                    guard peek == UInt8(ascii: ":") else { return false }
                    i += 1
                    skipSpace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                if peek == close { i += 1; return true }
                return false
            }
        default:
            let start = i
            while let d = peek,
                !(d == UInt8(ascii: ",") || d == UInt8(ascii: "}") || d == UInt8(ascii: "]")
                    || d == 0x20 || d == 0x0A || d == 0x0D || d == 0x09)
            { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            return ["true", "false", "null"].contains(word) || Double(word) != nil
        }
    }
}
