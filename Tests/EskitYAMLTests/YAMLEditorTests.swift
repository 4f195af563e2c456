import EskitCore
import EskitYAML
import Foundation
import TestSupport
import Testing

@Suite struct YAMLEditorTests {
    static let manifest = """
        # Secret with plaintext values (fake).
        apiVersion: v1
        kind: Secret
        metadata:
          name: db   # keep this comment
          annotations: {owner: team-a, note: "x"}
        stringData:
          password: hunter2-fake    # inline comment stays
          token: 'abc'
          dsn: "postgres://u:p@db/app"
          cert: |
            line one
            line two

          empty:
          list: [a, b]
        ---
        # second document untouched
        other: value
        """

    private func parse(_ bytes: [UInt8]) throws -> YAMLNode {
        try #require(try YAML.parse(bytes, file: "m.yaml").first?.root)
    }

    @Test func multipleEditsKeepEveryOtherByte() throws {
        let source = Array(Self.manifest.utf8)
        let root = try parse(source)
        let data = try #require(root["stringData"])
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(data["cert"]), with: "new first\nnew second\n")
        try editor.replaceScalar(try #require(data["password"]), with: "yes")
        try editor.replaceScalar(try #require(data["token"]), with: "it's")
        try editor.replaceScalar(try #require(data["dsn"]), with: "tab\there")
        try editor.replaceScalar(try #require(data["empty"]), with: "filled")
        try editor.replaceScalar(try #require(data["list"]?.items?[1]), with: "c, d")
        try editor.replaceScalar(try #require(root["metadata"]?["annotations"]?["owner"]), with: "team: b")
        let result = String(decoding: editor.result(), as: UTF8.self)
        let expected = """
            # Secret with plaintext values (fake).
            apiVersion: v1
            kind: Secret
            metadata:
              name: db   # keep this comment
              annotations: {owner: 'team: b', note: "x"}
            stringData:
              password: 'yes'    # inline comment stays
              token: 'it''s'
              dsn: "tab\\there"
              cert: |
                new first
                new second

              empty: filled
              list: [a, 'c, d']
            ---
            # second document untouched
            other: value
            """
        #expect(result == expected)
        let reparsed = try parse(Array(result.utf8))
        #expect(reparsed["stringData"]?["password"]?.scalarValue == "yes")
        #expect(reparsed["stringData"]?["token"]?.scalarValue == "it's")
        #expect(reparsed["stringData"]?["dsn"]?.scalarValue == "tab\there")
        #expect(reparsed["stringData"]?["cert"]?.scalarValue == "new first\nnew second\n")
        #expect(reparsed["stringData"]?["empty"]?.scalarValue == "filled")
        #expect(reparsed["stringData"]?["list"]?.items?.map(\.scalarValue) == ["a", "c, d"])
        #expect(reparsed["metadata"]?["annotations"]?["owner"]?.scalarValue == "team: b")
    }

    @Test func blockScalarsKeepIndentationAndChomping() throws {
        let text = "a:\n    script: |- # shell\n        echo one\n    # after\nb: >\n  folded\n  text\n\nc: 1\n"
        let source = Array(text.utf8)
        let root = try parse(source)
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(root["a"]?["script"]), with: "echo two\necho three")
        try editor.replaceScalar(try #require(root["b"]), with: "kept\n\n")
        let result = String(decoding: editor.result(), as: UTF8.self)
        #expect(
            result
                == "a:\n    script: |- # shell\n        echo two\n        echo three\n    # after\nb: |+\n  "
                + "kept\n\nc: 1\n"
        )
        let reparsed = try parse(Array(result.utf8))
        #expect(reparsed["a"]?["script"]?.scalarValue == "echo two\necho three")
        #expect(reparsed["b"]?.scalarValue == "kept\n\n")
        #expect(reparsed["c"]?.scalarValue == "1")
    }

    @Test func blockScalarFallsBackToDoubleQuotes() throws {
        let source = Array("k: |\n  x\nn: 2\n".utf8)
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(try parse(source)["k"]), with: "  leading\ntrailing  ")
        let result = editor.result()
        #expect(String(decoding: result, as: UTF8.self) == "k: \"  leading\\ntrailing  \"\nn: 2\n")
        #expect(try parse(result)["k"]?.scalarValue == "  leading\ntrailing  ")
    }

    @Test func blockScalarTrailingBlanksStayWithTheOldValue() throws {
        let source = Array("k: |  # note\n  old  \n\n# c\nn: 2".utf8)
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(try parse(source)["k"]), with: "new\n")
        #expect(String(decoding: editor.result(), as: UTF8.self) == "k: |  # note\n  new\n\n# c\nn: 2")
        let fallback = Array("k: |  # note\n  old\n".utf8)
        var second = YAMLEditor(source: fallback)
        try second.replaceScalar(try #require(try parse(fallback)["k"]), with: "cr\r")
        #expect(String(decoding: second.result(), as: UTF8.self) == "k: \"cr\\r\"  # note\n")
    }

    @Test func typedPlainScalarsStayPlain() throws {
        let source = Array("replicas: 3\nname: web\nenabled: true\n".utf8)
        let root = try parse(source)
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(root["replicas"]), with: "5")
        try editor.replaceScalar(try #require(root["name"]), with: "0123")
        try editor.replaceScalar(try #require(root["enabled"]), with: "false")
        #expect(String(decoding: editor.result(), as: UTF8.self) == "replicas: 5\nname: '0123'\nenabled: false\n")
    }

    @Test func propertiesAndCRLFAreKept() throws {
        let source = Array("a: &x !!str old\r\nb: |\r\n  one\r\n  two\r\nc: *x\r\n".utf8)
        let root = try parse(source)
        var editor = YAMLEditor(source: source)
        try editor.replaceScalar(try #require(root["a"]), with: "new")
        try editor.replaceScalar(try #require(root["b"]), with: "three\n")
        let result = String(decoding: editor.result(), as: UTF8.self)
        #expect(result == "a: &x !!str new\r\nb: |\r\n  three\r\nc: *x\r\n")
        let reparsed = try parse(Array(result.utf8))
        #expect(reparsed["c"]?.scalarValue == "new")
        #expect(reparsed["a"]?.tag == "tag:yaml.org,2002:str")
    }

    @Test func rejectsAliasesCollectionsAndOverlaps() throws {
        let source = Array("a: &x v\nb: *x\nc: {d: 1}\n".utf8)
        let root = try parse(source)
        var editor = YAMLEditor(source: source)
        #expect(throws: YAMLEditError.self) { try editor.replaceScalar(try #require(root["b"]), with: "z") }
        #expect(throws: YAMLEditError.self) { try editor.replaceScalar(try #require(root["c"]), with: "z") }
        try editor.replaceScalar(try #require(root["a"]), with: "z")
        #expect(throws: YAMLEditError.self) { try editor.replaceScalar(try #require(root["a"]), with: "y") }
    }

    // MARK: - Every scalar of every fixture, replaced by awkward values

    private struct Target {
        var path: [Int]
        var node: YAMLNode
    }

    private static func targets(_ node: YAMLNode, path: [Int] = [], into out: inout [Target]) {
        if node.alias != nil || node.anchor != nil { return }
        switch node.kind {
        case .scalar: out.append(Target(path: path, node: node))
        case .sequence(let items):
            for (i, item) in items.enumerated() { targets(item, path: path + [i], into: &out) }
        case .mapping(let pairs):
            for (i, pair) in pairs.enumerated() {
                targets(pair.key, path: path + [2 * i], into: &out)
                targets(pair.value, path: path + [2 * i + 1], into: &out)
            }
        }
    }

    private static func replacing(_ node: YAMLNode, at path: [Int], with value: String) -> YAMLNode {
        var copy = node
        guard let first = path.first else {
            copy.kind = .scalar(value, .plain)
            return copy
        }
        let rest = Array(path.dropFirst())
        switch node.kind {
        case .scalar: break
        case .sequence(var items):
            items[first] = replacing(items[first], at: rest, with: value)
            copy.kind = .sequence(items)
        case .mapping(var pairs):
            if first % 2 == 0 {
                pairs[first / 2].key = replacing(pairs[first / 2].key, at: rest, with: value)
            } else {
                pairs[first / 2].value = replacing(pairs[first / 2].value, at: rest, with: value)
            }
            copy.kind = .mapping(pairs)
        }
        return copy
    }

    static let fixtureNames = [
        "k8s-multidoc.yaml", "helm-values.yaml", "kustomization.yaml", "block-scalars.yaml",
        "flow-style.yaml", "quoted-escapes.yaml", "non-ascii.yaml", "crlf.yaml",
        "secret-and-eso.yaml", "numbers-as-strings.yaml", "long-and-special.yaml",
    ]

    @Test(arguments: fixtureNames)
    func everyScalarReplacesCleanly(name: String) throws {
        let source = try Fixtures.bytes("yaml/\(name)")
        let documents = try YAML.parse(source, file: name)
        let values = [
            "replaced", "yes", "0123", "with: colon", "a # b", "multi\nline\n", "x\ny", "  padded  ",
            "quote'and\"", "tab\t", "", "日本🚀", "[flow]", "-", "kept\n\n", "- item", "null",
        ]
        var checked = 0
        for (d, document) in documents.enumerated() {
            guard let root = document.root else { continue }
            var list: [Target] = []
            Self.targets(root, into: &list)
            for (t, target) in list.enumerated() {
                let value = values[(t + d) % values.count]
                var editor = YAMLEditor(source: source)
                do {
                    try editor.replaceScalar(target.node, with: value)
                } catch {
                    Issue.record("\(name) \(target.node.start): \(error)")
                    continue
                }
                let result = editor.result()
                let reparsed: [YAMLDocument]
                do {
                    reparsed = try YAML.parse(result, file: name)
                } catch {
                    Issue.record("\(name) \(target.node.start) <- \(value.debugDescription): \(error)")
                    continue
                }
                var expected = documents
                expected[d].root = Self.replacing(root, at: target.path, with: value)
                let same =
                    reparsed.count == expected.count && zip(reparsed, expected).allSatisfy { $0.contentEquals($1) }
                let shown =
                    "\(name) \(target.node.start) <- \(value.debugDescription):\n"
                    + String(decoding: result, as: UTF8.self)
                #expect(same, "\(shown)")
                if target.node.start != target.node.end {
                    let start = target.node.start.offset
                    #expect(Array(result.prefix(start)) == Array(source.prefix(start)))
                    let tail = source.count - target.node.end.offset
                    #expect(Array(result.suffix(tail)) == Array(source.suffix(tail)))
                }
                checked += 1
            }
        }
        #expect(checked > 5)
    }
}
