public import EskitCore
public import EskitYAML

/// One schema violation: the JSON path of the offending value, where it is in the source, and a message.
public struct SchemaIssue: Sendable, Hashable {
    public var path: String
    public var position: TextPosition
    public var message: String

    /// As a diagnostic in `file`: `<path>: <message>`.
    public func diagnostic(file: String) -> Diagnostic {
        .error(file, position, path.isEmpty ? message : "\(path): \(message)")
    }
}

/// A step of a JSON path.
public enum PathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)

    /// `a.b[0]["x.y/z"]`.
    public static func format(_ components: [PathComponent]) -> String {
        var out = ""
        for c in components {
            switch c {
            case .index(let i): out += "[\(i)]"
            case .key(let k):
                let plain =
                    !k.isEmpty
                    && k.utf8.allSatisfy { b in
                        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45
                    }
                if plain { out += out.isEmpty ? k : ".\(k)" } else { out += "[\(JSONString.quote(k))]" }
            }
        }
        return out
    }
}

/// Validates YAML nodes against a `Schema` (types resolved by the YAML 1.2 core schema).
public struct SchemaValidator {
    private var path: [PathComponent]
    private var issues: [SchemaIssue] = []

    private init(path: [PathComponent]) { self.path = path }

    /// Every violation of `schema` by `node`, in document order. `path` prefixes reported paths.
    public static func validate(_ node: YAMLNode, against schema: Schema, path: [PathComponent] = []) -> [SchemaIssue] {
        var v = SchemaValidator(path: path)
        v.check(node, schema)
        return v.issues
    }

    private mutating func report(_ node: YAMLNode, _ message: String) {
        issues.append(SchemaIssue(path: PathComponent.format(path), position: node.start, message: message))
    }

