import EskitCore

/// Slack incoming webhook URL.
struct SlackWebhookDetector: TextDetector {
    let id = "slack-webhook-url"
    let description = "Slack incoming webhook URL"
    let severity = Severity.high
    let anchors = ["hooks.slack.com/services/", "hooks.slack.com/workflows/"]
    var positiveExamples: [DetectorExample] {
        let path = "T" + Sample.string(8, from: Sample.upperAlnum, seed: 701) + "/B" + Sample.string(8, from: Sample.upperAlnum, seed: 702)
            + "/" + Sample.string(24, seed: 703)
        return [DetectorExample("webhook: https://hooks.slack.com/services/\(path)\n")]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("webhook: https://hooks.slack.com/services/T000/B000/XXXX\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let start = offset + anchors[anchor].utf8.count
        let end = text.run(from: start, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "/_-"), limit: 200)
        let value = text.slice(start..<end)
        guard value.count >= 30, value.filter({ $0 == 47 }).count >= 2, !PrefixTokenDetector.isFakeBody(value) else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }
}

/// Harbor robot account (`robot$name`) with its secret nearby.
struct HarborRobotDetector: TextDetector {
    let id = "harbor-robot-secret"
    let description = "Harbor robot account secret"
    let severity = Severity.critical
    let anchors = ["robot$", "robot\\$", "robot+"]
    var positiveExamples: [DetectorExample] {
        [DetectorExample("{\"name\": \"robot$ci-push\", \"secret\": \"\(Sample.string(32, seed: 801))\"}", path: "robot.json"),
         DetectorExample("HARBOR_USER='robot$proj+ci'\nHARBOR_TOKEN='\(Sample.string(32, seed: 802))'\n", path: "ci.env")]
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
                    if Entropy.shannon(value) > 4.0, Entropy.classes(value) >= 3, !PrefixTokenDetector.isFakeBody(value) {
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

/// Legacy HashiCorp Vault token (`s.` + 24 characters) under a Vault token key.
struct VaultLegacyTokenDetector: TextDetector {
    let id = "vault-legacy-token"
    let description = "HashiCorp Vault token (legacy s. format)"
    let severity = Severity.critical
    let anchors = ["vault_token", "vault-token", "vaulttoken", "x-vault-token"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] { [DetectorExample("VAULT_TOKEN=s.\(Sample.string(24, seed: 901))\n", path: ".env")] }
    var negativeExamples: [DetectorExample] { [DetectorExample("VAULT_TOKEN=s.short\n", path: ".env")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let end = text.lineEnd(offset)
        guard let s = text.find("s.", in: offset..<end), text.boundaryBefore(s, .tokenChars) else { return }
        let e = text.run(from: s + 2, in: .alnum, limit: 25)
        guard e - s - 2 == 24, text.boundaryAfter(e, .tokenChars) else { return }
        let value = text.slice(s..<e)
        guard !PrefixTokenDetector.isFakeBody(Array(value[2...])) else { return }
        sink.emit(rule, range: s..<e, secret: value, priority: .token)
    }
}

/// kubeadm bootstrap / join token (`[a-z0-9]{6}.[a-z0-9]{16}`) after `--token` or `token:`.
struct KubeadmTokenDetector: TextDetector {
    let id = "kubeadm-token"
    let description = "Bootstrap token for kubeadm join"
    let severity = Severity.critical
    let anchors = ["--token", "token:", "token=", "token\":"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        let t = Sample.string(6, from: Sample.lowerAlnum, seed: 1001) + "." + Sample.string(16, from: Sample.lowerAlnum, seed: 1002)
        return [DetectorExample("kubeadm join 10.0.0.1:6443 --token \(t) --discovery-token-ca-cert-hash sha256:abc\n", path: "join.sh"),
                DetectorExample("bootstrapTokens:\n  - token: \"\(t)\"\n", path: "kubeadm.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("kubeadm join --token abcdef.0123456789abcdef\n", path: "README.md"),
         DetectorExample("kubeadm join --token $TOKEN\n", path: "join.sh")]
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

/// kubeconfig user credentials: `client-key-data` (base64 private key) and `token`.
struct KubeconfigCredentialDetector: TextDetector {
    let id = "kubeconfig-credential"
    let description = "Client key in a kubeconfig"
    let severity = Severity.critical
    let anchors = ["client-key-data:", "client-key-data\":"]
    var positiveExamples: [DetectorExample] {
        let pem = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + Sample.string(64, from: Sample.base64, seed: 1101) + "\n-----END " + "RSA PRIVATE KEY-----\n"
        return [DetectorExample("apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: \(Sample.base64(of: pem))\n", path: "kubeconfig")]
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
