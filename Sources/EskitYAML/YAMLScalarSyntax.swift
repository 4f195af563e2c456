/// Decides how a scalar string can be written: plain, single-quoted, double-quoted or as a literal block.
enum YAMLScalarSyntax {
    /// True when a YAML 1.1 or 1.2 (core or JSON schema) loader would read this plain text as something other
    /// than a string: null, booleans (including y/n/yes/no/on/off), ints (0x, 0o, 0b, legacy octal, underscores,
    /// sexagesimal), floats (exponents, .inf, .nan), timestamps, the merge key `<<` and the value key `=`.
    static func resolvesToNonString(_ text: String) -> Bool {
        let u = Array(text.utf8)
        if u.isEmpty { return true }
        switch text {
        case "~", "null", "Null", "NULL",
            "true", "True", "TRUE", "false", "False", "FALSE",
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF",
            "<<", "=",
            ".nan", ".NaN", ".NAN":
            return true
        default:
            break
        }
        var body = u[...]
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { body = body.dropFirst() }
        if body.isEmpty { return false }
        let b = Array(body)
        if b == Array(".inf".utf8) || b == Array(".Inf".utf8) || b == Array(".INF".utf8) { return true }
        return isInt(b) || isFloat(b) || isSexagesimal(b) || isTimestamp(u)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isInt(_ b: [UInt8]) -> Bool {
        if b.count > 2, b[0] == UInt8(ascii: "0") {
            let rest = b[2...]
            switch b[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                return rest.allSatisfy { isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) || $0 == 0x5F }
            case UInt8(ascii: "o"):
                return rest.allSatisfy { $0 >= 0x30 && $0 <= 0x37 }
            case UInt8(ascii: "b"):
                return rest.allSatisfy { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F }
            default:
                break
            }
        }
        return b.contains(where: isDigit) && isDigit(b[0]) && b.allSatisfy { isDigit($0) || $0 == 0x5F }
    }

    private static func isFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        var digits = 0
        while i < b.count, isDigit(b[i]) || b[i] == 0x5F {
            if isDigit(b[i]) { digits += 1 }
            i += 1
        }
        var sawDot = false
        if i < b.count, b[i] == UInt8(ascii: ".") {
            sawDot = true
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == 0x5F {
                if isDigit(b[i]) { digits += 1 }
                i += 1
            }
        }
        if digits == 0 { return false }
        if i == b.count { return sawDot }
        guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return false }
        i += 1
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        return b[i...].allSatisfy(isDigit)
    }

    private static func isSexagesimal(_ b: [UInt8]) -> Bool {
        guard let first = b.first, isDigit(first), b.contains(UInt8(ascii: ":")) else { return false }
        var parts = b.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        if let dot = parts[parts.count - 1].firstIndex(of: UInt8(ascii: ".")) {
            let fraction = parts[parts.count - 1][(dot + 1)...]
            guard fraction.allSatisfy({ isDigit($0) || $0 == 0x5F }) else { return false }
            parts[parts.count - 1] = parts[parts.count - 1][..<dot]
        }
        guard parts[0].allSatisfy({ isDigit($0) || $0 == 0x5F }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...2).contains(part.count) && part.allSatisfy(isDigit)
        }
    }

    private static func isTimestamp(_ u: [UInt8]) -> Bool {
        guard u.count >= 8, u[0..<4].allSatisfy(isDigit), u[4] == UInt8(ascii: "-") else { return false }
        var i = 5
        var n = 0
        while i < u.count, isDigit(u[i]), n < 2 { i += 1; n += 1 }
        guard n > 0, i < u.count, u[i] == UInt8(ascii: "-") else { return false }
        i += 1
        n = 0
        while i < u.count, isDigit(u[i]), n < 2 { i += 1; n += 1 }
        guard n > 0 else { return false }
        return i == u.count || u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: "t") || u[i] == UInt8(ascii: " ")
            || u[i] == UInt8(ascii: "\t")
    }

    /// True for a character YAML allows unescaped in a scalar (printable, not a line break of its own).
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x09 { return true }
        if v < 0x20 || v == 0x7F { return false }
        if v >= 0x80 && v <= 0x9F { return false }
        if v == 0x2028 || v == 0x2029 || v == 0xFEFF { return false }
        if v >= 0xD800 && v <= 0xDFFF { return false }
        if v == 0xFFFE || v == 0xFFFF { return false }
        return true
    }

    /// True when `text` can be written as a plain scalar in block context and reads back as the same text.
    static func canBePlain(_ text: String, isKey: Bool) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { YAMLScalarBytes.canBePlain($0, isKey: isKey) }
    }

    /// True when `text` can be single-quoted on one line (printable, no line breaks or tabs).
    static func canBeSingleQuoted(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 != "\t" && isPrintable($0) }
    }

    /// True when a multi-line `text` can be written as a literal block scalar and read back unchanged.
    static func canBeLiteral(_ text: String) -> Bool {
        guard text.utf8.contains(0x0A), text.utf8.contains(where: { $0 != 0x0A }) else { return false }
        var atLineStart = true
        var sawContent = false
        var previous: Unicode.Scalar = "\n"
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previous == " " || previous == "\t" { return false }
                atLineStart = true
            } else {
                if !isPrintable(scalar) { return false }
                if atLineStart, !sawContent, scalar == " " || scalar == "\t" { return false }
                atLineStart = false
                sawContent = true
            }
            previous = scalar
        }
        return previous != " " && previous != "\t"
    }

    static func singleQuoted(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            out.unicodeScalars.append(scalar)
            if scalar == "'" { out.unicodeScalars.append(scalar) }
        }
        return out + "'"
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{1B}": out += "\\e"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            case "\u{85}": out += "\\N"
            case "\u{A0}": out += "\\_"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else {
                    out += "\\u" + hex(scalar.value, width: 4)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
