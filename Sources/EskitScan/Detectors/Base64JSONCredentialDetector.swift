import EskitCore

/// A token that is base64 of a JSON object holding a secret (a Cloudflare tunnel token is base64 of
/// `{"a": account, "t": tunnel id, "s": tunnel secret}`; credentials files passed as one base64 string).
/// JWTs (dot-separated) are the `jwt` rule's.
struct Base64JSONCredentialDetector: TextDetector {
    let id = "base64-json-credential"
    let description = "Token that is base64 of a JSON object holding a secret (Cloudflare tunnel token, credentials)"
    let severity = Severity.critical
    /// `eyJ` (base64 of `{"`), the JWT rule's anchor too: no new byte pair for the prefilter. Pretty-printed JSON
    /// (`ewog…`) in a Secret's `data` is judged by the Kubernetes rules.
    let anchors = ["eyJ"]

    static func sample(seed: UInt64) -> String {
        let account = Sample.string(32, from: Sample.hex, seed: seed)
        let tunnel =
            Sample.string(8, from: Sample.hex, seed: seed + 1) + "-"
            + Sample.string(4, from: Sample.hex, seed: seed + 2)
        let secret = Sample.string(44, from: Sample.base64, seed: seed + 3)
        let json = "{\"a\":\"\(account)\",\"t\":\"\(tunnel)\",\"s\":\"\(secret)\"}"
        return Base64.encode(Array(json.utf8))
    }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample("TUNNEL_TOKEN=\(Self.sample(seed: 1701))\n", path: ".env"),
            DetectorExample(
                "args: [tunnel, run, --token, \"\(Self.sample(seed: 1702))\"]\n", path: "cloudflared.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "config: \(Base64.encode(Array("{\"name\":\"web\",\"replicas\":3,\"image\":\"nginx\"}".utf8)))\n"),
            DetectorExample(
                "token: \(Base64.encode(Array("{\"a\":\"example\",\"t\":\"example\",\"s\":\"changeme\"}".utf8)))\n"),
        ]
    }

    /// Base64 (standard and URL alphabets) without the padding byte.
    static let bodyChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+/-_")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        // `=` ends base64 (padding), so `TOKEN=eyJ…` starts a token; any other base64 byte before `eyJ` does not.
        guard !text.isGenerated, text.boundaryBefore(offset, Self.bodyChars) else { return }
        let end = text.run(from: offset, in: .base64Any, limit: 16384)
        guard end - offset >= 64, text.byte(end) != 46, text.boundaryAfter(end, .base64Any) else { return }
        var body = text.slice(offset..<end)
        while body.last == 61 { body.removeLast() }
        let standard = body.map { $0 == 45 ? 43 : $0 == 95 ? 47 : $0 }
        let padded = standard + [UInt8](repeating: 61, count: (4 - standard.count % 4) % 4)
        guard let decoded = Base64.decode(padded), Base64.isText(decoded), JSONCredential.holdsSecret(decoded) else {
            return
        }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }
}
