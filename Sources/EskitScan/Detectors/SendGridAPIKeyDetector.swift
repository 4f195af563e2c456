import EskitCore

/// SendGrid API key (`SG.<22>.<43>`).
struct SendGridAPIKeyDetector: TextDetector {
    let id = "sendgrid-api-key"
    let description = "SendGrid API key"
    let severity = Severity.critical
    let anchors = ["SG."]
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "SENDGRID_API_KEY=SG.\(Sample.string(22, from: Sample.base64URL, seed: 81))."
                    + "\(Sample.string(43, from: Sample.base64URL, seed: 82))\n",
                path: ".env")
        ]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("host: SG.example.org\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryBefore(offset) else { return }
        let a = text.run(from: offset + 3, in: .tokenChars, limit: 23)
        guard a - offset - 3 == 22, text.byte(a) == 46 else { return }
        let b = text.run(from: a + 1, in: .tokenChars, limit: 44)
        guard b - a - 1 == 43, text.boundaryAfter(b, .tokenChars) else { return }
        sink.emit(rule, range: offset..<b, secret: text.slice(offset..<b), priority: .token)
    }
}
