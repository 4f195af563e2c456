import EskitCore

/// kubeconfig user credentials: `client-key-data` (base64 private key) and `token`.
struct KubeconfigCredentialDetector: TextDetector {
    let id = "kubeconfig-credential"
    let description = "Client key in a kubeconfig"
    let severity = Severity.critical
    let anchors = ["client-key-data:", "client-key-data\":"]
    var positiveExamples: [DetectorExample] {
        let pem =
            "-----BEGIN " + "RSA PRIVATE KEY-----\n" + Sample.string(64, from: Sample.base64, seed: 1101)
            + "\n-----END " + "RSA PRIVATE KEY-----\n"
        return [
            DetectorExample(
                "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: "
                    + "\(Sample.base64(of: pem))\n",
                path: "kubeconfig")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("users:\n- name: admin\n  user:\n    client-key-data: REDACTED\n", path: "kubeconfig")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[anchor].utf8.count)
        if text.byte(i) == 34 { i += 1 }
        let end = text.run(from: i, in: .base64, limit: 64 * 1024)
        guard end - i >= 40, let decoded = Base64.decode(text.slice(i..<end)) else { return }
        guard String(decoding: decoded.prefix(64), as: UTF8.self).contains("PRIVATE KEY") else { return }
        sink.emit(rule, range: i..<end, secret: decoded, priority: .token)
    }
}
