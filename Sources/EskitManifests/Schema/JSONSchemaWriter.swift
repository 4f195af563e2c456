import EskitCore

/// Writes a `Schema` as JSON Schema (draft 2020-12) text, deterministically (fixed key order, 2-space indent).
public enum JSONSchemaWriter {
    /// The whole inventory schema, for editors (`# yaml-language-server: $schema=...`).
    public static func inventory() -> String {
        var out = "{\n"
        out += "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
        out += "  \"$id\": \"https://github.com/eskit-project/eskit/schemas/inventory-\(InventorySchema.apiVersion.split(separator: "/").last!).json\",\n"
        out += "  \"title\": \"eskit inventory (\(InventorySchema.apiVersion))\",\n"
        out += body(InventorySchema.editorRoot, indent: 1)
        out += "\n}\n"
        return out
    }

    static func body(_ s: Schema, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        var fields: [String] = []
        func add(_ key: String, _ value: String) { fields.append("\(pad)\(JSONString.quote(key)): \(value)") }
        if let d = s.description { add("description", JSONString.quote(d)) }
        if s.intOrString {
            add("type", "[\"integer\", \"string\"]")
        } else if s.types.count == 1 {
            add("type", JSONString.quote(s.types[0]))
        } else if !s.types.isEmpty {
            add("type", "[" + s.types.map(JSONString.quote).joined(separator: ", ") + "]")
        }
        if let values = s.enumValues { add("enum", "[" + values.map(\.jsonText).joined(separator: ", ") + "]") }
        if let p = s.pattern { add("pattern", JSONString.quote(p.source)) }
        if let v = s.minLength { add("minLength", String(v)) }
        if let v = s.maxLength { add("maxLength", String(v)) }
        if let v = s.minItems { add("minItems", String(v)) }
        if let v = s.maxItems { add("maxItems", String(v)) }
        if let v = s.minProperties { add("minProperties", String(v)) }
        if let v = s.maxProperties { add("maxProperties", String(v)) }
        if !s.properties.isEmpty {
            let inner = s.properties.map { "\(pad)  \(JSONString.quote($0.0)): {\n\(body($0.1, indent: indent + 2))\n\(pad)  }" }
            add("properties", "{\n" + inner.joined(separator: ",\n") + "\n\(pad)}")
        }
        if !s.required.isEmpty { add("required", "[" + s.required.map(JSONString.quote).joined(separator: ", ") + "]") }
        if s.types == ["object"] || !s.properties.isEmpty {
            switch s.additional {
            case .forbidden: add("additionalProperties", "false")
            case .allowed: break
            case .schema(let sub): add("additionalProperties", "{\n\(body(sub, indent: indent + 1))\n\(pad)}")
            }
        }
        if let items = s.items { add("items", "{\n\(body(items, indent: indent + 1))\n\(pad)}") }
        for (key, list) in [("oneOf", s.oneOf), ("anyOf", s.anyOf), ("allOf", s.allOf)] where !list.isEmpty {
            add(key, "[\n" + list.map { "\(pad)  {\n\(body($0, indent: indent + 2))\n\(pad)  }" }.joined(separator: ",\n") + "\n\(pad)]")
        }
        return fields.joined(separator: ",\n")
    }
}
