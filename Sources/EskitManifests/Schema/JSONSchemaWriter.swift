import EskitCore

/// Writes a `Schema` as JSON Schema (draft 2020-12) text through `JSONWriter`, deterministically (fixed key order,
/// 2-space indent).
public enum JSONSchemaWriter {
    /// The whole inventory schema, for editors (`# yaml-language-server: $schema=...`).
    public static func inventory() -> String {
        let version = InventorySchema.apiVersion.split(separator: "/").last.map(String.init) ?? ""
        var json = JSONWriter()
        json.beginObject()
        json.field("$schema", "https://json-schema.org/draft/2020-12/schema")
        json.field("$id", "https://github.com/eskit-project/eskit/schemas/inventory-\(version).json")
        json.field("title", "eskit inventory (\(InventorySchema.apiVersion))")
        write(InventorySchema.editorRoot, into: &json)
        json.endObject()
        return json.output
    }

    /// The `.eskit.yaml` schema, for editors.
    public static func config() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("$schema", "https://json-schema.org/draft/2020-12/schema")
        json.field("$id", "https://github.com/eskit-project/eskit/schemas/config.json")
        json.field("title", "eskit scan configuration (.eskit.yaml)")
        write(ConfigSchema.root, into: &json)
        json.endObject()
        return json.output
    }

    /// The fields of `s` into the object `json` has open.
    static func write(_ s: Schema, into json: inout JSONWriter) {
        let s = s.resolved
        if let d = s.description { json.field("description", d) }
        if s.intOrString {
            json.inlineArray("type", ["\"integer\"", "\"string\""])
        } else if s.types.count == 1 {
            json.field("type", s.types[0])
        } else if !s.types.isEmpty {
            json.inlineArray("type", s.types.map(JSONString.quote))
        }
        if let values = s.enumValues { json.inlineArray("enum", values.map(\.jsonText)) }
        if let p = s.pattern { json.field("pattern", p.source) }
        if let v = s.minimum { json.field("minimum", v) }
        if let v = s.maximum { json.field("maximum", v) }
        for (key, value) in [
            ("minLength", s.minLength), ("maxLength", s.maxLength), ("minItems", s.minItems),
            ("maxItems", s.maxItems), ("minProperties", s.minProperties),
            ("maxProperties", s.maxProperties),
        ] {
            if let value { json.field(key, value) }
        }
        if !s.properties.isEmpty {
            json.beginObject("properties")
            for (name, sub) in s.properties {
                json.beginObject(name)
                write(sub, into: &json)
                json.endObject()
            }
            json.endObject()
        }
        if !s.required.isEmpty { json.inlineArray("required", s.required.map(JSONString.quote)) }
        if s.types == ["object"] || !s.properties.isEmpty {
            switch s.additional {
            case .forbidden: json.field("additionalProperties", false)
            case .allowed: break
            case .schema(let sub):
                json.beginObject("additionalProperties")
                write(sub, into: &json)
                json.endObject()
            }
        }
        if let items = s.items {
            json.beginObject("items")
            write(items, into: &json)
            json.endObject()
        }
        for (key, list) in [("oneOf", s.oneOf), ("anyOf", s.anyOf), ("allOf", s.allOf)] where !list.isEmpty {
            json.beginArray(key)
            for sub in list {
                json.beginObject()
                write(sub, into: &json)
                json.endObject()
            }
            json.endArray()
        }
    }
}
