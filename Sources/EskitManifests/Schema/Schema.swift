public import EskitYAML
import Foundation

/// An OpenAPI v3 schema in the structural subset Kubernetes CRDs use, plus what the inventory needs.
public final class Schema: Sendable {
    public enum Additional: Sendable {
        /// Unknown fields are errors (the default of a structural schema: Kubernetes prunes them and
        /// `kubectl --validate=strict` rejects them).
        case forbidden
        /// Any field is allowed and unchecked.
        case allowed
        /// Every field not in `properties` must match this schema.
        case schema(Schema)
    }

    public let types: [String]
    public let description: String?
    public let properties: [(String, Schema)]
    public let propertyIndex: [String: Schema]
    public let required: [String]
    public let additional: Additional
    public let items: Schema?
    public let enumValues: [ResolvedScalar]?
    public let pattern: Pattern?
    public let format: String?
    public let minimum: Double?
    public let maximum: Double?
    public let exclusiveMinimum: Bool
    public let exclusiveMaximum: Bool
    public let minLength: Int?
    public let maxLength: Int?
    public let minItems: Int?
    public let maxItems: Int?
    public let minProperties: Int?
    public let maxProperties: Int?
    public let oneOf: [Schema]
    public let anyOf: [Schema]
    public let allOf: [Schema]
    public let not: Schema?
    public let nullable: Bool
    public let preserveUnknownFields: Bool
    public let intOrString: Bool
    public let defaultValue: ResolvedScalar?
    /// `x-kubernetes-validations` rules in the supported CEL subset.
    public let rules: [CELRule]
    /// Set on a schema made when first needed (see `init(deferred:)`); its other fields are then empty.
    private let deferred: Deferred?

    /// The schema to check against: the made schema of a deferred one, else this one. Whoever reads a schema's
    /// fields (the validator, the JSON Schema writer) starts from here.
    public var resolved: Schema { deferred?.schema ?? self }

    /// A schema made by `make` the first time it is resolved, once (thread-safe). ESO's forty provider schemas
    /// are deferred: an inventory uses one or two, and reading them all cost more than the rest of a small
    /// inventory's load.
    public convenience init(deferred make: @escaping @Sendable () -> Schema) {
        self.init(deferred: Deferred(make))
    }

    final class Deferred: @unchecked Sendable {
        private let lock = NSLock()
        private var made: Schema?
        private let make: @Sendable () -> Schema

        init(_ make: @escaping @Sendable () -> Schema) { self.make = make }

        var schema: Schema {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            let schema = make().resolved
            made = schema
            return schema
        }
    }

    private init(deferred: Deferred) {
        self.deferred = deferred
        types = []
        description = nil
        properties = []
        propertyIndex = [:]
        required = []
        additional = .allowed
        items = nil
        enumValues = nil
        pattern = nil
        format = nil
        minimum = nil
        maximum = nil
        exclusiveMinimum = false
        exclusiveMaximum = false
        minLength = nil
        maxLength = nil
        minItems = nil
        maxItems = nil
        minProperties = nil
        maxProperties = nil
        oneOf = []
        anyOf = []
        allOf = []
        not = nil
        nullable = false
        preserveUnknownFields = false
        intOrString = false
        defaultValue = nil
        rules = []
    }

    public init(
        types: [String] = [], description: String? = nil, properties: [(String, Schema)] = [],
        required: [String] = [], additional: Additional? = nil, items: Schema? = nil,
        enumValues: [ResolvedScalar]? = nil, pattern: Pattern? = nil, format: String? = nil,
        minimum: Double? = nil, maximum: Double? = nil, exclusiveMinimum: Bool = false,
        exclusiveMaximum: Bool = false, minLength: Int? = nil, maxLength: Int? = nil,
        minItems: Int? = nil, maxItems: Int? = nil, minProperties: Int? = nil, maxProperties: Int? = nil,
        oneOf: [Schema] = [], anyOf: [Schema] = [], allOf: [Schema] = [], not: Schema? = nil,
        nullable: Bool = false, preserveUnknownFields: Bool = false, intOrString: Bool = false,
        defaultValue: ResolvedScalar? = nil, rules: [CELRule] = []
    ) {
        self.types = types
        self.description = description
        self.properties = properties
        var index: [String: Schema] = [:]
        for (k, v) in properties where index[k] == nil { index[k] = v }
        self.propertyIndex = index
        self.required = required
        self.additional = additional ?? (preserveUnknownFields || properties.isEmpty ? .allowed : .forbidden)
        self.items = items
        self.enumValues = enumValues
        self.pattern = pattern
        self.format = format
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        self.oneOf = oneOf
        self.anyOf = anyOf
        self.allOf = allOf
        self.not = not
        self.nullable = nullable
        self.preserveUnknownFields = preserveUnknownFields
        self.intOrString = intOrString
        self.defaultValue = defaultValue
        self.rules = rules
        self.deferred = nil
    }

