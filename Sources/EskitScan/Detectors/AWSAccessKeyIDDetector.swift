import EskitCore

/// AWS access key id (`AKIA…`, `ASIA…`).
struct AWSAccessKeyIDDetector: TextDetector {
    let id = "aws-access-key-id"
    let description = "AWS access key id"
    let severity = Severity.medium
    let anchors = ["AKIA", "ASIA", "ABIA", "ACCA"]
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "aws_access_key_id = AKIA\(Sample.string(16, from: Sample.upperAlnum, seed: 31))\n", path: "credentials"
            )
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("id: AKIAIOSFODNN7EXAMPLE\n"),
            DetectorExample("name: AKIA\(Sample.string(10, from: Sample.upperAlnum, seed: 2))\n"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard let end = AWSAccessKeyIDDetector.keyEnd(text, at: offset) else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }

    static func keyEnd(_ text: ByteText, at offset: Int) -> Int? {
        guard text.boundaryBefore(offset) else { return nil }
        let end = text.run(from: offset + 4, in: .upperAlnum, limit: 17)
        guard end - offset == 20, text.boundaryAfter(end) else { return nil }
        let value = text.slice(offset..<end)
        if PrefixTokenDetector.isFakeBody(Array(value[4...])) { return nil }
        return end
    }
}
