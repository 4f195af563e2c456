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
        var at = i
        let text = bytes.withUnsafeBufferPointer { JSONString.read($0, at: &at) }
        i = at
        return text
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
