import EskitYAML
import Foundation
import TestSupport
import Testing

/// parse(emit(tree)) equals tree by content for every fixture and for generated random trees.
@Suite struct YAMLRoundTripTests {
    static let fixtures: [String] = {
        let folder = Fixtures.url("yaml")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    static func aliasNames(_ node: YAMLNode) -> [String] {
        var names: [String] = node.alias.map { [$0] } ?? []
        if node.alias != nil { return names }
        switch node.kind {
        case .scalar: break
        case .sequence(let items): for item in items { names += aliasNames(item) }
        case .mapping(let pairs):
            for pair in pairs { names += aliasNames(pair.key) + aliasNames(pair.value) }
        }
        return names
    }

    @Test func enoughFixtures() {
        #expect(Self.fixtures.count >= 15)
    }

    @Test(arguments: fixtures)
    func fixtureRoundTrips(name: String) throws {
        let original = try YAML.parse(try Fixtures.bytes("yaml/\(name)"), file: name)
        let emitted = YAMLEmitter.emit(original)
        let reparsed: [YAMLDocument]
        do {
            reparsed = try YAML.parse(emitted, file: "emitted-\(name)")
        } catch {
            Issue.record("emitted YAML does not parse: \(error)\n\(emitted)")
            return
        }
        #expect(reparsed.count == original.count, "\(emitted)")
        for (a, b) in zip(original, reparsed) {
            #expect(a.contentEquals(b), "document \(a.index) differs after round trip:\n\(emitted)")
            #expect(a.root.map(Self.aliasNames) == b.root.map(Self.aliasNames))
        }
        #expect(YAMLEmitter.emit(reparsed) == emitted, "emitting is not idempotent")
    }

    /// Found by bench/fuzz.sh (yaml target, input `&N`): an anchored empty document was written `&N ''`, so it
    /// came back as an empty string instead of null; an empty key (null) was quoted the same way.
    @Test func emptyPlainScalarsWithPropertiesStayNull() throws {
        for source in ["&N", "a: 1\n--- &a\n", "--- !!null\n", "? &k\n: v\n", "? !!null\n: v\n"] {
            let original = try YAML.parse(source, file: "in.yaml")
            let emitted = YAMLEmitter.emit(original)
            let reparsed = try YAML.parse(emitted, file: "out.yaml")
            #expect(reparsed.count == original.count, "\(source) -> \(emitted)")
            for (a, b) in zip(original, reparsed) {
                #expect(a.contentEquals(b), "\(source) -> \(emitted)")
                #expect(a.root?.resolved == b.root?.resolved, "\(source) -> \(emitted)")
                #expect(
                    a.root?.pairs?.map(\.key.resolved) == b.root?.pairs?.map(\.key.resolved), "\(source) -> \(emitted)")
            }
        }
    }

    /// Found by bench/fuzz.sh (yaml target, a `%TAG` prefix `tag:example.com,%2026:`): tags come parsed with their
    /// `%XX` escapes decoded, and were written back raw (`!<tag:example.com, 26:widget>`), which does not parse.
    @Test func tagsHoldingEscapedCharactersRoundTrip() throws {
        let sources = [
            "%TAG !e! tag:example.com,%2026:\n---\nuri: !e!widget thing\n", "a: !loc%20al%21 x\n",
            "a: !<tag:example.com,2026:%7Bx%7D%25> x\n", "a: !!str%2C%5B x\n", "a: !%21x y\n",
        ]
        for source in sources {
            let original = try YAML.parse(source, file: "in.yaml")
            let emitted = YAMLEmitter.emit(original)
            let reparsed: [YAMLDocument]
            do {
                reparsed = try YAML.parse(emitted, file: "out.yaml")
            } catch {
                Issue.record("\(source) -> \(emitted): \(error)")
                continue
            }
            #expect(reparsed.count == original.count, "\(source) -> \(emitted)")
            for (a, b) in zip(original, reparsed) { #expect(a.contentEquals(b), "\(source) -> \(emitted)") }
        }
    }

    @Test func randomTreesRoundTrip() throws {
        var generator = TreeGenerator(seed: 2026)
        for round in 0..<400 {
            let documents = (0..<generator.int(1...3)).map { _ in
                YAMLDocument(root: generator.int(0...9) == 0 ? nil : generator.node(depth: 0))
            }
            let emitted = YAMLEmitter.emit(documents)
            let reparsed: [YAMLDocument]
            do {
                reparsed = try YAML.parse(emitted, file: "random-\(round).yaml")
            } catch {
                Issue.record("round \(round): emitted YAML does not parse: \(error)\n\(emitted)")
                continue
            }
            #expect(reparsed.count == documents.count, "round \(round):\n\(emitted)")
            for (a, b) in zip(documents, reparsed) where !a.contentEquals(b) {
                Issue.record("round \(round): content differs:\n\(emitted)")
            }
        }
    }
}

/// Deterministic random YAML trees full of awkward strings.
struct TreeGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    static let pieces = [
        "a", "key", "value", " ", "  ", ":", ": ", " #", "#", "-", "- ", "?", "'", "\"", "\\", "\n", "\n\n", "\t",
        "\r", "\u{0}", "\u{7}", "\u{1B}", "\u{85}", "\u{A0}", "\u{2028}", "\u{FEFF}", "é", "日本", "🚀", "yes",
        "No",
        "on", "null", "~", "true", "0123", "0x1F", "1e3", ".inf", "1:20", "2001-12-14", "1_000", "3.14", "<<", "=",
        "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "%", "@", "`", "---", "...", "x y", "",
    ]

    mutating func string() -> String {
        (0..<int(0...4)).map { _ in Self.pieces[int(0...(Self.pieces.count - 1))] }.joined()
    }

    mutating func scalar() -> YAMLNode {
        let styles: [YAMLScalarStyle] = [.plain, .singleQuoted, .doubleQuoted, .literal, .folded]
        var value = string()
        let style = styles[int(0...4)]
        if style == .plain {
            // A plain scalar from a parser never holds text that cannot be written plain.
            value = ["3", "true", "yes", "null", "plain text", "1.5", "", "~", "a-b", "x:y"][int(0...9)]
        }
        var node = YAMLNode(kind: .scalar(value, style))
        if int(0...12) == 0 { node.tag = ["tag:yaml.org,2002:str", "!local", "!"][int(0...2)] }
        return node
    }

    mutating func node(depth: Int) -> YAMLNode {
        let choice = depth > 4 ? 0 : int(0...5)
        switch choice {
        case 0, 1, 2:
            return scalar()
        case 3, 4:
            let pairs = (0..<int(0...4)).map { _ in
                YAMLPair(key: int(0...15) == 0 ? node(depth: depth + 1) : scalar(), value: node(depth: depth + 1))
            }
            return YAMLNode(kind: .mapping(pairs))
        default:
            return YAMLNode(kind: .sequence((0..<int(0...4)).map { _ in node(depth: depth + 1) }))
        }
    }
}
