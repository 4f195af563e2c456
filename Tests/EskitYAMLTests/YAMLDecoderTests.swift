import EskitCore
import EskitYAML
import Testing

/// The one decoder of eskit's own configuration files.
@Suite struct YAMLDecoderTests {
    struct Config: Decodable, Equatable {
        var name: String
        var size: Int?
        var ratio: Double?
        var enabled: Bool?
        var tags: [String]?
        var rules: [Rule]?
        var level: Located<Level>?
    }

    struct Rule: Decodable, Equatable {
        var id: String
        var keywords: [String]

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            keywords = try c.decode([String].self, forKey: .keywords)
            if keywords.isEmpty { throw YAMLDecoder.Invalid("a rule needs at least one keyword") }
        }

        enum CodingKeys: String, CodingKey { case id, keywords }
    }

    enum Level: String, Decodable, Equatable {
        case low, high

        init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let level = Level(rawValue: text) else { throw YAMLDecoder.Invalid("must be one of low, high") }
            self = level
        }
    }

    func decode(_ text: String) throws(DiagnosticsError) -> Config {
        try YAMLDecoder(file: "c.yaml").decode(Config.self, from: Array(text.utf8))
    }

    func messages(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func decodesValuesAndPositions() throws {
        let config = try decode(
            "name: app\nsize: 3\nratio: 0.5\nenabled: true\ntags: [a, b]\nlevel: high\n"
                + "rules:\n  - {id: r1, keywords: [k]}\n")
        #expect(config.name == "app")
        #expect(config.size == 3 && config.ratio == 0.5 && config.enabled == true)
        #expect(config.tags == ["a", "b"])
        #expect(config.rules?.map(\.id) == ["r1"])
        #expect(config.level?.value == .high)
        #expect(config.level?.position.line == 6 && config.level?.position.column == 8)
    }

    @Test func emptyFileIsAnEmptyMapping() {
        #expect(messages("") == ["c.yaml:1:1: error: missing required field `name`"])
    }

    @Test func everyProblemNamesItsPlaceAndPath() {
        #expect(messages("name: app\nsze: 3\n") == ["c.yaml:2:1: error: sze: unknown field; did you mean `size`?"])
        #expect(
            messages("name: app\nrules:\n  - {id: r, keywords: [k], kw: x}\n")
                == ["c.yaml:3:28: error: rules[0].kw: unknown field (expected: id, keywords)"])
        #expect(
            messages("name: 12\n") == [
                "c.yaml:1:7: error: name: expected text, found integer; quote it if text is meant"
            ])
        #expect(messages("name: app\nsize: big\n") == ["c.yaml:2:7: error: size: expected an integer"])
        #expect(messages("name: app\ntags: x\n") == ["c.yaml:2:7: error: tags: expected a list, found a scalar"])
        #expect(
            messages("name: app\nrules:\n  - {id: r, keywords: []}\n")
                == ["c.yaml:3:5: error: rules[0]: a rule needs at least one keyword"])
        #expect(messages("name: app\nlevel: mid\n") == ["c.yaml:2:8: error: level: must be one of low, high"])
        #expect(messages("name: a\nname: b\n") == ["c.yaml:2:1: error: duplicate key `name`"])
        #expect(messages("a: [\n").count == 1)
        #expect(messages("- a\n") == ["c.yaml:1:1: error: expected a mapping, found a list"])
    }

    /// Values are never quoted in messages (a misplaced token must not be echoed).
    @Test func messagesNeverQuoteValues() {
        let token = "tok_" + String(repeating: "q7", count: 12)
        for text in [
            "name: app\nsize: \(token)\n", "name: app\nlevel: \(token)\n", "name: [\(token)]\n",
            "name: app\n\(token): 1\n",
        ] {
            for message in messages(text) where text.hasPrefix("name: app\n\(token)") == false {
                #expect(!message.contains(token), "\(message)")
            }
        }
    }
}

/// A YAML syntax error shows where it is without repeating the line's values.
@Suite struct YAMLErrorMaskingTests {
    @Test func snippetsKeepStructureAndCaretButNoValues() throws {
        let token = "ghp_" + String(repeating: "T0k3n", count: 7)
        let cases = [
            "password: \"\(token)\n", "env:\n  - {name: X, value: \(token)\n", "\(token): a: b\n",
            "list: [\(token), \n",
        ]
        for text in cases {
            do {
                _ = try YAML.parse(text, file: "s.yaml")
                Issue.record("expected a syntax error for \(text.prefix(10))")
            } catch {
                #expect(!error.description.contains(token), "\(error.description)")
                #expect(!error.description.contains("T0k3n"))
                #expect(error.description.hasSuffix("^"))
            }
        }
        #expect(YAMLError.masked("  - key: value # note") == "  - key: ••••• # ••••")
        #expect(YAMLError.masked("TOKEN=abc") == "•••••••••")
        #expect(YAMLError.masked("a: [x, 'y']") == "a: [•, '•']")
    }
}
