import EskitCore

/// `curl -u user:password` / `--user user:password`.
struct CurlBasicAuthDetector: TextDetector {
    let id = "curl-basic-auth"
    let description = "Password passed to curl -u / --user"
    let severity = Severity.high
    let anchors = [" -u ", " --user ", " --user=", " -u'", " -u\""]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "curl -u admin:\("Hx" + Sample.string(12, seed: 1301)) https://registry.example.org/api\n",
                path: "ci.sh"),
            DetectorExample(
                "curl --user 'deploy:\(Sample.string(20, seed: 1302))' -X POST https://x.example.org\n",
                path: "README.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("curl -u \"$USER:$PASS\" https://x.example.org\n", path: "ci.sh"),
            DetectorExample("curl -u admin https://x.example.org\n", path: "ci.sh"),
            DetectorExample("ssh -u admin:\(Sample.string(12, seed: 1303)) host\n", path: "x.sh"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let line = commandStart(text, offset)..<text.lineEnd(offset)
        guard let curl = text.find("curl ", in: line.lowerBound..<(offset + 1)), text.boundaryBefore(curl, .word) else {
            return
        }
        var i = offset + anchors[anchor].utf8.count
        var quote: UInt8 = 0
        if anchor >= 3 {
            quote = text[i - 1]
        } else {
            i = text.skipSpaces(i)
            if text.byte(i) == 34 || text.byte(i) == 39 { quote = text[i]; i += 1 }
        }
        let start = i
        while i < line.upperBound,
            quote != 0 ? text[i] != quote : !KubectlFromLiteralDetector.unquotedStops.contains(text[i])
        { i += 1 }
        guard let colon = text.find([58], in: start..<i) else { return }
        let user = text.slice(start..<colon)
        guard let u = user.first, u != 36,
            user.allSatisfy({ ByteSet.identifier.contains($0) || $0 == 64 || $0 == 36 || $0 == 92 || $0 == 43 })
        else { return }
        let password = text.slice((colon + 1)..<i)
        switch ValueJudge.judge(password, keyClass: .password) {
        case .secret: sink.emit(rule, range: (colon + 1)..<i, secret: password, priority: .structured)
        case .defaultCredential:
            sink.emit(
                GenericAssignmentScanner.defaultCredential, range: (colon + 1)..<i, secret: password,
                priority: .structured)
        case .placeholder, .notSecret: break
        }
    }
}