    /// The same schema with no `required` and no CEL rules anywhere (for partial overrides: both hold for the
    /// merged result, which the generator checks per environment).
    /// Subtrees with nothing to drop are shared, not copied (schemas are immutable): the inventory's store
    /// overrides take the partial of every ESO provider, and copying them all cost a fifth of a small inventory's
    /// load.
    public var partial: Schema {
        if let deferred { return Schema(deferred: { deferred.schema.partial }) }
        let extra: Additional
        var same = required.isEmpty && rules.isEmpty
        switch additional {
        case .schema(let s):
            let p = s.partial
            same = same && p === s
            extra = .schema(p)
        default: extra = additional
        }
        let partialProperties = properties.map { ($0.0, $0.1.partial) }
        let partialItems = items?.partial
        same = same && partialItems === items && zip(partialProperties, properties).allSatisfy { $0.1 === $1.1 }
        if same { return self }
        return Schema(
            types: types, description: description, properties: partialProperties,
            required: [], additional: extra, items: partialItems, enumValues: enumValues, pattern: pattern,
            format: format, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
            exclusiveMaximum: exclusiveMaximum, minLength: minLength, maxLength: maxLength,
            minItems: minItems, maxItems: maxItems, minProperties: minProperties,
            maxProperties: maxProperties, oneOf: oneOf, anyOf: anyOf, allOf: allOf, not: not,
            nullable: nullable, preserveUnknownFields: preserveUnknownFields, intOrString: intOrString,
            defaultValue: defaultValue, rules: [])
    }

    /// The same schema with more required fields and, when given, another description.
    public func adding(required extra: [String], description newDescription: String? = nil) -> Schema {
        if let deferred {
            return Schema(deferred: { deferred.schema.adding(required: extra, description: newDescription) })
        }
        return Schema(
            types: types, description: newDescription ?? description, properties: properties,
            required: required + extra.filter { !required.contains($0) }, additional: additional, items: items,
            enumValues: enumValues, pattern: pattern, format: format, minimum: minimum, maximum: maximum,
            exclusiveMinimum: exclusiveMinimum, exclusiveMaximum: exclusiveMaximum, minLength: minLength,
            maxLength: maxLength, minItems: minItems, maxItems: maxItems, minProperties: minProperties,
            maxProperties: maxProperties, oneOf: oneOf, anyOf: anyOf, allOf: allOf, not: not,
            nullable: nullable, preserveUnknownFields: preserveUnknownFields, intOrString: intOrString,
            defaultValue: defaultValue, rules: rules)
    }

    /// A schema that accepts anything.
    public static let any = Schema(preserveUnknownFields: true)

