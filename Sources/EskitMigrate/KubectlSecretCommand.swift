import EskitCore

/// `kubectl create secret generic NAME --from-literal=KEY=VALUE … [-n NS]` in a script or a doc: the command's lines
/// (backslash continuations joined), its Secret and its literal values. Only the static form is read: a value with
/// `$` (read from the environment at run time), `--from-file` or `--from-env-file` make it `dynamic`.
struct KubectlSecretCommand {
    /// Byte range of the command's lines (from the start of its first line to the end of its last, line break
    /// included).
    var range: Range<Int>
    /// 1-based line of the command's first line, and the column its text starts at (0-based indentation).
    var line: Int
    var indent: Int
    var name: String
    var namespace: String?
    var values: [FoundValue]
    /// Why the command cannot be moved as written (a value or a source read at run time).
    var dynamic: String?

    /// The `kubectl create secret generic` command whose lines include the 1-based `line`, if any.
    static func find(in bytes: [UInt8], line: Int) -> KubectlSecretCommand? {
        let lines = lineStarts(bytes)
        guard line >= 1, line <= lines.count else { return nil }
        func text(_ i: Int) -> ArraySlice<UInt8> {
            let start = lines[i]
            var end = i + 1 < lines.count ? lines[i + 1] : bytes.count
            while end > start, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
            return bytes[start..<end]
        }
        func continues(_ i: Int) -> Bool { text(i).last == 92 }
        var first = line - 1
        while first > 0, continues(first - 1) { first -= 1 }
        var last = line - 1
        while last + 1 < lines.count, continues(last) { last += 1 }
        // The command's text: continuation lines joined by a space, the backslashes dropped.
        var joined: [UInt8] = []
        var lineOfOffset: [Int] = []
        for i in first...last {
            var part = Array(text(i))
            if i < last, part.last == 92 { part.removeLast() }
            joined += part + [32]
            lineOfOffset += Array(repeating: i + 1, count: part.count + 1)
        }
        let tokens = tokenize(joined)
        guard let kubectl = tokens.firstIndex(where: { $0.text == "kubectl" }) else { return nil }
        var words: [(text: String, raw: Bool, at: Int)] = []
        for token in tokens[(kubectl + 1)...] {
            if token.text == "|" || token.text == ";" || token.text == "&&" { break }
            words.append(token)
        }
        var namespace: String?
        var positional: [String] = []
        var values: [FoundValue] = []
        var dynamic: String?
        var i = 0
        while i < words.count {
            let word = words[i].text
            if word == "-n" || word == "--namespace", i + 1 < words.count {
                namespace = words[i + 1].text
                i += 2
                continue
            }
            if word.hasPrefix("--namespace=") {
                namespace = String(word.dropFirst("--namespace=".count))
            } else if word.hasPrefix("--from-literal=") {
                let literal = word.dropFirst("--from-literal=".count)
                guard let eq = literal.firstIndex(of: "=") else { return nil }
                if words[i].raw { dynamic = "a value read from the environment at run time" }
                values.append(
                    FoundValue(
                        key: String(literal[..<eq]), bytes: Array(literal[literal.index(after: eq)...].utf8),
                        line: lineOfOffset[min(words[i].at, lineOfOffset.count - 1)]))
            } else if word.hasPrefix("--from-file") || word.hasPrefix("--from-env-file") {
                dynamic = "a file read at run time (\(word.split(separator: "=").first ?? ""))"
            } else if !word.hasPrefix("-") {
                positional.append(word)
            }
            i += 1
        }
        guard positional.count >= 4, positional[0] == "create", positional[1] == "secret", positional[2] == "generic",
            !values.isEmpty
        else { return nil }
        let start = lines[first]
        let end = last + 1 < lines.count ? lines[last + 1] : bytes.count
        let indent = text(first).prefix { $0 == 32 || $0 == 9 }.count
        return KubectlSecretCommand(
            range: start..<end, line: first + 1, indent: indent, name: positional[3], namespace: namespace,
            values: values, dynamic: dynamic)
    }

    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 && i + 1 < bytes.count { starts.append(i + 1) }
        return starts
    }

    /// Shell words: quotes removed (`'…'` literal, `"…"` literal unless it holds `$` or a backquote), `raw` when
    /// the word holds an expansion; `|`, `;` and `&&` as words of their own.
    static func tokenize(_ bytes: [UInt8]) -> [(text: String, raw: Bool, at: Int)] {
        var out: [(text: String, raw: Bool, at: Int)] = []
        var i = 0
        while i < bytes.count {
            while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
            guard i < bytes.count else { break }
            if bytes[i] == 35 { break }  // a comment ends the command
            let start = i
            if bytes[i] == 124 || bytes[i] == 59 {
                out.append((String(UnicodeScalar(bytes[i])), false, i))
                i += 1
                continue
            }
            if bytes[i] == 38, i + 1 < bytes.count, bytes[i + 1] == 38 {
                out.append(("&&", false, i))
                i += 2
                continue
            }
            var word: [UInt8] = []
            var raw = false
            while i < bytes.count, ![32, 9, 124, 59].contains(bytes[i]) {
                let b = bytes[i]
                if b == 39 {
                    i += 1
                    while i < bytes.count, bytes[i] != 39 { word.append(bytes[i]); i += 1 }
                    i += 1
                } else if b == 34 {
                    i += 1
                    while i < bytes.count, bytes[i] != 34 {
                        if bytes[i] == 36 || bytes[i] == 96 { raw = true }
                        if bytes[i] == 92, i + 1 < bytes.count { i += 1 }
                        word.append(bytes[i])
                        i += 1
                    }
                    i += 1
                } else {
                    if b == 36 || b == 96 { raw = true }
                    if b == 92, i + 1 < bytes.count { i += 1 }
                    word.append(bytes[i])
                    i += 1
                }
            }
            out.append((String(decoding: word, as: UTF8.self), raw, start))
        }
        return out
    }
}
