import EskitCore

/// Harbor robot account (`robot$name`) with its secret nearby.
struct HarborRobotDetector: TextDetector {
    let id = "harbor-robot-secret"
    let description = "Harbor robot account secret"
    let severity = Severity.critical
    let anchors = ["robot$", "robot\\$", "robot+"]
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "{\"name\": \"robot$ci-push\", \"secret\": \"\(Sample.string(32, seed: 801))\"}", path: "robot.json"),
            DetectorExample(
                "HARBOR_USER='robot$proj+ci'\nHARBOR_TOKEN='\(Sample.string(32, seed: 802))'\n", path: "ci.env"),
        ]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("user: robot$ci\npassword: ${HARBOR_ROBOT_SECRET}\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let window = text.window(offset, before: 300, after: 300)
        var i = window.lowerBound
        while i < window.upperBound {
            if ByteSet.alnum.contains(text[i]), text.boundaryBefore(i, .tokenChars) {
                let e = text.run(from: i, in: .alnum, limit: 65)
                if (32...64).contains(e - i), text.boundaryAfter(e, .tokenChars) {
                    let value = text.slice(i..<e)
                    if Entropy.shannon(value) > 4.0, Entropy.classes(value) >= 3, !PrefixTokenDetector.isFakeBody(value)
                    {
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
