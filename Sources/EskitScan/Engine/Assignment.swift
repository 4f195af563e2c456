/// A `key <op> value` assignment found around a keyword: YAML/JSON (`key: value`), INI/TOML/.env/shell
/// (`KEY=value`, `export KEY="value"`), code (`key := "value"`, `key => 'value'`), CLI flags (`--key=value`),
/// XML elements (`<password>value</password>`).
struct Assignment {
    var keyRange: Range<Int>
    var valueRange: Range<Int>
    var quoted: Bool

    /// Longer values are not judged as assignments (token and key detectors cover long secrets).
    static let maxValueLength = 1024
    static let keyChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_-.")
    private static let valueStops = ByteSet(" \t\r\n,;}])(\"'`&<>")
    static let codeExtensions: Set<String> = [
        "py", "js", "ts", "jsx", "tsx", "go", "java", "kt", "rb", "swift", "cs", "php", "c", "h", "cc", "cpp", "rs",
        "scala", "groovy", "dart", "m", "lua", "pl", "tf", "hcl",
    ]

    /// The assignment whose key contains `offset`, or nil.
    static func parse(_ text: ByteText, keywordAt offset: Int) -> Assignment? {
        let keyStart = text.runBackward(from: offset, in: keyChars, limit: 128)
        let keyEnd = text.run(from: offset, in: keyChars, limit: 128)
        guard keyEnd > keyStart else { return nil }
        var i = keyEnd
        if keyStart > 0, text[keyStart - 1] == 60, text.byte(keyEnd) == 62 {
            var j = keyEnd + 1
            while j < text.count, j - keyEnd < maxValueLength, text[j] != 60, text[j] != 10 { j += 1 }
            guard text.byte(j) == 60, text.byte(j + 1) == 47, j > keyEnd + 1 else { return nil }
            return Assignment(keyRange: keyStart..<keyEnd, valueRange: (keyEnd + 1)..<j, quoted: true)
        }
        let openQuote = keyStart > 0 ? text[keyStart - 1] : 0
        if (openQuote == 34 || openQuote == 39), text.byte(i) == openQuote { i += 1 }
        i = text.skipSpaces(i)
        guard let op = text.byte(i) else { return nil }
        switch op {
        case 58:
            if text.byte(i + 1) == 61 {
                i += 2
            } else {
                guard let next = text.byte(i + 1), next == 32 || next == 9 || next == 34 || next == 39 else {
                    if text.byte(i + 1) == nil || text.byte(i + 1) == 10 || text.byte(i + 1) == 13 { return nil }
                    return nil
                }
                i += 1
            }
        case 61:
            i += text.byte(i + 1) == 62 ? 2 : 1
            if text.byte(i) == 61 { return nil }
        default:
            return nil
        }
        i = text.skipSpaces(i)
        guard let first = text.byte(i) else { return nil }
        if first == 34 || first == 39 {
            var j = i + 1
            while j < text.count, j - i < maxValueLength, text[j] != first, text[j] != 10 {
                if text[j] == 92 { j += 1 }
                j += 1
            }
            guard j < text.count, text[j] == first else { return nil }
            return Assignment(keyRange: keyStart..<keyEnd, valueRange: (i + 1)..<j, quoted: true)
        }
        if first == 124 || first == 62 || first == 10 || first == 13 || first == 123 || first == 91 { return nil }
        if first == 35, let next = text.byte(i + 1), next == 32 || next == 35 || next == 10 || next == 13 || next == 9 {
            return nil
        }
        var j = i
        while j < text.count, j - i < maxValueLength, !valueStops.contains(text[j]) { j += 1 }
        guard j - i < maxValueLength else { return nil }
        let rest = text.skipSpaces(j)
        if let r = text.byte(rest), r != 10, r != 13, r != 35, r != 44, r != 59, r != 125, r != 93, r != 38 {
            if !(r == 47 && text.byte(rest + 1) == 47) { return nil }
        }
        guard j > i else { return nil }
        return Assignment(keyRange: keyStart..<keyEnd, valueRange: i..<j, quoted: false)
    }

    static func isCodeFile(_ path: String) -> Bool {
        let utf8 = Array(path.utf8)
        guard let dot = utf8.lastIndex(of: 46), !utf8[dot...].contains(47) else { return false }
        return codeExtensions.contains(String(decoding: utf8[(dot + 1)...].map { lowerTable[Int($0)] }, as: UTF8.self))
    }
}
