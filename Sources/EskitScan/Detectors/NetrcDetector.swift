import EskitCore

/// `.netrc` / `_netrc` entries (`machine host login user password value`), on one line or several.
struct NetrcDetector: TextDetector {
    let id = "netrc-password"
    let description = "Password in a .netrc machine entry"
    let severity = Severity.high
    let anchors = ["machine"]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "machine github.com\n  login ci-bot\n  password \(Sample.string(36, seed: 1601))\n", path: ".netrc"),
            DetectorExample(
                "machine api.heroku.com login ops@example.org password \("Hk-" + Sample.string(20, seed: 1602))\n",
                path: "_netrc"),
            DetectorExample(
                "```\nmachine nexus.example.org login deploy password \(Sample.string(16, seed: 1603))\n```\n",
                path: "README.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("machine github.com\n  login ci-bot\n  password $GITHUB_TOKEN\n", path: ".netrc"),
            DetectorExample("machine github.com login ci-bot password <token>\n", path: ".netrc"),
            DetectorExample("The machine password must be rotated every 90 days.\n", path: "docs/ops.md"),
            DetectorExample("state machine login flow: password \(Sample.string(16, seed: 1604))\n", path: "notes.txt"),
        ]
    }

    private static let tokenStops = ByteSet(" \t\r\n")
    private static let keywords: [[UInt8]] = ["login", "password", "account", "port"].map { Array($0.utf8) }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard offset == 0 || Self.tokenStops.contains(text[offset - 1]) || text[offset - 1] == 96,
            let space = text.byte(offset + 7), space == 32 || space == 9 || space == 10
        else { return }
        let lineStart = text.lineStart(offset)
        guard text.run(from: lineStart, in: .space) == offset else { return }
        let limit = min(text.count, offset + 2048)
        var i = offset + 7
        func token() -> Range<Int>? {
            i = text.run(from: i, in: Self.tokenStops, limit: limit - i)
            let start = i
            while i < limit, !Self.tokenStops.contains(text[i]) { i += 1 }
            return i > start ? start..<i : nil
        }
        guard token() != nil else { return }
        while let keyword = token() {
            let word = text.slice(keyword)
            guard let k = Self.keywords.firstIndex(of: word), let value = token() else { return }
            guard k == 1 else { continue }
            let password = text.slice(value)
            switch ValueJudge.judge(password, keyClass: .password) {
            case .secret: sink.emit(rule, range: value, secret: password, priority: .structured)
            case .defaultCredential:
                sink.emit(
                    GenericAssignmentScanner.defaultCredential, range: value, secret: password, priority: .structured)
            case .placeholder, .notSecret: break
            }
            return
        }
    }
}
