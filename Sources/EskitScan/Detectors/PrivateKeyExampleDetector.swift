import EskitCore

/// A PEM private key block whose body does not parse as a key (`...`, `MIIEv...`, letters of the right length): a
/// fabricated example in docs or tests, reported at low severity so it is seen, not treated as a leaked key.
/// Reported by `PrivateKeyDetector`, which decides by `PEMKey.parses`.
struct PrivateKeyExampleDetector: Detector {
    let id = "private-key-example"
    let description = "Private key block whose body is not a key (a fabricated or truncated example)"
    let severity = Severity.low
    var positiveExamples: [DetectorExample] {
        let body = (0..<4).map { Sample.string(64, from: Sample.base64, seed: UInt64(300 + $0)) }.joined(
            separator: "\n")
        return [
            DetectorExample(
                "-----BEGIN " + "RSA PRIVATE KEY-----\n\(body)\n-----END " + "RSA PRIVATE KEY-----\n",
                path: "docs/example.md")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "-----BEGIN " + "RSA PRIVATE KEY-----\n\(Sample.privateKeyBody(seed: 31))\n-----END "
                    + "RSA PRIVATE KEY-----\n", path: "id_rsa")
        ]
    }
}
