/// Byte-level forms of `YAMLScalarSyntax`'s decisions for the emitter's hot path. They give the same answers as the
/// `String` forms on every input: ASCII text is decided over its bytes, and text with non-ASCII bytes (where
/// Unicode scalars and grapheme clusters matter) is handed to the `String` forms.
enum YAMLScalarBytes {
    private static let keywords: [[UInt8]] = [
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "<<", "=", ".nan", ".NaN", ".NAN",
    ].map { Array($0.utf8) }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `YAMLScalarSyntax.resolvesToNonString`: keywords by bytes; anything that cannot start a number or a
    /// timestamp is a string; the rest is decided by the `String` form.
    static func resolvesToNonString(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let f = u.first else { return true }
        if u.count <= 5 {
            for k in keywords where k.count == u.count && k[0] == f && k.elementsEqual(u) { return true }
        }
        let s = f == UInt8(ascii: "+") || f == UInt8(ascii: "-") ? 1 : 0
        if s == u.count { return false }
        let g = u[s]
        if !isDigit(f), !isDigit(g), g != UInt8(ascii: "_"), g != UInt8(ascii: ".") { return false }
        return YAMLScalarSyntax.resolvesToNonString(String(decoding: u, as: UTF8.self))
    }

    /// True when the UTF-8 text can be written as a plain scalar in block context and reads back as the same text.
    static func canBePlain(_ u: UnsafeBufferPointer<UInt8>, isKey: Bool) -> Bool {
        guard let first = u.first, let last = u.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
        if isKey, u.count > 1000 { return false }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            if u.count == 1 || u[1] == 0x20 || u[1] == 0x09 { return false }
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"):
            return false
        default:
            break
        }
        if u.count >= 3, u[1] == first, u[2] == first, first == UInt8(ascii: "-") || first == UInt8(ascii: ".") {
            return false
        }
        if last == UInt8(ascii: ":") { return false }
        var ascii = true
        // Every scalar and key the emitter writes comes through here: printable ASCII other than `:` and `#` is
        // passed by one range test, and only the other bytes are looked at closely.
        let base = u.baseAddress!
        let count = u.count
        var i = 0
        while i < count {
            let c = base[i]
            if c &- 0x20 < 0x5F, c != UInt8(ascii: ":"), c != UInt8(ascii: "#") {
                i += 1
                continue
            }
            if c < 0x20 || c == 0x7F { return false }
            if c >= 0x80 {
                ascii = false
            } else if c == UInt8(ascii: ":") {
                if i + 1 < count, base[i + 1] == 0x20 { return false }
            } else if i > 0, base[i - 1] == 0x20 {  // `#` after a space starts a comment
                return false
            }
            i += 1
        }
        if ascii { return true }
        return String(decoding: u, as: UTF8.self).unicodeScalars.allSatisfy(YAMLScalarSyntax.isPrintable)
    }

    /// True when every byte is ASCII.
    static func isASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in u where c >= 0x80 { return false }
        return true
    }

    /// `YAMLScalarSyntax.canBeSingleQuoted` for ASCII text.
    static func asciiCanBeSingleQuoted(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in u where c < 0x20 || c == 0x7F { return false }
        return true
    }

    /// Appends `YAMLScalarSyntax.singleQuoted` of ASCII text.
    static func appendASCIISingleQuoted(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "'"))
        for c in u {
            out.append(c)
            if c == UInt8(ascii: "'") { out.append(c) }
        }
        out.append(UInt8(ascii: "'"))
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Appends `YAMLScalarSyntax.doubleQuoted` of ASCII text.
    static func appendASCIIDoubleQuoted(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in u {
            let escape: UInt8?
            switch c {
            case UInt8(ascii: "\""): escape = UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x09: escape = UInt8(ascii: "t")
            case 0x00: escape = UInt8(ascii: "0")
            case 0x07: escape = UInt8(ascii: "a")
            case 0x08: escape = UInt8(ascii: "b")
            case 0x1B: escape = UInt8(ascii: "e")
            case 0x0C: escape = UInt8(ascii: "f")
            case 0x0B: escape = UInt8(ascii: "v")
            default: escape = nil
            }
            if let escape {
                out.append(UInt8(ascii: "\\"))
                out.append(escape)
            } else if c < 0x20 || c == 0x7F {
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "x"), hexDigits[Int(c >> 4)], hexDigits[Int(c & 0xF)],
                ])
            } else {
                out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
