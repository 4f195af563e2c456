import EskitCore

/// htpasswd lines (`user:$apr1$…`, `user:$2y$…`, `user:{SHA}…`), e.g. ingress basic-auth files.
struct HtpasswdDetector: TextDetector {
    let id = "htpasswd-hash"
    let description = "Password hash in htpasswd format"
    let severity = Severity.high
    let anchors = ["$apr1$", "$2y$", "$2a$", "$2b$", "{SHA}"]
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "admin:$apr1$\(Sample.string(8, seed: 501))$\(Sample.string(22, from: Sample.base64URL, seed: 502))\n",
                path: "auth"),
            DetectorExample("auth: |\n  ops:$2y$05$\(Sample.string(53, from: Sample.alnum + [46, 47], seed: 503))\n"),
            DetectorExample("ci:{SHA}\(Sample.string(27, from: Sample.base64, seed: 504))=\n", path: ".htpasswd"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("admin.password: $2a$10$\(Sample.string(53, from: Sample.alnum + [46, 47], seed: 505))\n"),
            DetectorExample("format: user:$apr1$\n"),
        ]
    }
    private static let hashChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "./$+=")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard offset > 1, text[offset - 1] == 58 else { return }
        let user = text.runBackward(from: offset - 1, in: .identifier, limit: 64)
        guard user < offset - 1 else { return }
        if user > 0, !(text[user - 1] == 10 || text[user - 1] == 32 || text[user - 1] == 9 || text[user - 1] == 34) {
            return
        }
        let end = text.run(from: offset + anchors[anchor].utf8.count, in: Self.hashChars, limit: 200)
        guard end - offset >= 20 else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }
}
