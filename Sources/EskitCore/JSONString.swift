/// JSON string literals, written the same way by every eskit module (reports, schemas, baselines).
public enum JSONString {
    /// `text` as a JSON string literal: `"` and `\` escaped, newline, carriage return and tab as `\n` `\r` `\t`,
    /// other control characters and U+2028 / U+2029 (line breaks to JavaScript) as `\u00XX` / `\u2028`; every
    /// other character, non-ASCII included, as itself (UTF-8).
    public static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { quote(utf8: $0) }
    }

    /// The JSON string literal of the UTF-8 text `utf8`, as `quote(_:)`.
    public static func quote(utf8: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "\""): out += [backslash, b]
            case backslash: out += [backslash, backslash]
            case 0x0A: out += [backslash, UInt8(ascii: "n")]
            case 0x0D: out += [backslash, UInt8(ascii: "r")]
            case 0x09: out += [backslash, UInt8(ascii: "t")]
            case 0..<0x20: out += [backslash, UInt8(ascii: "u"), zero, zero, hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0xE2 where i + 2 < utf8.count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
                out += [
                    backslash, UInt8(ascii: "u"), UInt8(ascii: "2"), zero, UInt8(ascii: "2"),
                    utf8[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"),
                ]
                i += 2
            default: out.append(b)
            }
            i += 1
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let zero = UInt8(ascii: "0")
    private static let hex = Array("0123456789abcdef".utf8)
}
