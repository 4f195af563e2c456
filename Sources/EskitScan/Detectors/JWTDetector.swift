import EskitCore
import Foundation

/// JSON Web Token: three base64url parts whose first decodes to a JSON header with `alg`.
struct JWTDetector: TextDetector {
    let id = "jwt"
    let description = "JSON Web Token"
    let severity = Severity.high
    let anchors = ["eyJ"]
    static func sample(seed: UInt64) -> String {
        let header = Base64.encode(Array("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".utf8)).replacingOccurrences(
            of: "=", with: "")
        let claims = Base64.encode(Array("{\"sub\":\"system:serviceaccount:ci:deployer\",\"iat\":1700000000}".utf8))
            .replacingOccurrences(of: "=", with: "")
        return "\(header).\(claims).\(Sample.string(86, from: Sample.base64URL, seed: seed))"
    }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample("token: \(JWTDetector.sample(seed: 301))\n"),
            DetectorExample("Authorization: Bearer \(JWTDetector.sample(seed: 302))", path: "req.http"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("token: eyJhbGciOiJIUzI1NiJ9\n"),
            DetectorExample(
                "x: eyJub3QiOiJhIGhlYWRlciJ9.\(Sample.string(20, from: Sample.base64URL, seed: 1))."
                    + "\(Sample.string(20, from: Sample.base64URL, seed: 2))\n"
            ),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryBefore(offset, .tokenChars) else { return }
        let h = text.run(from: offset, in: .base64URL, limit: 2048)
        guard h - offset >= 10, text.byte(h) == 46 else { return }
        let p = text.run(from: h + 1, in: .base64URL, limit: 16384)
        guard p - h - 1 >= 4, text.byte(p) == 46 else { return }
        let s = text.run(from: p + 1, in: .base64URL, limit: 4096)
        guard s - p - 1 >= 16, text.boundaryAfter(s, .base64URL) else { return }
        guard let header = Base64.decode(text.slice(offset..<h)), let json = String(validating: header, as: UTF8.self),
            json.contains("\"alg\"")
        else { return }
        sink.emit(rule, range: offset..<s, secret: text.slice(offset..<s), priority: .token)
    }
}
