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
        return [DetectorExample("kubectl create secret generic db --from-literal=username=app --from-literal=password='\(p)'\n", path: "setup.sh"),
                DetectorExample("```sh\nkubectl -n ci create secret generic gh \\\n  --from-literal=token=\(Sample.string(30, seed: 1202))\n```\n", path: "README.md")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("kubectl create secret generic db --from-literal=password=\"$DB_PASSWORD\"\n", path: "setup.sh"),
         DetectorExample("kubectl create configmap app --from-literal=log_level=debug-verbose-mode\n", path: "setup.sh"),
         DetectorExample("kubectl create secret generic db --from-literal=username=app\n", path: "setup.sh")]
    }

    static let unquotedStops = ByteSet(" \t\r\\`\"';|&<>()")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let command = commandStart(text, offset)
        guard let kubectl = text.find("kubectl", in: command..<offset),
              text.find(" secret ", in: kubectl..<offset) != nil else { return }
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
        while i < text.count, text[i] != 10, quote != 0 ? text[i] != quote : !Self.unquotedStops.contains(text[i]) { i += 1 }
        let key = text.slice(keyBegin..<keyEnd)
        let value = text.slice(valueStart..<i)
        if KeyName.isPublicDataKey(String(decoding: key, as: UTF8.self)) { return }
        var keyClass = KeyName.classify(key)
        if keyClass == .none || keyClass == .weak { keyClass = .password }
        switch ValueJudge.judge(value, keyClass: keyClass) {
        case .secret: sink.emit(rule, range: valueStart..<i, secret: value, priority: .structured)
        case .defaultCredential: sink.emit(GenericAssignmentScanner.defaultCredential, range: valueStart..<i, secret: value, priority: .structured)
        case .placeholder, .notSecret: sink.claim(valueStart..<i)
        }
    }
}

/// Start of the shell command holding `offset`: its line, extended over `\`-continued previous lines.
func commandStart(_ text: ByteText, _ offset: Int) -> Int {
    var start = text.lineStart(offset)
    for _ in 0..<20 {
        guard start >= 2 else { break }
        var end = start - 1
        if end > 0, text[end - 1] == 13 { end -= 1 }
        guard end > 0, text[end - 1] == 92 else { break }
        start = text.lineStart(end - 1)
    }
    return start
}

/// `curl -u user:password` / `--user user:password`.
struct CurlBasicAuthDetector: TextDetector {
    let id = "curl-basic-auth"
    let description = "Password passed to curl -u / --user"
    let severity = Severity.high
    let anchors = [" -u ", " --user ", " --user=", " -u'", " -u\""]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("curl -u admin:\("Hx" + Sample.string(12, seed: 1301)) https://registry.example.org/api\n", path: "ci.sh"),
         DetectorExample("curl --user 'deploy:\(Sample.string(20, seed: 1302))' -X POST https://x.example.org\n", path: "README.md")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("curl -u \"$USER:$PASS\" https://x.example.org\n", path: "ci.sh"),
         DetectorExample("curl -u admin https://x.example.org\n", path: "ci.sh"),
         DetectorExample("ssh -u admin:\(Sample.string(12, seed: 1303)) host\n", path: "x.sh")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let line = commandStart(text, offset)..<text.lineEnd(offset)
        guard let curl = text.find("curl ", in: line.lowerBound..<(offset + 1)), text.boundaryBefore(curl, .word) else { return }
        var i = offset + anchors[anchor].utf8.count
        var quote: UInt8 = 0
        if anchor >= 3 { quote = text[i - 1] } else {
            i = text.skipSpaces(i)
            if text.byte(i) == 34 || text.byte(i) == 39 { quote = text[i]; i += 1 }
        }
        let start = i
        while i < line.upperBound, quote != 0 ? text[i] != quote : !KubectlFromLiteralDetector.unquotedStops.contains(text[i]) { i += 1 }
        guard let colon = text.find([58], in: start..<i) else { return }
        let user = text.slice(start..<colon)
        guard let u = user.first, u != 36, user.allSatisfy({ ByteSet.identifier.contains($0) || $0 == 64 || $0 == 36 || $0 == 92 || $0 == 43 }) else { return }
        let password = text.slice((colon + 1)..<i)
        switch ValueJudge.judge(password, keyClass: .password) {
        case .secret: sink.emit(rule, range: (colon + 1)..<i, secret: password, priority: .structured)
        case .defaultCredential: sink.emit(GenericAssignmentScanner.defaultCredential, range: (colon + 1)..<i, secret: password, priority: .structured)
        case .placeholder, .notSecret: break
        }
    }
}

/// Helm `existingSecret` given a password instead of the name of a Secret.
struct HelmExistingSecretMisuseDetector: TextDetector {
    let id = "helm-existing-secret-misuse"
    let description = "Helm existingSecret set to a password instead of a Secret name"
    let severity = Severity.high
    let anchors = ["existingSecret"]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("auth:\n  existingSecret: \"Qw!\(Sample.string(12, seed: 1401))\"\n", path: "values.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("auth:\n  existingSecret: postgres-credentials\n", path: "values.yaml"),
         DetectorExample("existingSecret: \"\"\nexistingSecretPasswordKey: password\n", path: "values.yaml")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryAfter(offset + 14, .word), let a = Assignment.parse(text, keywordAt: offset) else { return }
        let value = text.slice(a.valueRange)
        if ValueJudge.isPlaceholder(value) || isSecretName(value) { return }
        let verdict = ValueJudge.judge(value, keyClass: .password)
        if verdict == .secret || verdict == .defaultCredential {
            sink.emit(rule, range: a.valueRange, secret: value, priority: .structured)
        }
    }

    /// A DNS-1123 subdomain: what a Secret name must be.
    private func isSecretName(_ v: [UInt8]) -> Bool {
        guard !v.isEmpty, v.count <= 253, ByteSet.lowerAlnum.contains(v.first!), ByteSet.lowerAlnum.contains(v.last!) else { return false }
        return v.allSatisfy { ByteSet.lowerAlnum.contains($0) || $0 == 45 || $0 == 46 }
    }
}

/// Argo CD dex connector `clientSecret` written in plain text in `argocd-cm` (`dex.config`).
struct ArgoCDDexClientSecretDetector: TextDetector {
    let id = "argocd-dex-client-secret"
    let description = "Dex connector client secret in plain text in Argo CD configuration"
    let severity = Severity.high
    let anchors = ["clientSecret"]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  dex.config: |\n    connectors:\n      - type: github\n        config:\n          clientID: abc\n          clientSecret: \(Sample.string(40, from: Sample.hex, seed: 1501))\n", path: "argocd-cm.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("data:\n  dex.config: |\n    connectors:\n      - config:\n          clientSecret: $dex.github.clientSecret\n", path: "argocd-cm.yaml")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.find("dex.config", in: 0..<offset) != nil, let a = Assignment.parse(text, keywordAt: offset) else { return }
        let value = text.slice(a.valueRange)
        switch ValueJudge.judge(value, keyClass: .secret) {
        case .secret: sink.emit(rule, range: a.valueRange, secret: value, priority: .structured)
        case .placeholder, .notSecret, .defaultCredential: sink.claim(a.valueRange)
        }
    }
}
