import EskitCore

/// Legacy HashiCorp Vault token (`s.` + 24 characters) under a Vault token key.
struct VaultLegacyTokenDetector: TextDetector {
    let id = "vault-legacy-token"
    let description = "HashiCorp Vault token (legacy s. format)"
    let severity = Severity.critical
    let anchors = ["vault_token", "vault-token", "vaulttoken", "x-vault-token"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("VAULT_TOKEN=s.\(Sample.string(24, seed: 901))\n", path: ".env")]
    }
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
