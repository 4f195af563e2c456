import EskitCore

/// AWS secret access key: 40 base64 characters near an access key id or under an `aws_secret_access_key` key.
struct AWSSecretAccessKeyDetector: TextDetector {
    let id = "aws-secret-access-key"
    let description = "AWS secret access key next to its access key id"
    let severity = Severity.critical
    let anchors = [
        "AKIA", "ASIA", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey", "SecretAccessKey",
        "aws_secret_key",
    ]
    var priority: MatchPriority { .composite }
    var positiveExamples: [DetectorExample] {
        let id = "AKIA" + Sample.string(16, from: Sample.upperAlnum, seed: 32)
        let secret = Sample.string(40, from: Sample.base64, seed: 33)
        return [
            DetectorExample(
                "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n", path: "credentials"),
            DetectorExample("{\"AccessKeyId\": \"\(id)\", \"SecretAccessKey\": \"\(secret)\"}", path: "key.json"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", path: "credentials"),
            DetectorExample("aws_secret_access_key = ${AWS_SECRET}\n", path: "credentials"),
        ]
    }

    private static let secretChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+/")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        if anchor < 2 {
            guard AWSAccessKeyIDDetector.keyEnd(text, at: offset) != nil else { return }
            var i = text.window(offset, before: 400, after: 400).lowerBound
            let end = text.window(offset, before: 400, after: 400).upperBound
            while i < end {
                if AWSSecretAccessKeyDetector.secretChars.contains(text[i]), text.boundaryBefore(i, Self.secretChars) {
                    let e = text.run(from: i, in: Self.secretChars, limit: 41)
                    if e - i == 40, text.boundaryAfter(e, Self.secretChars), isSecret(text.slice(i..<e)) {
                        sink.emit(rule, range: i..<e, secret: text.slice(i..<e), priority: .composite)
                    }
                    i = max(e, i + 1)
                } else {
                    i += 1
                }
            }
        } else if let a = Assignment.parse(text, keywordAt: offset), a.valueRange.count == 40 {
            let value = text.slice(a.valueRange)
            if value.allSatisfy(Self.secretChars.contains), isSecret(value) {
                sink.emit(rule, range: a.valueRange, secret: value, priority: .composite)
            }
        }
    }

    private func isSecret(_ value: [UInt8]) -> Bool {
        Entropy.shannon(value) > 4.0 && Entropy.classes(value) >= 3 && !ValueJudge.isPlaceholder(value)
            && !PrefixTokenDetector.isFakeBody(value) && value.contains(where: { (97...122).contains($0) })
    }
}
