import Testing

@testable import EskitYAML

/// The emitter decides scalar styles over bytes; these decisions must equal the `String` forms on every input, or
/// emitted output would change.
@Suite struct YAMLScalarBytesTests {
    /// Tricky fixed cases plus pseudo-random strings over an alphabet of YAML-significant characters.
    static let corpus: [String] = {
        var out = [
            "", "~", "null", "Null", "NULL", "nul", "true", "y", "n", "N", "no", "NO", "on", "Off", "<<", "=",
            ".nan", ".inf", "-.inf", "+.Inf", ".5", "_1.5", "_1", "1_000", "0x1F", "0o17", "0b101", "017",
            "1e3", "1E+3", "1.", "+", "-", "-1", "+1", "1:30", "1:30:00.5", "190:20:30", "2026-11-29",
            "2026-1-2T10:00", "2026-11-29 10:00", "8200", "1h", "30m", "0", "-x", "- x", "-", "?", "? x",
            ":", ":x", "a: b", "a:b", "a #b", "a#b", "#a", "---", "--x", "...", "..x", "a:", "'", "\"",
            "it's", "tab\there", "cr\rx", "nul\u{0}", "del\u{7F}", "bell\u{07}", "x\u{1F}", "日本", "'日本'",
            "é'\u{301}", "'\u{301}", "x\u{85}y", "bom\u{FEFF}", "🚀 go", " lead", "trail ", "\tx", "x\t",
            "two\nlines", "a\n", "{{ .password }}", "postgres://{{ .user }}@db", "https://vault:8200",
            String(repeating: "k", count: 1001), String(repeating: "'", count: 3),
        ]
        let alphabet: [String] = [
            "a", "Z", "0", "1", "9", "_", ".", "-", "+", ":", " ", "#", "'", "\"", "\\", "\t",
            "\n", "\r", "e", "x", "o", "b", "n", "T", "~", "{", "[", ",", "&", "*", "!", "|",
            "\u{7F}", "\u{1}", "é", "\u{301}", "日", "\u{85}", "\u{2028}", "\u{FEFF}",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % 1_000_003)
        }
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<(1 + next() % 8) { s += alphabet[next() % alphabet.count] }
            out.append(s)
        }
        return out
    }()

    @Test func byteDecisionsEqualStringDecisions() {
        var mismatches: [String] = []
        for s in Self.corpus {
            var u = Array(s.utf8)
            u.withUnsafeMutableBufferPointer { m in
                let b = UnsafeBufferPointer(m)
                if YAMLScalarBytes.resolvesToNonString(b) != YAMLScalarSyntax.resolvesToNonString(s) {
                    mismatches.append("resolves \(s.debugDescription)")
                }
                for isKey in [false, true]
                where YAMLScalarBytes.canBePlain(b, isKey: isKey) != YAMLScalarSyntax.canBePlain(s, isKey: isKey) {
                    mismatches.append("plain(isKey: \(isKey)) \(s.debugDescription)")
                }
                guard YAMLScalarBytes.isASCII(b) else { return }
                if YAMLScalarBytes.asciiCanBeSingleQuoted(b) != YAMLScalarSyntax.canBeSingleQuoted(s) {
                    mismatches.append("single? \(s.debugDescription)")
                }
                var single: [UInt8] = [], double: [UInt8] = []
                YAMLScalarBytes.appendASCIISingleQuoted(b, to: &single)
                YAMLScalarBytes.appendASCIIDoubleQuoted(b, to: &double)
                if single != Array(YAMLScalarSyntax.singleQuoted(s).utf8) {
                    mismatches.append("single \(s.debugDescription)")
                }
                if double != Array(YAMLScalarSyntax.doubleQuoted(s).utf8) {
                    mismatches.append("double \(s.debugDescription)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func everyCorpusStringRoundTripsAsKeyAndValue() throws {
        for chunk in stride(from: 0, to: Self.corpus.count, by: 500) {
            let strings = Self.corpus[chunk..<min(chunk + 500, Self.corpus.count)]
            let values = YAMLNode.sequence(strings.map { .string($0) })
            let keys = YAMLNode(
                kind: .mapping(
                    strings.enumerated().map {
                        YAMLPair(key: .string($0.element + String($0.offset)), value: .scalar(String($0.offset)))
                    }))
            for node in [values, keys] {
                let text = YAMLEmitter.emit(node)
                let parsed = try YAML.parse(text, file: "corpus.yaml")
                #expect(parsed.first?.root.map { $0.contentEquals(node) } == true, "\(text.prefix(400))")
            }
        }
    }

    @Test func prefixedBytesEqualHeaderPlusText() {
        let node = YAMLNode.mapping([("a", .string("x")), ("b", .sequence([.string("1"), .scalar("2")]))])
        let bytes = YAMLEmitter.emitUTF8([YAMLDocument(root: node), YAMLDocument(root: node)], prefix: "# head\n")
        #expect(
            String(decoding: bytes, as: UTF8.self) == "# head\n"
                + YAMLEmitter.emit([YAMLDocument(root: node), YAMLDocument(root: node)]))
    }
}
