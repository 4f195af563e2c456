import EskitCore

/// PEM, OpenSSH and PGP private key blocks (also with JSON-escaped `\n` line breaks). The whole block is the secret.
struct PrivateKeyDetector: TextDetector {
    let id = "private-key"
    let description = "Private key block (PEM, OpenSSH or PGP)"
    let severity = Severity.critical
    /// A PEM block, or base64 of one (`LS0tLS1CRUdJTi…`, Talos machine secrets, Helm values `…-base64` keys),
    /// anchored on its rare tail `dJTi` (the pair `dj` seldom occurs; `ls` would stop the prefilter everywhere).
    let anchors = ["-----BEGIN ", "dJTi"]
    private static let base64Begin = Array("LS0tLS1CRU".utf8)
    var positiveExamples: [DetectorExample] {
        let body = Sample.privateKeyBody(seed: 200)
        let openssh = Base64.encode(Array("openssh-key-v1\u{0}".utf8) + Array(Sample.string(200, seed: 201).utf8))
        return [
            DetectorExample(
                "-----BEGIN " + "RSA PRIVATE KEY-----\n\(body)\n-----END " + "RSA PRIVATE KEY-----\n", path: "id_rsa"),
            DetectorExample(
                "tls.key: |\n  -----BEGIN "
                    + "EC PRIVATE KEY-----\n  "
                    + "\(Sample.privateKeyBody(seed: 9).replacingOccurrences(of: "\n", with: "\n  "))"
                    + "\n  -----END EC PRIVATE KEY-----\n"),
            DetectorExample(
                "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n\(openssh)\n-----END " + "OPENSSH PRIVATE KEY-----\n",
                path: "deploy_key"),
            DetectorExample(
                "-----BEGIN " + "PGP PRIVATE KEY BLOCK-----\n\n\(body)\n-----END " + "PGP PRIVATE KEY BLOCK-----\n",
                path: "key.asc"),
            DetectorExample("k8sserviceaccount:\n  key: \(Self.base64Sample(body))\n", path: "secrets.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "-----BEGIN "
                    + "CERTIFICATE-----\n\(Sample.string(64, from: Sample.base64, seed: 5))\n-----END "
                    + "CERTIFICATE-----\n",
                path: "ca.crt"),
            DetectorExample(
                "-----BEGIN " + "PRIVATE KEY-----\n...\n-----END " + "PRIVATE KEY-----\n", path: "README.md"),
            DetectorExample(
                "-----BEGIN "
                    + "PUBLIC KEY-----\n\(Sample.string(64, from: Sample.base64, seed: 6))\n-----END PUBLIC "
                    + "KEY-----\n"),
        ]
    }

    static func base64Sample(_ body: String) -> String {
        let pem = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + body + "\n-----END " + "RSA PRIVATE KEY-----\n"
        return Base64.encode(Array(pem.utf8))
    }

    static let endMarker = Array("-----END ".utf8)

    private static let privateKeyMarker = Array("PRIVATE KEY-----".utf8)

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        if anchor == 1 {
            let start = offset - Self.base64Begin.count
            guard start >= 0, text.hasPrefix(Self.base64Begin, at: start), text.boundaryBefore(start, .base64) else {
                return
            }
            let end = text.run(from: start, in: .base64, limit: 64 * 1024)
            guard end - start >= 120, text.boundaryAfter(end, .base64) else { return }
            var body = text.slice(start..<end)
            body.removeLast(body.count % 4)
            guard let pem = Base64.decode(body), ValueJudge.contains(Array(pem.prefix(64)), Self.privateKeyMarker)
            else { return }
            var letters = 0
            for b in pem where ByteSet.alnum.contains(b) { letters += 1 }
            guard letters >= 80 else { return }
            sink.emit(
                Self.parses(pem) ? rule : Self.example, range: start..<end, secret: text.slice(start..<end),
                priority: .token)
            return
        }
        let labelStart = offset + 11
        let labelEnd = text.run(from: labelStart, in: ByteSet(ranges: [65...90], extra: " "), limit: 40)
        guard text.hasPrefix("-----", at: labelEnd) else { return }
        let label = text.string(labelStart..<labelEnd)
        guard label.hasSuffix("PRIVATE KEY") || label == "PGP PRIVATE KEY BLOCK" else { return }
        let searchEnd = min(text.count, offset + 64 * 1024)
        guard let endAt = text.find(Self.endMarker, in: (labelEnd + 5)..<searchEnd) else { return }
        var close = text.run(from: endAt + 9, in: ByteSet(ranges: [65...90], extra: " "), limit: 40)
        guard text.hasPrefix("-----", at: close) else { return }
        close += 5
        var letters = 0
        for i in (labelEnd + 5)..<endAt where ByteSet.alnum.contains(text[i]) { letters += 1 }
        guard letters >= 40 else { return }
        let body = text.slice((labelEnd + 5)..<endAt)
        sink.emit(
            PEMKey.parses(label: label, body: body) ? rule : Self.example, range: offset..<close,
            secret: text.slice(offset..<close), priority: .token)
    }

    static let example = RuleInfo(PrivateKeyExampleDetector())

    /// A decoded PEM text (base64 of a whole PEM block): its label and body parse as a key.
    static func parses(_ pem: [UInt8]) -> Bool {
        let begin = Array("-----BEGIN ".utf8)
        guard let b = pem.firstRange(of: begin)?.lowerBound else { return false }
        var labelEnd = b + begin.count
        while labelEnd < pem.count, pem[labelEnd] != 45 { labelEnd += 1 }
        let label = String(decoding: pem[(b + begin.count)..<labelEnd], as: UTF8.self)
        let bodyStart = min(pem.count, labelEnd + 5)
        guard let end = pem[bodyStart...].firstRange(of: endMarker)?.lowerBound else { return false }
        return PEMKey.parses(label: label, body: Array(pem[bodyStart..<end]))
    }
}
