import EskitYAML
import Testing

@Suite struct YAMLEmitterTests {
    @Test func blockLayout() {
        var anchored = YAMLNode.mapping([("app", .string("web")), ("tier", .string("front"))])
        anchored.anchor = "labels"
        var alias = anchored
        alias.anchor = nil
        alias.alias = "labels"
        let deployment = YAMLNode.mapping([
            ("apiVersion", .string("apps/v1")),
            ("metadata", .mapping([("name", .string("web")), ("labels", anchored)])),
            (
                "spec",
                .mapping([
                    ("replicas", .scalar("3")),
                    ("selector", .mapping([("matchLabels", alias)])),
                    (
                        "containers",
                        .sequence([
                            .mapping([
                                ("name", .string("web")), ("args", .sequence([.string("--port"), .string("8080")])),
                            ]),
                            .mapping([
                                ("name", .string("sidecar")), ("env", .sequence([])), ("resources", .mapping([])),
                            ]),
                        ])
                    ),
                    ("matrix", .sequence([.sequence([.scalar("1"), .scalar("2")]), .sequence([])])),
                ])
            ),
            ("script", .string("echo one\necho two\n")),
            ("stripped", .string("a\nb")),
            ("kept", .string("a\n\n")),
            ("quotedBlock", .string(" leading\nline")),
            ("empty", .scalar("")),
        ])
        let tagged = YAMLNode(kind: .scalar("42", .doubleQuoted), tag: "tag:yaml.org,2002:str")
        let complexKey = YAMLNode(
            kind: .mapping([YAMLPair(key: .sequence([.string("a"), .string("b")]), value: tagged)]))
        let text = YAMLEmitter.emit([
            YAMLDocument(root: deployment), YAMLDocument(root: nil), YAMLDocument(root: complexKey),
        ])
        #expect(
            text == """
                apiVersion: apps/v1
                metadata:
                  name: web
                  labels: &labels
                    app: web
                    tier: front
                spec:
                  replicas: 3
                  selector:
                    matchLabels: *labels
                  containers:
                    - name: web
                      args:
                        - --port
                        - '8080'
                    - name: sidecar
                      env: []
                      resources: {}
                  matrix:
                    - - 1
                      - 2
                    - []
                script: |
                  echo one
                  echo two
                stripped: |-
                  a
                  b
                kept: |+
                  a

                quotedBlock: " leading\\nline"
                empty:
                ---
                ---
                ? - a
                  - b
                : !!str '42'

                """)
    }

    @Test(arguments: [
        ("plain", "plain"), ("yes", "'yes'"), ("No", "'No'"), ("on", "'on'"), ("OFF", "'OFF'"), ("y", "'y'"),
        ("true", "'true'"), ("null", "'null'"), ("~", "'~'"), ("", "''"), ("0123", "'0123'"), ("012", "'012'"),
        ("0x1F", "'0x1F'"), ("0o17", "'0o17'"), ("0b101", "'0b101'"), ("1_000", "'1_000'"), ("1:20", "'1:20'"),
        ("1e3", "'1e3'"), ("-1.5", "'-1.5'"), (".inf", "'.inf'"), ("-.Inf", "'-.Inf'"), (".NaN", "'.NaN'"),
        ("2001-12-14", "'2001-12-14'"), ("<<", "'<<'"), ("=", "'='"), ("1.2.3", "1.2.3"), ("3fa85f64", "3fa85f64"),
        ("-v", "-v"), ("-", "'-'"), ("- x", "'- x'"), ("?x", "?x"), (":x", ":x"), ("a: b", "'a: b'"),
        ("a:b", "a:b"), ("a #b", "'a #b'"), ("a#b", "a#b"), ("ends:", "'ends:'"), (" lead", "' lead'"),
        ("trail ", "'trail '"), ("it's", "it's"), ("'q'", "'''q'''"), ("\"q\"", "'\"q\"'"), ("#c", "'#c'"),
        ("&a", "'&a'"), ("*a", "'*a'"), ("!t", "'!t'"), ("|", "'|'"), (">", "'>'"), ("%", "'%'"), ("@x", "'@x'"),
        ("`x`", "'`x`'"), ("[a]", "'[a]'"), ("{a}", "'{a}'"), (",", "','"), ("a,b", "a,b"), ("---", "'---'"),
        ("...", "'...'"), ("tab\there", "\"tab\\there\""), ("nul\u{0}", "\"nul\\0\""), ("cr\rx", "\"cr\\rx\""),
        ("bom\u{FEFF}", "\"bom\\uFEFF\""), ("日本", "日本"), ("🚀 go", "🚀 go"), ("x\u{85}y", "\"x\\Ny\""),
    ])
    func stringQuoting(value: String, expected: String) throws {
        let text = YAMLEmitter.emit(.mapping([("k", .string(value))]))
        #expect(text == "k: \(expected)\n")
        let parsed = try YAML.parse(text, file: "q.yaml")
        #expect(parsed.first?.root?["k"]?.scalarValue == value)
    }

    @Test func plainScalarsKeepTheirType() {
        let node = YAMLNode.mapping([
            ("a", .scalar("3")), ("b", .scalar("yes")), ("c", .scalar("null")),
            ("d", .scalar("a: b")),
        ])
        #expect(YAMLEmitter.emit(node) == "a: 3\nb: yes\nc: null\nd: 'a: b'\n")
    }

    @Test func stringKeysAreQuotedWhenNeeded() {
        let node = YAMLNode.mapping([
            ("yes", .scalar("1")), ("on", .scalar("2")), ("1", .scalar("3")),
            ("a b", .scalar("4")),
        ])
        #expect(YAMLEmitter.emit(node) == "'yes': 1\n'on': 2\n'1': 3\na b: 4\n")
    }

    @Test func emptyStreamAndScalarRoot() {
        #expect(YAMLEmitter.emit([]) == "")
        #expect(YAMLEmitter.emit(.string("hello")) == "hello\n")
        #expect(YAMLEmitter.emit(.string("two\nlines")) == "|-\n  two\n  lines\n")
    }
}
