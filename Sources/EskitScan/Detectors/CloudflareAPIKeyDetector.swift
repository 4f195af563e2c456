import EskitCore

/// Cloudflare API token (40 characters) or global API key (37 hex), recognised by a Cloudflare key name.
struct CloudflareAPIKeyDetector: TextDetector {
    let id = "cloudflare-api-key"
    let description = "Cloudflare API token or global API key"
    let severity = Severity.critical
    let anchors = ["cloudflare", "cf_api", "cf-api", "cf_token", "cfapi", "cf_dns_api"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "CLOUDFLARE_API_TOKEN=\(Sample.string(40, from: Sample.base64URL, seed: 71))\n", path: ".env"),
            DetectorExample(
                "cloudflare:\n  apiKey: \(Sample.string(37, from: Sample.hex, seed: 72))\n", path: "values.yaml"),
            DetectorExample("CF_API_KEY: \"\(Sample.string(37, from: Sample.hex, seed: 73))\"\n"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("CLOUDFLARE_API_TOKEN=${CF_TOKEN}\n", path: ".env"),
            DetectorExample("cloudflare:\n  zone: example.org\n"),
        ]
    }

    private static let sopsMarker = Array("ENC[".utf8)
    private static let base64Joiners = ByteSet("+/")
    private static let base64Tail = ByteSet("+/=")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let lineEnd = text.lineEnd(offset)
        var limit = lineEnd
        if anchor == 0, text.lineEnd(lineEnd + 1) > lineEnd + 1 { limit = text.lineEnd(text.lineEnd(lineEnd + 1) + 1) }
        limit = min(limit, offset + 512)
        // SOPS `ENC[AES256_GCM,data:…,iv:…]` and SealedSecret ciphertext: a 40-character run inside is no token.
        if text.find(Self.sopsMarker, in: offset..<limit, ignoringCase: false) != nil { return }
        var i = offset
        while i < limit {
            guard ByteSet.tokenChars.contains(text[i]), text.boundaryBefore(i, .tokenChars) else { i += 1; continue }
            let e = text.run(from: i, in: .tokenChars, limit: 41)
            let value = text.slice(i..<e)
            let isToken = e - i == 40 && Entropy.classes(value) >= 3
            let isGlobal = e - i == 37 && value.allSatisfy(ByteSet.lowerHex.contains)
            if (isToken || isGlobal), text.boundaryAfter(e, .tokenChars), text.boundaryBefore(i, Self.base64Joiners),
                text.boundaryAfter(e, Self.base64Tail), Entropy.shannon(value) > 3.5,
                !PrefixTokenDetector.isFakeBody(value)
            {
                sink.emit(rule, range: i..<e, secret: value, priority: .token)
                return
            }
            i = max(e, i + 1)
        }
    }
}
