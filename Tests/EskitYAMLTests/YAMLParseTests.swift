import EskitCore
import TestSupport
import Testing

@testable import EskitYAML

@Suite struct YAMLParseTests {
    private func parse(_ text: String, limits: YAMLLimits = .default) throws -> [YAMLDocument] {
        try YAML.parse(text, file: "t.yaml", limits: limits)
    }

    private func parseError(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
        do {
            _ = try YAML.parse(bytes, file: "t.yaml", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func simpleMapping() throws {
        let docs = try parse("a: 1\nb: [x, 'y']\nc: {d: \"e\"}\n")
        #expect(docs.count == 1)
        let root = try #require(docs[0].root)
        #expect(root.pairs?.map { $0.key.scalarValue } == ["a", "b", "c"])
        #expect(root["a"]?.scalarValue == "1")
        #expect(root["b"]?.items?.map(\.scalarValue) == ["x", "y"])
        #expect(root["b"]?.items?[1].scalarStyle == .singleQuoted)
        #expect(root["c"]?["d"]?.scalarValue == "e")
        #expect(root["c"]?["d"]?.scalarStyle == .doubleQuoted)
        #expect(root.span.start == TextPosition(offset: 0, line: 1, column: 1))
    }

    @Test func emptyInputsGiveNoDocuments() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("# only a comment\n# another\n").isEmpty)
        #expect(try parse("\n\n  \n").isEmpty)
    }

    @Test func emptyDocumentsHaveNilRoot() throws {
        let docs = try parse("---\n---\na: 1\n")
        #expect(docs.count == 2)
        #expect(docs[0].root == nil)
        #expect(docs[1].root?["a"]?.scalarValue == "1")
        #expect(docs.map(\.index) == [0, 1])
    }

    @Test func multibyteMarks() throws {
        let text = "é: ü\n日本: \"語\"\n"
        let root = try #require(try parse(text).first?.root)
        let pairs = try #require(root.pairs)
        #expect(pairs[0].value.start == TextPosition(offset: 4, line: 1, column: 4))
        #expect(pairs[0].value.end == TextPosition(offset: 6, line: 1, column: 5))
        #expect(pairs[1].key.start == TextPosition(offset: 7, line: 2, column: 1))
        #expect(pairs[1].value.start == TextPosition(offset: 15, line: 2, column: 5))
        #expect(pairs[1].value.end == TextPosition(offset: 20, line: 2, column: 8))
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[pairs[1].value.span.byteRange], as: UTF8.self) == "\"語\"")
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: b\r\nc: d\r\n".utf8)
        let root = try #require(try YAML.parse(bytes, file: "t.yaml").first?.root)
        #expect(root["a"]?.scalarValue == "b")
        #expect(root["c"]?.scalarValue == "d")
        let a = try #require(root.pairs?[0].key)
        #expect(a.start == TextPosition(offset: 3, line: 1, column: 2))
        let d = try #require(root["c"])
        #expect(d.start == TextPosition(offset: 12, line: 2, column: 4))
        #expect(d.end.offset == 13)
    }

    @Test func aliasesResolveToCopies() throws {
        let root = try #require(try parse("base: &b {x: 1}\nuse: *b\n").first?.root)
        let use = try #require(root["use"])
        #expect(use.alias == "b")
        #expect(use.anchor == nil)
        #expect(use["x"]?.scalarValue == "1")
        #expect(use.start == TextPosition(offset: 21, line: 2, column: 6))
        #expect(use.end == TextPosition(offset: 23, line: 2, column: 8))
        #expect(root["base"]?.anchor == "b")
    }

    @Test func redefinedAnchorTakesLatest() throws {
        let root = try #require(try parse("- &a one\n- *a\n- &a two\n- *a\n").first?.root)
        #expect(root.items?.map(\.scalarValue) == ["one", "one", "two", "two"])
    }

    @Test func tagsResolve() throws {
        let root = try #require(try parse("a: !!str 1\nb: !custom x\nc: ! y\nd: !!map {}\n").first?.root)
        #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["b"]?.tag == "!custom")
        #expect(root["c"]?.tag == "!")
        #expect(root["d"]?.tag == "tag:yaml.org,2002:map")
        #expect(root.tag == nil)
    }

    @Test func depthLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = parseError(Array(deep.utf8))
        #expect(error?.problem == "nesting deeper than 512 levels")
        #expect(error?.position.column == 513)
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parseError(Array(ok.utf8)) == nil)
    }

    @Test func aliasBomb() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        let error = parseError(Array(text.utf8))
        #expect(error?.problem == "alias expansion exceeds 100000 nodes")
    }

    @Test(arguments: [
        [UInt8](),
        [0x00], [0xFF, 0xFE, 0x61, 0x00], [0x61, 0x3A, 0x20, 0xC3], [0x61, 0x3A, 0x20, 0x00, 0x62],
        Array("a: \"abc".utf8), Array("[a, b".utf8), Array("a:\n\t- b".utf8), Array("key: *nope".utf8),
        Array("a: b\n c: d\n e".utf8), Array("- [".utf8), Array("%YAML 9.9\n---\na".utf8),
    ])
    func hostileInputNeverCrashes(bytes: [UInt8]) {
        _ = parseError(bytes)
    }

    /// Random short inputs either parse, with every node span inside the input, or fail with one error whose
    /// position lies inside the input (1-based line and column, byte offset within bounds) and a problem text.
    @Test func randomBytesParseOrFailWithAPositionInsideTheInput() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("ab: -?[]{},&*!|>'\"%@#\n\t \r\u{0}é日".utf8) + [0xFF, 0xC3, 0x80]
        var parsed = 0, failed = 0
        for _ in 0..<2000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            do {
                let documents = try YAML.parse(bytes, file: "t.yaml")
                parsed += 1
                for root in documents.compactMap(\.root) {
                    #expect(root.start.offset <= root.end.offset && root.end.offset <= bytes.count, "\(bytes)")
                }
            } catch {
                failed += 1
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                #expect(error.position.offset >= 0 && error.position.offset <= bytes.count, "\(bytes)")
                #expect(error.position.line >= 1 && error.position.line <= max(lines, 1) + 1, "\(bytes)")
                #expect(error.position.column >= 1, "\(bytes)")
                #expect(!error.problem.isEmpty, "\(bytes)")
                #expect(error.file == "t.yaml")
            }
        }
        // The alphabet is hostile enough that both outcomes occur many times.
        #expect(parsed > 50)
        #expect(failed > 1000)
    }
}