    private static func instanceType(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: "object"
        case .sequence: "array"
        case .scalar: node.resolved?.typeName ?? "string"
        }
    }

    private mutating func check(_ node: YAMLNode, _ schema: Schema) {
        let schema = schema.resolved
        let type = Self.instanceType(node)
        if type == "null", schema.nullable || schema.preserveUnknownFields && schema.types.isEmpty { return }
        if !schema.types.isEmpty || schema.intOrString {
            let accepted = schema.intOrString ? ["integer", "string"] : schema.types
            let ok = accepted.contains(type) || (type == "integer" && accepted.contains("number"))
            if !ok {
                report(
                    node, "expected \(Self.article(accepted.joined(separator: " or "))), found \(Self.describe(type))")
                return
            }
        }
        switch node.kind {
        case .mapping(let pairs): checkObject(node, pairs, schema)
        case .sequence(let items): checkArray(node, items, schema)
        case .scalar: checkScalar(node, schema)
        }
        if let values = schema.enumValues, let value = node.resolved,
            !values.contains(where: { Self.equal($0, value) })
        {
            let list = values.map { v -> String in
                if case .string(let s) = v { return s }; return v.jsonText
            }
            var message = "\(Self.shortValue(value)) is not one of \(list.joined(separator: ", "))"
            if case .string(let s) = value { message += Suggestion.hint(s, list) }
            report(node, message)
        }
        for rule in schema.rules where rule.holds(for: node) == false {
            report(node, rule.message ?? "fails the rule `\(rule.source)`")
        }
        for sub in schema.allOf { check(node, sub) }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { Self.passes(node, $0, path) }) {
            report(node, "does not match any of \(Self.alternatives(schema.anyOf))")
        }
        if !schema.oneOf.isEmpty {
            let count = schema.oneOf.filter { Self.passes(node, $0, path) }.count
            if count != 1 {
                report(node, "must match exactly one of \(Self.alternatives(schema.oneOf)) (matches \(count))")
            }
        }
        if let not = schema.not, Self.passes(node, not, path) {
            report(node, "must not match \(Self.alternatives([not]))")
        }
    }

    private static func passes(_ node: YAMLNode, _ schema: Schema, _ path: [PathComponent]) -> Bool {
        var v = SchemaValidator(path: path)
        v.check(node, schema)
        return v.issues.isEmpty
    }

    private static func alternatives(_ schemas: [Schema]) -> String {
        let parts = schemas.map(\.resolved).map { s -> String in
            if !s.required.isEmpty, s.types.isEmpty, s.properties.isEmpty {
                return "{" + s.required.map { "`\($0)`" }.joined(separator: ", ") + "}"
            }
            return s.types.isEmpty ? "a schema" : s.types.joined(separator: "|")
        }
        return parts.joined(separator: ", ")
    }

    private mutating func checkObject(_ node: YAMLNode, _ pairs: [YAMLPair], _ schema: Schema) {
        var seen = Set<String>()
        for pair in pairs {
            guard let key = pair.key.scalarValue else {
                report(pair.key, "field names must be strings")
                continue
            }
            path.append(.key(key))
            defer { path.removeLast() }
            if !seen.insert(key).inserted {
                report(pair.key, "duplicate field")
                continue
            }
            if let sub = schema.propertyIndex[key] {
                check(pair.value, sub)
                continue
            }
            switch schema.additional {
            case .allowed: break
            case .schema(let sub): check(pair.value, sub)
            case .forbidden:
                report(pair.key, "unknown field" + Suggestion.hint(key, schema.properties.map(\.0)))
            }
        }
        // The API server applies defaults before validating: a required field with a default is never missing.
        for name in schema.required
        where !seen.contains(name) && schema.propertyIndex[name]?.resolved.defaultValue == nil {
            report(node, "missing required field `\(name)`")
        }
        if let min = schema.minProperties, pairs.count < min {
            report(node, "must have at least \(min) field\(min == 1 ? "" : "s")")
        }
        if let max = schema.maxProperties, pairs.count > max {
            report(node, "must have at most \(max) field\(max == 1 ? "" : "s")")
        }
    }

    private mutating func checkArray(_ node: YAMLNode, _ items: [YAMLNode], _ schema: Schema) {
        if let min = schema.minItems, items.count < min {
            report(node, "must have at least \(min) item\(min == 1 ? "" : "s")")
        }
        if let max = schema.maxItems, items.count > max {
            report(node, "must have at most \(max) item\(max == 1 ? "" : "s")")
        }
        guard let itemSchema = schema.items else { return }
        for (i, item) in items.enumerated() {
            path.append(.index(i))
            check(item, itemSchema)
            path.removeLast()
        }
    }

    private mutating func checkScalar(_ node: YAMLNode, _ schema: Schema) {
        guard let value = node.resolved else { return }
        switch value {
        case .string(let s):
            if let min = schema.minLength, s.unicodeScalars.count < min {
                report(node, "must be at least \(min) character\(min == 1 ? "" : "s") long")
            }
            if let max = schema.maxLength, s.unicodeScalars.count > max {
                report(node, "must be at most \(max) character\(max == 1 ? "" : "s") long")
            }
            if let pattern = schema.pattern, !pattern.matches(s) {
                report(node, "\(Self.shortValue(value)) does not match \(pattern.source)")
            }
            if schema.format == "byte", !Self.isBase64(s) { report(node, "is not valid base64 (format: byte)") }
        case .int(let i):
            checkRange(node, Double(i), schema)
            if schema.format == "int32", i < Int64(Int32.min) || i > Int64(Int32.max) {
                report(node, "\(i) does not fit in int32")
            }
        case .float(let d):
            checkRange(node, d, schema)
        case .bool, .null:
            break
        }
    }

    private mutating func checkRange(_ node: YAMLNode, _ d: Double, _ schema: Schema) {
        if let min = schema.minimum, schema.exclusiveMinimum ? d <= min : d < min {
            report(node, "must be \(schema.exclusiveMinimum ? ">" : ">=") \(Self.number(min))")
        }
        if let max = schema.maximum, schema.exclusiveMaximum ? d >= max : d > max {
            report(node, "must be \(schema.exclusiveMaximum ? "<" : "<=") \(Self.number(max))")
        }
    }

    private static func number(_ d: Double) -> String { d == d.rounded() ? String(Int64(d)) : String(d) }

    private static func equal(_ a: ResolvedScalar, _ b: ResolvedScalar) -> Bool {
        switch (a, b) {
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): Double(x) == y
        default: a == b
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "object": "a mapping"
        case "array": "a sequence"
        case "integer": "an integer"
        case "integer or string": "an integer or a string"
        default: type.first.map { "aeiou".contains($0) } == true ? "an \(type)" : "a \(type)"
        }
    }

    private static func describe(_ type: String) -> String {
        switch type {
        case "object": "a mapping"
        case "array": "a sequence"
        case "null": "null"
        default: article(type)
        }
    }

    /// How a value appears in a message: text as at most a 3-character preview (a value in the wrong place may
    /// be a secret), numbers, booleans and null as themselves.
    private static func shortValue(_ value: ResolvedScalar) -> String {
        if case .string(let s) = value { return "the value " + JSONString.quote(RedactedSecret(s).preview) }
        return value.jsonText
    }

    private static func isBase64(_ s: String) -> Bool {
        var n = 0
        var padding = 0
        for b in s.utf8 {
            if b == 10 || b == 13 || b == 32 { continue }
            if b == UInt8(ascii: "=") { padding += 1; n += 1; continue }
            guard padding == 0 else { return false }
            let ok = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 43 || b == 47
            if !ok { return false }
            n += 1
        }
        return n % 4 == 0 && padding <= 2
    }
}
