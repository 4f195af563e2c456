/// JSON string literals, written the same way by every eskit module (reports, schemas, baselines).
public enum JSONString {
    /// `text` as a JSON string literal: `"` and `\` escaped, newline, carriage return and tab as `\n` `\r` `\t`,
    /// other control characters and U+2028 / U+2029 (line breaks to JavaScript) as `\u00XX` / `\u2028`; every
    /// other character, non-ASCII included, as itself (UTF-8).
    public static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { quote(utf8: $0) }
    }

    /// The JSON string literal that starts at `bytes[index]` (its opening quote), unescaped; `index` is left
    /// after its closing quote. Nil when it is not a valid literal (unterminated, a bad escape, a raw control
    /// character). A lone surrogate escape reads as U+FFFD. The one JSON string reader of eskit's JSON readers.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var i = index + 1
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != backslash, bytes[i] >= 0x20 { i += 1 }
        guard i < bytes.count, bytes[i] >= 0x20 else { return nil }
        if bytes[i] == UInt8(ascii: "\"") {
            index = i + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for b in bytes[i..<i + 4] {
                guard let digit = hexValue(b) else { return nil }
                value = value << 4 | digit
            }
            i += 4
            return value
        }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") {
                index = i
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { return nil }
            guard c == backslash else {
                out.append(c)
                continue
            }
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), backslash, UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == backslash,
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: return nil
            }
        }
        return nil
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
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
