import EskitCore
import EskitYAML
import Testing

/// Marks checked by hand on a multi-document text with comments, an anchor and alias, a block scalar and
/// multibyte characters before nodes on the same line (offsets are UTF-8 bytes, columns are code points).
@Suite struct YAMLMarksTests {
    static let text = """
        # héader comment ✓
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: café-config   # ü
          labels: &lbl {tier: 日本}
        data:
          script: |
            echo "héllo"
            exit 0
          copy: *lbl
        ---
        - ünï: "ß"
        - 🚀: [a, b]

        """

    private func pos(_ offset: Int, _ line: Int, _ column: Int) -> TextPosition {
        TextPosition(offset: offset, line: line, column: column)
    }

    private func expectSpan(
        _ node: YAMLNode?, _ start: TextPosition, _ end: TextPosition,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(node?.start == start, sourceLocation: sourceLocation)
        #expect(node?.end == end, sourceLocation: sourceLocation)
    }

    @Test func handCheckedMarks() throws {
        let bytes = Array(Self.text.utf8)
        #expect(bytes.count == 214)
        let documents = try YAML.parse(bytes, file: "marks.yaml")
        #expect(documents.count == 2)

        let first = try #require(documents[0].root)
        #expect(documents[0].span == TextSpan(start: pos(22, 2, 1), end: pos(181, 12, 1)))
        expectSpan(first, pos(22, 2, 1), pos(181, 12, 1))
        let pairs = try #require(first.pairs)
        expectSpan(pairs[0].key, pos(22, 2, 1), pos(32, 2, 11))
        expectSpan(pairs[0].value, pos(34, 2, 13), pos(36, 2, 15))
        expectSpan(pairs[1].value, pos(43, 3, 7), pos(52, 3, 16))
        expectSpan(pairs[2].key, pos(53, 4, 1), pos(61, 4, 9))

        let metadata = try #require(first["metadata"])
        expectSpan(metadata, pos(65, 5, 3), pos(121, 7, 1))
        expectSpan(metadata["name"], pos(71, 5, 9), pos(83, 5, 20))
        #expect(metadata["name"]?.scalarValue == "café-config")
        expectSpan(metadata.pair(forKey: "labels")?.key, pos(93, 6, 3), pos(99, 6, 9))
        let labels = try #require(metadata["labels"])
        #expect(labels.anchor == "lbl")
        expectSpan(labels, pos(101, 6, 11), pos(120, 6, 26))
        expectSpan(labels.pair(forKey: "tier")?.key, pos(107, 6, 17), pos(111, 6, 21))
        expectSpan(labels["tier"], pos(113, 6, 23), pos(119, 6, 25))

        let data = try #require(first["data"])
        expectSpan(data, pos(129, 8, 3), pos(181, 12, 1))
        let script = try #require(data["script"])
        #expect(script.scalarValue == "echo \"héllo\"\nexit 0\n")
        #expect(script.scalarStyle == .literal)
        expectSpan(script, pos(137, 8, 11), pos(168, 11, 1))
        let copy = try #require(data["copy"])
        #expect(copy.alias == "lbl")
        #expect(copy["tier"]?.scalarValue == "日本")
        expectSpan(copy, pos(176, 11, 9), pos(180, 11, 13))

        let second = try #require(documents[1].root)
        #expect(documents[1].span == TextSpan(start: pos(181, 12, 1), end: pos(214, 15, 1)))
        #expect(documents[1].index == 1)
        expectSpan(second, pos(185, 13, 1), pos(214, 15, 1))
        let items = try #require(second.items)
        expectSpan(items[0], pos(187, 13, 3), pos(199, 14, 1))
        expectSpan(items[0].pairs?[0].key, pos(187, 13, 3), pos(192, 13, 6))
        expectSpan(items[0]["ünï"], pos(194, 13, 8), pos(198, 13, 11))
        expectSpan(items[1].pairs?[0].key, pos(201, 14, 3), pos(205, 14, 4))
        let flow = try #require(items[1]["🚀"])
        expectSpan(flow, pos(207, 14, 6), pos(213, 14, 12))
        expectSpan(flow.items?[0], pos(208, 14, 7), pos(209, 14, 8))
        expectSpan(flow.items?[1], pos(211, 14, 10), pos(212, 14, 11))
    }

    @Test func marksAgreeWithLineIndex() throws {
        let bytes = Array(Self.text.utf8)
        let index = LineIndex(bytes)
        var nodes: [YAMLNode] = []
        func collect(_ node: YAMLNode) {
            nodes.append(node)
            if node.alias != nil { return }
            switch node.kind {
            case .scalar: break
            case .sequence(let items): items.forEach(collect)
            case .mapping(let pairs):
                pairs.forEach {
                    collect($0.key); collect($0.value)
                }
            }
        }
        for document in try YAML.parse(bytes, file: "marks.yaml") { document.root.map(collect) }
        #expect(nodes.count == 28)
        for node in nodes {
            #expect(index.position(ofOffset: node.start.offset) == node.start)
            #expect(index.position(ofOffset: node.end.offset) == node.end)
        }
    }

    @Test func scalarSpanCoversItsSourceText() throws {
        let bytes = Array(Self.text.utf8)
        let documents = try YAML.parse(bytes, file: "marks.yaml")
        let second = try #require(documents[1].root?.items?[0]["ünï"])
        #expect(String(decoding: bytes[second.span.byteRange], as: UTF8.self) == "\"ß\"")
        let name = try #require(documents[0].root?["metadata"]?["name"])
        #expect(String(decoding: bytes[name.span.byteRange], as: UTF8.self) == "café-config")
    }
}
