import EskitCore

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
        [
            DetectorExample("auth:\n  existingSecret: postgres-credentials\n", path: "values.yaml"),
            DetectorExample("existingSecret: \"\"\nexistingSecretPasswordKey: password\n", path: "values.yaml"),
        ]
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
        guard !v.isEmpty, v.count <= 253, ByteSet.lowerAlnum.contains(v.first!), ByteSet.lowerAlnum.contains(v.last!)
        else { return false }
        return v.allSatisfy { ByteSet.lowerAlnum.contains($0) || $0 == 45 || $0 == 46 }
    }
}
