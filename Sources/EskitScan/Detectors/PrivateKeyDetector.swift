import EskitCore

/// PEM, OpenSSH and PGP private key blocks (also with JSON-escaped `\n` line breaks). The whole block is the secret.
struct PrivateKeyDetector: TextDetector {
    let id = "private-key"
    let description = "Private key block (PEM, OpenSSH or PGP)"
    let severity = Severity.critical
    let anchors = ["-----BEGIN "]
    var positiveExamples: [DetectorExample] {
        let body = (0..<4).map { Sample.string(64, from: Sample.base64, seed: UInt64(200 + $0)) }.joined(
            separator: "\n")
        return [
            DetectorExample(
                "-----BEGIN " + "RSA PRIVATE KEY-----\n\(body)\n-----END " + "RSA PRIVATE KEY-----\n", path: "id_rsa"),
            DetectorExample(
                "tls.key: |\n  -----BEGIN "
                    + "EC PRIVATE KEY-----\n  \(Sample.string(64, from: Sample.base64, seed: 9))\n  -----END "
                    + "EC PRIVATE KEY-----\n"),
            DetectorExample(
                "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n\(body)\n-----END " + "OPENSSH PRIVATE KEY-----\n",
                path: "deploy_key"),
            DetectorExample(
                "-----BEGIN " + "PGP PRIVATE KEY BLOCK-----\n\n\(body)\n-----END " + "PGP PRIVATE KEY BLOCK-----\n",
                path: "key.asc"),
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

    private static let endMarker = Array("-----END ".utf8)

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
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
        sink.emit(rule, range: offset..<close, secret: text.slice(offset..<close), priority: .token)
    }
}
