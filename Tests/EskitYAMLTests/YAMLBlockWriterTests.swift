import EskitYAML
import TestSupport
import Testing

/// `YAMLBlockWriter` (the ESO emitter's field-by-field writer) writes the bytes `YAMLEmitter` writes for the same
/// tree: checked on every YAML fixture and on random trees full of awkward strings.
@Suite struct YAMLBlockWriterTests {
    /// The tree as the block writer can take it: string keys (written as `.doubleQuoted` keys are), collections
    /// without properties opened field by field, everything else (scalars, anchored or tagged nodes) whole.
    static func stringKeyed(_ node: YAMLNode) -> YAMLNode {
        guard node.tag == nil, node.anchor == nil, node.alias == nil else { return node }
        switch node.kind {
        case .scalar: return node
        case .sequence(let items): return YAMLNode(kind: .sequence(items.map(stringKeyed)))
        case .mapping(let pairs):
            return YAMLNode(
                kind: .mapping(
                    pairs.map {
                        YAMLPair(
                            key: .scalar($0.key.scalarValue ?? "?", style: .doubleQuoted), value: stringKeyed($0.value))
                    }))
        }
    }

    static func write(_ node: YAMLNode, _ w: inout YAMLBlockWriter) {
        guard node.tag == nil, node.anchor == nil, node.alias == nil else { return w.node(node) }
        switch node.kind {
        case .scalar(let value, let style):
            if style == .doubleQuoted { w.string(value) } else { w.scalar(value, style: style) }
        case .sequence(let items):
            w.beginSequence()
            for item in items { write(item, &w) }
            w.endSequence()
        case .mapping(let pairs):
            w.beginMapping()
            for pair in pairs {
                w.key(pair.key.scalarValue ?? "?")
                write(pair.value, &w)
            }
            w.endMapping()
        }
    }

    static func expectSame(_ root: YAMLNode, _ label: String) {
        let tree = stringKeyed(root)
        var w = YAMLBlockWriter(prefix: "# header\n")
        write(tree, &w)
        let written = String(decoding: w.finish(), as: UTF8.self)
        let expected = "# header\n" + YAMLEmitter.emit(tree)
        #expect(written == expected, "\(label)")
    }

    @Test func fixturesAreWrittenAsTheEmitterWritesThem() throws {
        var checked = 0
        for name in YAMLRoundTripTests.fixtures {
            for document in try YAML.parse(try Fixtures.bytes("yaml/\(name)"), file: name) {
                guard let root = document.root else { continue }
                Self.expectSame(root, name)
                checked += 1
            }
        }
        #expect(checked >= 15)
    }

    @Test func randomTreesAreWrittenAsTheEmitterWritesThem() {
        var generator = TreeGenerator(seed: 4711)
        for round in 0..<400 {
            Self.expectSame(generator.node(depth: 0), "round \(round)")
        }
    }

    @Test func emptyCollectionsAndLongKeys() {
        var w = YAMLBlockWriter()
        w.beginMapping()
        w.key("a")
        w.beginMapping()
        w.endMapping()
        w.key("b")
        w.beginSequence()
        w.beginSequence()
        w.endSequence()
        w.beginMapping()
        w.key("c")
        w.string("")
        w.endMapping()
        w.endSequence()
        w.key(String(repeating: "k", count: 1001))
        w.scalar("3", style: .plain)
        w.endMapping()
        #expect(
            String(decoding: w.finish(), as: UTF8.self)
                == "a: {}\nb:\n  - []\n  - c: ''\n? \(String(repeating: "k", count: 1001))\n: 3\n")
        var empty = YAMLBlockWriter()
        empty.beginMapping()
        empty.endMapping()
        #expect(String(decoding: empty.finish(), as: UTF8.self) == "{}\n")
    }
}
