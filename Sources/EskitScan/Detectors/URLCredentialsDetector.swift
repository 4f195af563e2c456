import EskitCore

/// Credentials in a URL: `scheme://user:password@host`.
struct URLCredentialsDetector: TextDetector {
    let id = "url-credentials"
    let description = "Password embedded in a URL"
    let severity = Severity.high
    let anchors = ["://"]
    private static let userinfo = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-._~!$&'()*+,;=%:^")
    var positiveExamples: [DetectorExample] {
        let p = "Zq" + Sample.string(14, seed: 401)
        return [
            DetectorExample("DATABASE_URL=postgres://app:\(p)@db.internal:5432/app\n", path: ".env"),
            DetectorExample("repoURL: https://ci-bot:\(p)@git.internal.corp/org/repo.git\n"),
            DetectorExample("dsn: https://\(Sample.string(32, from: Sample.hex, seed: 402))@o1.ingest.sentry.io/42\n"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("url: postgres://app:${DB_PASSWORD}@db:5432/app\n"),
            DetectorExample("url: https://user:password@example.org\n"),
            DetectorExample("url: https://git.example.org/org/repo.git\n"),
            DetectorExample("url: redis://:@localhost:6379\n"),
            DetectorExample("url: postgres://user:<password>@host/db\n"),
            DetectorExample("url: postgresql://rails:rails@localhost:5432/dev\n"),
            DetectorExample("see http://evil:\(Sample.string(12, seed: 403))@example.com/\n", path: "doc.md"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let schemeStart = text.runBackward(
            from: offset, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+.-"), limit: 32)
        guard offset - schemeStart >= 2 else { return }
        let start = offset + 3
        let end = text.run(from: start, in: Self.userinfo, limit: 512)
        guard let at = text.byte(end), at == 64 else { return }
        guard let colon = text.find([58], in: start..<end) else {
            let user = text.slice(start..<end)
            if user.count >= 32, user.allSatisfy(ByteSet.lowerHex.contains),
                text.find("sentry", in: end..<min(text.count, end + 80)) != nil
            {
                sink.emit(rule, range: start..<end, secret: user, priority: .token)
            }
            return
        }
        let password = text.slice((colon + 1)..<end)
        guard password.count >= 4, password != text.slice(start..<colon) else { return }
        if password.contains(where: { $0 == 36 || $0 == 123 || $0 == 60 }) { return }
        let hostEnd = text.run(
            from: end + 1, in: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-."), limit: 255)
        let host = text.string((end + 1)..<hostEnd).lowercased()
        if host.hasPrefix("example.") || host.hasSuffix(".example") || host.contains(".example.") || host == "host",
            password.count < 12 || Entropy.shannon(password) < 3.5
        {
            return
        }
        switch ValueJudge.judge(password, keyClass: .password) {
        case .secret: sink.emit(rule, range: (colon + 1)..<end, secret: password, priority: .token)
        case .defaultCredential:
            sink.emit(
                GenericAssignmentScanner.defaultCredential, range: (colon + 1)..<end, secret: password, priority: .token
            )
        case .placeholder, .notSecret: break
        }
    }
}
