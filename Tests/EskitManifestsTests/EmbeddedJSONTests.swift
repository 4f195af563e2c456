import EskitCore
import EskitYAML
import Testing

@testable import EskitManifests

/// The reader of built-in JSON gives the tree libyaml gives for the same text, node for node and style for style
/// (a plain `1` resolves to an integer, a quoted one to a string), and refuses what is not JSON.
@Suite struct EmbeddedJSONTests {
    /// Kinds, values and scalar styles equal; no tags or anchors on either side.
    static func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        guard a.tag == nil, b.tag == nil, a.anchor == nil, b.anchor == nil else { return false }
        switch (a.kind, b.kind) {
        case (.scalar(let x, let s), .scalar(let y, let t)): return x == y && s == t
        case (.sequence(let x), .sequence(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        default: return false
        }
    }

    static func libyaml(_ json: String) throws -> YAMLNode {
        let documents = try YAML.parse(Array(json.utf8), file: "json")
        return try #require(documents.count == 1 ? documents[0].root : nil)
    }

    @Test func everyBuiltInCRDReadsAsLibyamlReadsIt() throws {
        #expect(EmbeddedCRDs.files.count == 6)
        for (name, json) in EmbeddedCRDs.files {
            #expect(Self.same(try EmbeddedJSON.parse(json), try Self.libyaml(json)), "\(name)")
        }
    }

    @Test func escapesNumbersAndLiterals() throws {
        let json = #"""
            {"a": "tab\there \"q\" \\ \/ \u00e9 \n", "n": [1, -2.5e3, 0],
             "t": true, "f": false, "z": null, "e": {}, "l": [], "k\u0041": "plain"}
            """#
        let node = try EmbeddedJSON.parse(json)
        #expect(Self.same(node, try Self.libyaml(json)))
        #expect(node["a"]?.scalarValue == "tab\there \"q\" \\ / é \n")
        // JSON writes a character outside the BMP as a surrogate pair (libyaml does not read those).
        #expect(try EmbeddedJSON.parse(#"["\ud83d\ude80"]"#).items?.first?.scalarValue == "🚀")
        #expect(node["kA"]?.scalarValue == "plain")
        // A changed value must show: the comparison can fail.
        #expect(!Self.same(node, try Self.libyaml(json.replacingOccurrences(of: "true", with: "false"))))
        #expect(!Self.same(node, try Self.libyaml(json.replacingOccurrences(of: "[1,", with: "[\"1\","))))
    }

    @Test(arguments: [
        "", "{", "[1, 2", #"{"a" 1}"#, #"{"a": 1,}"#, #"{"a": "x\q"}"#, #"{"a": "\u12"}"#,
        #"["a"] x"#, #"{"a": }"#,
    ])
    func malformedTextIsRefused(_ text: String) {
        #expect(throws: EmbeddedJSON.Malformed.self) { try EmbeddedJSON.parse(text) }
    }
}

/// The inventory reads each ESO provider's schema from the built-in CRD when first needed: what it reads is what
/// the whole CRD gives for that provider (plus the family's required fields and summary), and only the providers
/// an inventory names are read.
@Suite struct DeferredProviderSchemaTests {
    static func json(_ schema: Schema) -> String {
        var json = JSONWriter()
        json.beginObject()
        JSONSchemaWriter.write(schema, into: &json)
        json.endObject()
        return json.output
    }

    @Test func everyProviderSchemaIsTheCRDsOwn() throws {
        let provider = try #require(
            CRDCatalog.builtIn.schema(group: "external-secrets.io", kind: "SecretStore", version: "v1")?
                .propertyIndex["spec"]?.propertyIndex["provider"])
        #expect(InventorySchema.providers.map(\.0) == provider.properties.map(\.0).sorted())
        #expect(InventorySchema.providers.count > 30)
        for (name, deferred) in InventorySchema.providers {
            var expected = try #require(provider.propertyIndex[name])
            if let family = ProviderFamilies.named(name) {
                expected = expected.adding(required: family.inventoryRequired, description: family.summary)
            }
            #expect(Self.json(deferred) == Self.json(expected), "\(name)")
            #expect(Self.json(deferred.partial) == Self.json(expected.partial), "\(name), partial")
        }
        // The comparison sees a difference.
        let vault = try #require(provider.propertyIndex["vault"])
        #expect(Self.json(vault) != Self.json(vault.adding(required: ["nosuch"])))
    }

    @Test func aDeferredSchemaIsMadeOnceAndOnlyWhenUsed() throws {
        final class Counter: @unchecked Sendable { var made = 0 }
        let counter = Counter()
        let schema = Schema(deferred: {
            counter.made += 1
            return Schema(types: ["object"], properties: [("a", Schema(types: ["string"]))])
        })
        let wrapped = Schema(types: ["object"], properties: [("p", schema)], additional: .forbidden)
        let partial = wrapped.partial
        #expect(counter.made == 0, "building schemas around it does not make it")
        let node = try #require(try YAML.parse(Array("p: {a: 1, b: x}".utf8), file: "t").first?.root)
        let issues = SchemaValidator.validate(node, against: wrapped)
        #expect(issues.map(\.path) == ["p.a", "p.b"])
        _ = SchemaValidator.validate(node, against: partial)
        _ = SchemaValidator.validate(node, against: wrapped)
        #expect(counter.made == 1)
    }
}

extension EmbeddedJSONTests {
    @Test func locateFindsAValueByKeysAndNamedElements() throws {
        let json = #"{"a": {"x": "}{", "b": [{"name": "v0", "s": 1}, {"s": "\"]", "name": "v1"}]}, "c": 3}"#
        let range = try #require(try EmbeddedJSON.locate([.key("a"), .key("b"), .named("v1"), .key("s")], in: json))
        #expect(Self.same(try EmbeddedJSON.parse(json, range: range), .scalar("\"]", style: .doubleQuoted)))
        #expect(try EmbeddedJSON.locate([.key("a"), .key("nosuch")], in: json) == nil)
        #expect(try EmbeddedJSON.locate([.key("a"), .key("b"), .named("v2")], in: json) == nil)
        let object = try #require(try EmbeddedJSON.locate([.key("a")], in: json))
        #expect(try EmbeddedJSON.members(of: object, in: json).map(\.key) == ["x", "b"])
        #expect(throws: EmbeddedJSON.Malformed.self) { try EmbeddedJSON.locate([.key("a")], in: #"{"a": [1, 2"#) }
    }
}
