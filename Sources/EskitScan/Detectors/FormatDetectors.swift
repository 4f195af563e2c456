import EskitCore
import Foundation

/// PEM, OpenSSH and PGP private key blocks (also with JSON-escaped `\n` line breaks). The whole block is the secret.
struct PrivateKeyDetector: TextDetector {
    let id = "private-key"
    let description = "Private key block (PEM, OpenSSH or PGP)"
    let severity = Severity.critical
    let anchors = ["-----BEGIN "]
    var positiveExamples: [DetectorExample] {
        let body = (0..<4).map { Sample.string(64, from: Sample.base64, seed: UInt64(200 + $0)) }.joined(separator: "\n")
        return [
            DetectorExample("-----BEGIN " + "RSA PRIVATE KEY-----\n\(body)\n-----END " + "RSA PRIVATE KEY-----\n", path: "id_rsa"),
            DetectorExample("tls.key: |\n  -----BEGIN " + "EC PRIVATE KEY-----\n  \(Sample.string(64, from: Sample.base64, seed: 9))\n  -----END " + "EC PRIVATE KEY-----\n"),
            DetectorExample("-----BEGIN " + "OPENSSH PRIVATE KEY-----\n\(body)\n-----END " + "OPENSSH PRIVATE KEY-----\n", path: "deploy_key"),
            DetectorExample("-----BEGIN " + "PGP PRIVATE KEY BLOCK-----\n\n\(body)\n-----END " + "PGP PRIVATE KEY BLOCK-----\n", path: "key.asc"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("-----BEGIN " + "CERTIFICATE-----\n\(Sample.string(64, from: Sample.base64, seed: 5))\n-----END CERTIFICATE-----\n", path: "ca.crt"),
         DetectorExample("-----BEGIN " + "PRIVATE KEY-----\n...\n-----END " + "PRIVATE KEY-----\n", path: "README.md"),
         DetectorExample("-----BEGIN " + "PUBLIC KEY-----\n\(Sample.string(64, from: Sample.base64, seed: 6))\n-----END PUBLIC KEY-----\n")]
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

/// JSON Web Token: three base64url parts whose first decodes to a JSON header with `alg`.
struct JWTDetector: TextDetector {
    let id = "jwt"
    let description = "JSON Web Token"
    let severity = Severity.high
    let anchors = ["eyJ"]
    static func sample(seed: UInt64) -> String {
        let header = Base64.encode(Array("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".utf8)).replacingOccurrences(of: "=", with: "")
        let claims = Base64.encode(Array("{\"sub\":\"system:serviceaccount:ci:deployer\",\"iat\":1700000000}".utf8))
            .replacingOccurrences(of: "=", with: "")
        return "\(header).\(claims).\(Sample.string(86, from: Sample.base64URL, seed: seed))"
    }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("token: \(JWTDetector.sample(seed: 301))\n"),
         DetectorExample("Authorization: Bearer \(JWTDetector.sample(seed: 302))", path: "req.http")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("token: eyJhbGciOiJIUzI1NiJ9\n"),
         DetectorExample("x: eyJub3QiOiJhIGhlYWRlciJ9.\(Sample.string(20, from: Sample.base64URL, seed: 1)).\(Sample.string(20, from: Sample.base64URL, seed: 2))\n")]
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
              json.contains("\"alg\"") else { return }
        sink.emit(rule, range: offset..<s, secret: text.slice(offset..<s), priority: .token)
    }
}

/// Credentials in a URL: `scheme://user:password@host`.
struct URLCredentialsDetector: TextDetector {
    let id = "url-credentials"
    let description = "Password embedded in a URL"
    let severity = Severity.high
    let anchors = ["://"]
    private static let userinfo = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-._~!$&'()*+,;=%:^")
    var positiveExamples: [DetectorExample] {
        let p = "Zq" + Sample.string(14, seed: 401)
        return [DetectorExample("DATABASE_URL=postgres://app:\(p)@db.internal:5432/app\n", path: ".env"),
                DetectorExample("repoURL: https://ci-bot:\(p)@git.internal.corp/org/repo.git\n"),
                DetectorExample("dsn: https://\(Sample.string(32, from: Sample.hex, seed: 402))@o1.ingest.sentry.io/42\n")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("url: postgres://app:${DB_PASSWORD}@db:5432/app\n"),
         DetectorExample("url: https://user:password@example.org\n"),
         DetectorExample("url: https://git.example.org/org/repo.git\n"),
         DetectorExample("url: redis://:@localhost:6379\n"),
         DetectorExample("url: postgres://user:<password>@host/db\n"),
         DetectorExample("url: postgresql://rails:rails@localhost:5432/dev\n"),
         DetectorExample("see http://evil:\(Sample.string(12, seed: 403))@example.com/\n", path: "doc.md")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let schemeStart = text.runBackward(from: offset, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+.-"), limit: 32)
        guard offset - schemeStart >= 2 else { return }
        let start = offset + 3
        let end = text.run(from: start, in: Self.userinfo, limit: 512)
        guard let at = text.byte(end), at == 64 else { return }
        guard let colon = text.find([58], in: start..<end) else {
            let user = text.slice(start..<end)
            if user.count >= 32, user.allSatisfy(ByteSet.lowerHex.contains),
               text.find("sentry", in: end..<min(text.count, end + 80)) != nil {
                sink.emit(rule, range: start..<end, secret: user, priority: .token)
            }
            return
        }
        let password = text.slice((colon + 1)..<end)
        guard password.count >= 4, password != text.slice(start..<colon) else { return }
        if password.contains(where: { $0 == 36 || $0 == 123 || $0 == 60 }) { return }
        let hostEnd = text.run(from: end + 1, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-."), limit: 255)
        let host = text.string((end + 1)..<hostEnd).lowercased()
        if host.hasPrefix("example.") || host.hasSuffix(".example") || host.contains(".example.") || host == "host",
           password.count < 12 || Entropy.shannon(password) < 3.5 {
            return
        }
        switch ValueJudge.judge(password, keyClass: .password) {
        case .secret: sink.emit(rule, range: (colon + 1)..<end, secret: password, priority: .token)
        case .defaultCredential: sink.emit(GenericAssignmentScanner.defaultCredential, range: (colon + 1)..<end, secret: password, priority: .token)
        case .placeholder, .notSecret: break
        }
    }
}

/// htpasswd lines (`user:$apr1$…`, `user:$2y$…`, `user:{SHA}…`), e.g. ingress basic-auth files.
struct HtpasswdDetector: TextDetector {
    let id = "htpasswd-hash"
    let description = "Password hash in htpasswd format"
    let severity = Severity.high
    let anchors = ["$apr1$", "$2y$", "$2a$", "$2b$", "{SHA}"]
    var positiveExamples: [DetectorExample] {
        [DetectorExample("admin:$apr1$\(Sample.string(8, seed: 501))$\(Sample.string(22, from: Sample.base64URL, seed: 502))\n", path: "auth"),
         DetectorExample("auth: |\n  ops:$2y$05$\(Sample.string(53, from: Sample.alnum + [46, 47], seed: 503))\n"),
         DetectorExample("ci:{SHA}\(Sample.string(27, from: Sample.base64, seed: 504))=\n", path: ".htpasswd")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("admin.password: $2a$10$\(Sample.string(53, from: Sample.alnum + [46, 47], seed: 505))\n"),
         DetectorExample("format: user:$apr1$\n")]
    }
    private static let hashChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "./$+=")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard offset > 1, text[offset - 1] == 58 else { return }
        let user = text.runBackward(from: offset - 1, in: .identifier, limit: 64)
        guard user < offset - 1 else { return }
        if user > 0, !(text[user - 1] == 10 || text[user - 1] == 32 || text[user - 1] == 9 || text[user - 1] == 34) { return }
        let end = text.run(from: offset + anchors[anchor].utf8.count, in: Self.hashChars, limit: 200)
        guard end - offset >= 20 else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }
}

/// Docker `config.json` / `.dockerconfigjson` `auths.*.auth` (base64 of `user:password`).
struct DockerConfigAuthDetector: TextDetector {
    let id = "docker-config-auth"
    let description = "Registry credentials in a Docker config auth entry"
    let severity = Severity.critical
    let anchors = ["\"auth\"", "\"password\""]
    var priority: MatchPriority { .token }
    static func sampleConfig(seed: UInt64) -> String {
        let auth = Sample.base64(of: "robot$ci:" + Sample.string(32, seed: seed))
        return "{\"auths\":{\"registry.example.org\":{\"auth\":\"\(auth)\"}}}"
    }
    var positiveExamples: [DetectorExample] {
        [DetectorExample(DockerConfigAuthDetector.sampleConfig(seed: 601), path: ".docker/config.json"),
         DetectorExample("{\"auths\":{\"r.io\":{\"username\":\"ci\",\"password\":\"\(Sample.string(24, seed: 602))\"}}}", path: "config.json")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("{\"auths\":{\"r.io\":{\"auth\":\"\(Sample.base64(of: "user:changeme"))\"}}}", path: "config.json"),
         DetectorExample("{\"auths\":{\"r.io\":{\"auth\":\"\"}}}", path: "config.json")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[anchor].utf8.count)
        guard text.byte(i) == 58 else { return }
        i = text.skipSpaces(i + 1)
        guard text.byte(i) == 34 else { return }
        let end = text.run(from: i + 1, in: anchor == 0 ? .base64 : ByteSet(ranges: [33...126]).without(34), limit: 4096)
        guard text.byte(end) == 34, end > i + 1 else { return }
        let range = (i + 1)..<end
        if anchor == 1 {
            guard text.find("\"auths\"", in: text.window(offset, before: 2000, after: 0)) != nil else { return }
            let value = text.slice(range)
            if ValueJudge.judge(value, keyClass: .password) == .secret { sink.emit(rule, range: range, secret: value, priority: .token) }
            return
        }
        guard let decoded = Base64.decode(text.slice(range)), let colon = decoded.firstIndex(of: 58) else { return }
        let password = Array(decoded[(colon + 1)...])
        guard !password.isEmpty, !ValueJudge.isPlaceholder(password) else { return }
        sink.emit(rule, range: range, secret: password, priority: .token)
    }
}

extension ByteSet {
    func without(_ b: UInt8) -> ByteSet {
        var copy = ByteSet("")
        for c in 0...255 where contains(UInt8(c)) && UInt8(c) != b { copy.insert(UInt8(c)) }
        return copy
    }
}
