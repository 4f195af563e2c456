import EskitCore

/// Twilio API key SID (`SK` + 32 hex) and account SID (`AC` + 32 hex) with its 32-hex auth token nearby.
struct TwilioDetector: TextDetector {
    let id = "twilio-credential"
    let description = "Twilio API key or account auth token"
    let severity = Severity.critical
    let anchors = ["SK", "AC"]
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample("TWILIO_API_KEY=SK\(Sample.string(32, from: Sample.hex, seed: 91))\n", path: ".env"),
            DetectorExample(
                "account_sid: AC\(Sample.string(32, from: Sample.hex, seed: 92))\nauth_token: "
                    + "\(Sample.string(32, from: Sample.hex, seed: 93))\n"
            ),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("account_sid: AC\(Sample.string(32, from: Sample.hex, seed: 94))\n"),
            DetectorExample("TASK_ACK=1\n"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryBefore(offset) else { return }
        let end = text.run(from: offset + 2, in: .lowerHex, limit: 33)
        guard end - offset - 2 == 32, text.boundaryAfter(end) else { return }
        if anchor == 0 {
            let value = text.slice(offset..<end)
            guard Entropy.shannon(value) > 3.0 else { return }
            sink.emit(rule, range: offset..<end, secret: value, priority: .token)
            return
        }
        let window = text.window(offset, before: 300, after: 300)
        var i = window.lowerBound
        while i < window.upperBound {
            if ByteSet.lowerHex.contains(text[i]), text.boundaryBefore(i) {
                let e = text.run(from: i, in: .lowerHex, limit: 33)
                if e - i == 32, text.boundaryAfter(e), i != offset + 2 {
                    let value = text.slice(i..<e)
                    if Entropy.shannon(value) > 3.0 {
                        sink.emit(rule, range: i..<e, secret: value, priority: .token)
                        return
                    }
                }
                i = max(e, i + 1)
            } else {
                i += 1
            }
        }
    }
}
