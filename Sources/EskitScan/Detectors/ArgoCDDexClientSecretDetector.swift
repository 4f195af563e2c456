import EskitCore

/// Argo CD dex connector `clientSecret` written in plain text in `argocd-cm` (`dex.config`).
struct ArgoCDDexClientSecretDetector: TextDetector {
    let id = "argocd-dex-client-secret"
    let description = "Dex connector client secret in plain text in Argo CD configuration"
    let severity = Severity.high
    let anchors = ["clientSecret"]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  dex.config: |\n    connectors:\n      - "
                    + "type: github\n        config:\n          clientID: abc\n          clientSecret: "
                    + "\(Sample.string(40, from: Sample.hex, seed: 1501))\n",
                path: "argocd-cm.yaml")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "data:\n  dex.config: |\n    connectors:\n      - config:\n          clientSecret: "
                    + "$dex.github.clientSecret\n",
                path: "argocd-cm.yaml")
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.find("dex.config", in: max(0, offset - 65536)..<offset) != nil,
            let a = Assignment.parse(text, keywordAt: offset)
        else { return }
        let value = text.slice(a.valueRange)
        switch ValueJudge.judge(value, keyClass: .secret) {
        case .secret: sink.emit(rule, range: a.valueRange, secret: value, priority: .structured)
        case .placeholder, .notSecret, .defaultCredential: sink.claim(a.valueRange)
        }
    }
}
