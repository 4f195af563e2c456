/// Recognises documentation examples in an OpenAPI (or Swagger) document: values nested under an `example`,
/// `examples`, `x-example` or `x-examples` key of a file whose top level declares `openapi:` / `swagger:` (YAML at
/// column 0, or a JSON `"openapi": "3…"` key). Example request and response bodies (`access_token`, `client_secret`,
/// `hashed_token` fields of a sample payload) are documentation, not credentials, so a generic keyword finding under
/// one is dropped. Known token formats and private keys are never affected, and nothing outside an OpenAPI document
/// is: a Helm chart's `examples:` block is still scanned.
enum OpenAPIExamples {
    /// How far back the enclosing keys of a value are looked for.
    static let lookBehind = 1 << 20
    private static let exampleKeys: Set<[UInt8]> = Set(
        ["example", "examples", "x-example", "x-examples"].map { Array($0.utf8) })
    private static let versionKeys = [Array("openapi".utf8), Array("swagger".utf8)]

    /// True when the assignment whose key starts at `keyStart` sits inside an example of an OpenAPI document;
    /// `cache` remembers per file whether the text is one.
    static func isExample(_ text: ByteText, keyAt keyStart: Int, cache: inout FileShapeCache) -> Bool {
        if cache.openAPI == nil { cache.openAPI = isDocument(text) }
        guard cache.openAPI == true else { return false }
        return flowParentIsExample(text, before: keyStart) || blockParentIsExample(text, keyAt: keyStart)
    }

    /// A top-level `openapi:` / `swagger:` key with a version (`3.0.3`, `"2.0"`).
    static func isDocument(_ text: ByteText) -> Bool {
        for key in versionKeys {
            var cursor = 0
            while cursor < text.count, let at = text.find(key, in: cursor..<text.count) {
                cursor = at + key.count
                let quoted = at > 0 && (text[at - 1] == 34 || text[at - 1] == 39)
                let keyStart = quoted ? at - 1 : at
                guard quoted || keyStart == 0 || text[keyStart - 1] == 10 else { continue }
                if quoted, text.byte(cursor) != text[at - 1] { continue }
                var i = text.skipSpaces(quoted ? cursor + 1 : cursor)
                guard text.byte(i) == 58 else { continue }
                i = text.skipSpaces(i + 1)
                if text.byte(i) == 34 || text.byte(i) == 39 { i += 1 }
                if let digit = text.byte(i), (48...57).contains(digit) { return true }
            }
        }
        return false
    }

    /// Walks back from `offset` through the flow collections (`{…}`, `[…]`) that enclose it and checks the key of
    /// each: across lines in a JSON document, within the line in YAML (block style ends a flow context).
    private static func flowParentIsExample(_ text: ByteText, before offset: Int) -> Bool {
        let json = text.byte(text.run(from: 0, in: ByteSet(" \t\r\n"), limit: 4096)) == 123
        var depth = 0
        var i = offset - 1
        let stop = max(0, offset - lookBehind)
        while i >= stop {
            switch text[i] {
            case 10 where !json:
                return false
            case 125, 93:
                depth += 1
            case 123, 91:
                if depth > 0 {
                    depth -= 1
                } else if let key = keyBefore(text, collectionAt: i), exampleKeys.contains(key) {
                    return true
                }
            default:
                break
            }
            i -= 1
        }
        return false
    }

    /// The key of `key: {` / `"key": [` whose collection opens at `open`.
    private static func keyBefore(_ text: ByteText, collectionAt open: Int) -> [UInt8]? {
        var i = open
        while i > 0, text[i - 1] == 32 || text[i - 1] == 9 { i -= 1 }
        guard i > 0, text[i - 1] == 58 else { return nil }
        i -= 1
        while i > 0, text[i - 1] == 32 || text[i - 1] == 9 { i -= 1 }
        var end = i
        if end > 0, text[end - 1] == 34 || text[end - 1] == 39 { end -= 1 }
        let start = text.runBackward(from: end, in: Assignment.keyChars, limit: 128)
        return start < end ? text.slice(start..<end) : nil
    }

    /// Walks back over the lines of a YAML block (or pretty-printed JSON) document, from the key at `keyStart` to
    /// each less indented line that holds it, and checks the key that line opens.
    private static func blockParentIsExample(_ text: ByteText, keyAt keyStart: Int) -> Bool {
        var line = text.lineStart(keyStart)
        var (column, item) = indentation(text, line)
        let stop = max(0, keyStart - lookBehind)
        while line > stop, column > 0 || item {
            line = text.lineStart(line - 1)
            let (c, dash) = indentation(text, line)
            let content = line + c
            guard let first = text.byte(content), first != 10, first != 13, first != 35 else { continue }
            let holds = c < column || (item && c == column && !dash)
            guard holds else { continue }
            let keyAt = dash ? text.skipSpaces(content + 1) : content
            if let key = leadingKey(text, at: keyAt), exampleKeys.contains(key) { return true }
            (column, item) = (c, dash)
        }
        return false
    }

    /// Leading spaces of the line at `start` and whether its content is a block sequence item (`- …`).
    private static func indentation(_ text: ByteText, _ start: Int) -> (column: Int, item: Bool) {
        let content = text.run(from: start, in: .space, limit: 4096)
        let dash = text.byte(content) == 45 && (text.byte(content + 1) == 32 || text.byte(content + 1) == 9)
        return (content - start, dash)
    }

    /// The key a line opens (`example:`, `"examples": {`), or nil.
    private static func leadingKey(_ text: ByteText, at start: Int) -> [UInt8]? {
        var i = start
        let quote = text.byte(i)
        if quote == 34 || quote == 39 { i += 1 }
        let end = text.run(from: i, in: Assignment.keyChars, limit: 128)
        guard end > i else { return nil }
        var after = end
        if quote == 34 || quote == 39 {
            guard text.byte(after) == quote else { return nil }
            after += 1
        }
        guard text.byte(text.skipSpaces(after)) == 58 else { return nil }
        return text.slice(i..<end)
    }
}

/// What the generic rules learnt about the shape of one file (computed once, when first needed).
struct FileShapeCache {
    /// The file is an OpenAPI / Swagger document.
    var openAPI: Bool?
    /// The file holds HTTP/2 pseudo-header keys (`":method"`): recorded header blocks.
    var recordedHeaders: Bool?
}
