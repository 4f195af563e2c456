import EskitCore
import Testing

@Suite struct FindingTests {
    @Test func redactedSecretNeverPrintsTheValue() {
        let raw = "s3cr" + "etValue" + "12345"
        let secret = RedactedSecret(raw)
        #expect(secret.preview == "s3c…")
        #expect(!"\(secret)".contains(raw))
        #expect(!String(reflecting: secret).contains(raw))
        #expect(secret.sha256 == SHA256.hex(Array(raw.utf8)))
        #expect(RedactedSecret("abcd").preview == "…")
    }

    @Test func fingerprintIgnoresPositionButNotPathOrRule() {
        let secret = RedactedSecret("value-" + "1234567890")
        let a = Finding(
            ruleID: "r", description: "d", severity: .high, file: "a.yaml",
            span: TextSpan(start: .start, end: .start), secret: secret)
        var moved = a
        moved.span.start.line = 40
        let b = Finding(
            ruleID: "r", description: "d", severity: .high, file: "moved.yaml",
            span: a.span, secret: secret)
        #expect(
            a.fingerprint
                == Finding(
                    ruleID: "r", description: "d", severity: .high, file: "a.yaml",
                    span: moved.span, secret: secret
                ).fingerprint)
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint.count == 32)
    }
}
