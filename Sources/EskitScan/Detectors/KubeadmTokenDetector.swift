import EskitCore

/// kubeadm bootstrap / join token (`[a-z0-9]{6}.[a-z0-9]{16}`) after `--token` or `token:`.
struct KubeadmTokenDetector: TextDetector {
    let id = "kubeadm-token"
    let description = "Bootstrap token for kubeadm join"
    let severity = Severity.critical
    let anchors = ["--token", "token:", "token=", "token\":"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        let t =
            Sample.string(6, from: Sample.lowerAlnum, seed: 1001) + "."
            + Sample.string(16, from: Sample.lowerAlnum, seed: 1002)
        return [
            DetectorExample(
                "kubeadm join 10.0.0.1:6443 --token \(t) --discovery-token-ca-cert-hash sha256:abc\n", path: "join.sh"),
            DetectorExample("bootstrapTokens:\n  - token: \"\(t)\"\n", path: "kubeadm.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("kubeadm join --token abcdef.0123456789abcdef\n", path: "README.md"),
            DetectorExample("kubeadm join --token $TOKEN\n", path: "join.sh"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[anchor].utf8.count)
        if text.byte(i) == 61 { i += 1 }
        if text.byte(i) == 34 || text.byte(i) == 39 { i += 1 }
        let a = text.run(from: i, in: .lowerAlnum, limit: 7)
        guard a - i == 6, text.byte(a) == 46 else { return }
        let b = text.run(from: a + 1, in: .lowerAlnum, limit: 17)
        guard b - a - 1 == 16, text.boundaryAfter(b, .tokenChars) else { return }
        let value = text.slice(i..<b)
        guard !ValueJudge.isPlaceholder(value), Entropy.shannon(value) > 3.0 else { return }
        sink.emit(rule, range: i..<b, secret: value, priority: .token)
    }
}
