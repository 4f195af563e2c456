import EskitCore

/// `kubectl create secret … --from-literal=key=value` in scripts, docs and CI files.
struct KubectlFromLiteralDetector: TextDetector {
    let id = "kubectl-from-literal"
    let description = "Secret value passed to kubectl create secret --from-literal"
    let severity = Severity.high
    let anchors = ["--from-literal="]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        let p = "Kp" + Sample.string(14, seed: 1201)
        return [
            DetectorExample(
                "kubectl create secret generic db --from-literal=username=app --from-literal=password='\(p)'\n",
                path: "setup.sh"),
            DetectorExample(
                "```sh\nkubectl -n ci create secret generic gh \\\n  "
                    + "--from-literal=token=\(Sample.string(30, seed: 1202))\n```\n",
                path: "README.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "kubectl create secret generic db --from-literal=password=\"$DB_PASSWORD\"\n", path: "setup.sh"),
            DetectorExample(
                "kubectl create configmap app --from-literal=log_level=debug-verbose-mode\n", path: "setup.sh"),
            DetectorExample("kubectl create secret generic db --from-literal=username=app\n", path: "setup.sh"),
        ]
    }

    static let unquotedStops = ByteSet(" \t\r\\`\"';|&<>()")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let command = commandStart(text, offset)
        guard let kubectl = text.find("kubectl", in: command..<offset),
            text.find(" secret ", in: kubectl..<offset) != nil
        else { return }
        let keyStart = offset + 15
        var i = keyStart
        var quote: UInt8 = 0
        if text.byte(i) == 34 || text.byte(i) == 39 { quote = text[i]; i += 1 }
        let keyBegin = i
        let keyEnd = text.run(from: i, in: .identifier, limit: 253)
        guard keyEnd > keyBegin, text.byte(keyEnd) == 61 else { return }
        i = keyEnd + 1
        if quote == 0, text.byte(i) == 34 || text.byte(i) == 39 { quote = text[i]; i += 1 }
        let valueStart = i
        while i < text.count, text[i] != 10, quote != 0 ? text[i] != quote : !Self.unquotedStops.contains(text[i]) {
            i += 1
        }
        let key = text.slice(keyBegin..<keyEnd)
        let value = text.slice(valueStart..<i)
        if KeyName.isPublicDataKey(String(decoding: key, as: UTF8.self)) { return }
        var keyClass = KeyName.classify(key)
        if keyClass == .none || keyClass == .weak { keyClass = .password }
        switch ValueJudge.judge(value, keyClass: keyClass) {
        case .secret: sink.emit(rule, range: valueStart..<i, secret: value, priority: .structured)
        case .defaultCredential:
            sink.emit(
                GenericAssignmentScanner.defaultCredential, range: valueStart..<i, secret: value, priority: .structured)
        case .placeholder, .notSecret: sink.claim(valueStart..<i)
        }
    }
}
