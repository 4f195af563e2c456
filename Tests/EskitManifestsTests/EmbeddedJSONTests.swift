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
