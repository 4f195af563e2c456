import EskitCore

/// What a YAML scalar means to Kubernetes: the YAML 1.2 core schema plus the YAML 1.1 booleans that
/// sigs.k8s.io/yaml (go-yaml v2) still reads (`yes`/`no`/`on`/`off`/`y`/`n`).
public enum ResolvedScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)

    /// The JSON Schema type name (`integer` for ints, `number` for floats).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .float: "number"
        case .string: "string"
        }
    }

    /// The value as JSON text (strings quoted and escaped).
    public var jsonText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .float(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): JSONString.quote(s)
        }
    }
}

extension YAMLNode {
    /// The scalar's meaning: plain untagged scalars resolve by the core schema; quoted or block scalars are
    /// strings; `!!str`, `!!int`, `!!bool`, `!!float`, `!!null` tags force the type. Nil for collections.
    public var resolved: ResolvedScalar? {
        guard case .scalar(let value, let style) = kind else { return nil }
        switch tag {
        case "tag:yaml.org,2002:str": return .string(value)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool": return ScalarResolver.bool(value).map(ResolvedScalar.bool) ?? .string(value)
        case "tag:yaml.org,2002:int": return ScalarResolver.int(value).map(ResolvedScalar.int) ?? .string(value)
        case "tag:yaml.org,2002:float":
            return ScalarResolver.float(value).map(ResolvedScalar.float) ?? .string(value)
        case nil, "!": break
        default: return .string(value)
        }
        guard style == .plain, tag == nil else { return .string(value) }
        return ScalarResolver.resolvePlain(value)
    }

    /// A short name of the node's kind for messages: `mapping`, `sequence`, or the resolved scalar type.
    public var kindName: String {
        switch kind {
        case .mapping: "mapping"
        case .sequence: "sequence"
        case .scalar: resolved?.typeName ?? "string"
        }
    }
}

/// YAML 1.2 core-schema resolution of plain scalars, over bytes.
public enum ScalarResolver {
    public static func resolvePlain(_ value: String) -> ResolvedScalar {
        if value.isEmpty { return .null }
        let first = value.utf8.first!
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if value == "~" || value == "null" || value == "Null" || value == "NULL" { return .null }
            if let b = bool(value) { return .bool(b) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "y"),
            UInt8(ascii: "Y"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if let b = bool(value) { return .bool(b) }
        default:
            break
        }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        {
            if let i = int(value) { return .int(i) }
            if let d = float(value) { return .float(d) }
        }
        return .string(value)
    }

    /// True when a plain scalar with this text would read as something other than the same string (so an
    /// emitter must quote it to keep it a string).
    public static func needsQuotingAsString(_ value: String) -> Bool {
        if case .string = resolvePlain(value) { return false }
        return true
    }

    static func bool(_ v: String) -> Bool? {
        switch v {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": false
        default: nil
        }
    }

    static func int(_ v: String) -> Int64? {
        let bytes = Array(v.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") {
            return Int64(String(decoding: bytes[2...], as: UTF8.self), radix: 16)
        }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "o") {
            return Int64(String(decoding: bytes[2...], as: UTF8.self), radix: 8)
        }
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        guard i < bytes.count else { return nil }
        while i < bytes.count {
            guard bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else { return nil }
            i += 1
        }
        return Int64(v.hasPrefix("+") ? String(v.dropFirst()) : v)
    }

    static func float(_ v: String) -> Double? {
        switch v {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let bytes = Array(v.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            var exp = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; exp += 1 }
            guard exp > 0 else { return nil }
        }
        guard i == bytes.count else { return nil }
        return Double(v)
    }
}
