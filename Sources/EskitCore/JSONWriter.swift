/// The one JSON writer of eskit: fields in the order they are written (stable, diffable reports, schemas and
/// baselines), strings quoted by `JSONString`.
public struct JSONWriter: Sendable {
    public private(set) var output = ""
    private var indent = 0
    private var needsComma = [false]
    private let pretty: Bool

    public init(pretty: Bool = true) { self.pretty = pretty }

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func field(_ key: String?, _ value: String) { prefix(key); output += JSONString.quote(value) }
    public mutating func field(_ key: String?, _ value: Int) { prefix(key); output += String(value) }
    public mutating func field(_ key: String?, _ value: Int64) { prefix(key); output += String(value) }
    public mutating func field(_ key: String?, _ value: Bool) { prefix(key); output += value ? "true" : "false" }
    public mutating func field(_ key: String?, _ value: Double) {
        prefix(key)
        output += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
    public mutating func null(_ key: String?) { prefix(key); output += "null" }
    /// A value already written as JSON text (kept as is).
    public mutating func raw(_ key: String?, _ json: String) { prefix(key); output += json }
    /// An array of JSON texts on one line (`["a", "b"]`), for short lists.
    public mutating func inlineArray(_ key: String?, _ items: [String]) {
        prefix(key)
        output += "[" + items.joined(separator: pretty ? ", " : ",") + "]"
    }

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
