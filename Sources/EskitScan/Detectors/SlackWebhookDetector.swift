import EskitCore

/// Slack incoming webhook URL.
struct SlackWebhookDetector: TextDetector {
    let id = "slack-webhook-url"
    let description = "Slack incoming webhook URL"
    let severity = Severity.high
    let anchors = ["hooks.slack.com/services/", "hooks.slack.com/workflows/"]
    var positiveExamples: [DetectorExample] {
        let path =
            "T" + Sample.string(8, from: Sample.upperAlnum, seed: 701) + "/B"
            + Sample.string(8, from: Sample.upperAlnum, seed: 702)
            + "/" + Sample.string(24, seed: 703)
        return [DetectorExample("webhook: https://hooks.slack.com/services/\(path)\n")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("webhook: https://hooks.slack.com/services/T000/B000/XXXX\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let start = offset + anchors[anchor].utf8.count
        let end = text.run(from: start, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "/_-"), limit: 200)
        let value = text.slice(start..<end)
        guard value.count >= 30, value.filter({ $0 == 47 }).count >= 2, !PrefixTokenDetector.isFakeBody(value) else {
            return
        }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }
}
