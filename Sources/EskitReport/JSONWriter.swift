import EskitCore

/// A tiny JSON writer that keeps fields in the order they are written (stable, diffable reports).
struct JSONWriter {
    private(set) var output = ""
    private var indent = 0
    private var needsComma = [false]
    private let pretty: Bool

    init(pretty: Bool = true) { self.pretty = pretty }

    mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    mutating func endObject() { close("}") }
    mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    mutating func endArray() { close("]") }

    mutating func field(_ key: String?, _ value: String) { prefix(key); output += JSONString.quote(value) }
    mutating func field(_ key: String?, _ value: Int) { prefix(key); output += String(value) }
    mutating func field(_ key: String?, _ value: Int64) { prefix(key); output += String(value) }
    mutating func field(_ key: String?, _ value: Bool) { prefix(key); output += value ? "true" : "false" }
    mutating func null(_ key: String?) { prefix(key); output += "null" }

    private mutating func open(_ key: String?, _ bracket: String) {
        prefix(key)
        output += bracket
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        indent -= 1
        if hadItems, pretty { newline() }
        output += bracket
        if indent == 0, pretty { output += "\n" }
    }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if indent > 0, pretty { newline() }
        if let key { output += JSONString.quote(key) + (pretty ? ": " : ":") }
    }

    private mutating func newline() {
        output += "\n" + String(repeating: "  ", count: indent)
    }
}