    /// A schema that could not be read from a CRD.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var position: TextPositionValue
        public var message: String
        public var description: String { "\(file):\(position.line):\(position.column): \(message)" }
    }

    /// Line and column (kept separate from EskitCore's type so this error stays a plain value).
    public struct TextPositionValue: Sendable, Hashable {
        public var line: Int
        public var column: Int
    }

    /// Reads an `openAPIV3Schema` node.
    public static func read(_ node: YAMLNode, file: String) throws(ReadError) -> Schema {
        guard let pairs = node.pairs else {
            throw ReadError(
                file: file, position: .init(line: node.start.line, column: node.start.column),
                message: "a schema must be a mapping")
        }
        var types: [String] = []
        var description: String?
        var properties: [(String, Schema)] = []
        var required: [String] = []
        var additional: Additional?
        var items: Schema?
        var enumValues: [ResolvedScalar]?
        var pattern: Pattern?
        var format: String?
        var minimum: Double?, maximum: Double?
        var exMin = false, exMax = false
        var minLength: Int?, maxLength: Int?, minItems: Int?, maxItems: Int?, minProps: Int?, maxProps: Int?
        var oneOf: [Schema] = [], anyOf: [Schema] = [], allOf: [Schema] = []
        var notSchema: Schema?
        var nullable = false, preserve = false, intOrString = false
        var defaultValue: ResolvedScalar?
        var rules: [CELRule] = []
        func number(_ n: YAMLNode) -> Double? {
            switch n.resolved {
            case .int(let i): Double(i)
            case .float(let d): d
            default: nil
            }
        }
        func int(_ n: YAMLNode) -> Int? { number(n).map { Int($0) } }
        for pair in pairs {
            guard let key = pair.key.scalarValue else { continue }
            let v = pair.value
            switch key {
            case "type":
                if let s = v.scalarValue {
                    types = [s]
                } else if let list = v.items {
                    types = list.compactMap(\.scalarValue)
                }
            case "description": description = v.scalarValue
            case "properties":
                for p in v.pairs ?? [] {
                    if let name = p.key.scalarValue { properties.append((name, try read(p.value, file: file))) }
                }
            case "required": required = (v.items ?? []).compactMap(\.scalarValue)
            case "additionalProperties":
                if case .bool(let b)? = v.resolved {
                    additional = b ? .allowed : .forbidden
                } else if v.pairs != nil {
                    additional = .schema(try read(v, file: file))
                }
            case "items":
                if v.pairs != nil { items = try read(v, file: file) }
            case "enum": enumValues = (v.items ?? []).compactMap(\.resolved)
            case "pattern":
                if let s = v.scalarValue {
                    do { pattern = try Pattern(s) } catch {
                        throw ReadError(
                            file: file, position: .init(line: v.start.line, column: v.start.column),
                            message: error.description)
                    }
                }
            case "format": format = v.scalarValue.flatMap { $0.isEmpty ? nil : $0 }
            case "minimum": minimum = number(v)
            case "maximum": maximum = number(v)
            case "exclusiveMinimum": exMin = v.resolved == .bool(true)
            case "exclusiveMaximum": exMax = v.resolved == .bool(true)
            case "minLength": minLength = int(v)
            case "maxLength": maxLength = int(v)
            case "minItems": minItems = int(v)
            case "maxItems": maxItems = int(v)
            case "minProperties": minProps = int(v)
            case "maxProperties": maxProps = int(v)
            case "oneOf": for s in v.items ?? [] { oneOf.append(try read(s, file: file)) }
            case "anyOf": for s in v.items ?? [] { anyOf.append(try read(s, file: file)) }
            case "allOf": for s in v.items ?? [] { allOf.append(try read(s, file: file)) }
            case "not": notSchema = try read(v, file: file)
            case "nullable": nullable = v.resolved == .bool(true)
            case "x-kubernetes-preserve-unknown-fields": preserve = v.resolved == .bool(true)
            case "x-kubernetes-int-or-string": intOrString = v.resolved == .bool(true)
            case "default": defaultValue = v.resolved
            case "x-kubernetes-validations":
                for item in v.items ?? [] {
                    if let source = item["rule"]?.scalarValue,
                        let rule = try? CELRule(source, message: item["message"]?.scalarValue)
                    {
                        rules.append(rule)
                    }
                }
            default: break
            }
        }
        if additional == nil {
            additional = preserve || properties.isEmpty ? .allowed : .forbidden
        }
        return Schema(
            types: types, description: description, properties: properties, required: required,
            additional: additional, items: items, enumValues: enumValues, pattern: pattern, format: format,
            minimum: minimum, maximum: maximum, exclusiveMinimum: exMin, exclusiveMaximum: exMax,
            minLength: minLength, maxLength: maxLength, minItems: minItems, maxItems: maxItems,
            minProperties: minProps, maxProperties: maxProps, oneOf: oneOf, anyOf: anyOf, allOf: allOf,
            not: notSchema, nullable: nullable, preserveUnknownFields: preserve, intOrString: intOrString,
            defaultValue: defaultValue, rules: rules)
    }
}
