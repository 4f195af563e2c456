import EskitCore

/// A token recognised by a fixed prefix and a body of a given charset and length: GitHub, GitLab, Slack, Stripe,
/// npm, PyPI, Docker Hub, Vault, Pulumi, GCP API keys. One instance per rule id (see `PrefixTokenDetector.all`).
struct PrefixTokenDetector: TextDetector {
    let id: String
    let description: String
    let severity: Severity
    let anchors: [String]
    let body: ByteSet
    let minLength: Int
    let maxLength: Int
    /// Sample bodies for the examples: (length, alphabet).
    let sampleLength: Int
    let sampleAlphabet: [UInt8]

    init(
        _ id: String, _ description: String, severity: Severity = .critical, prefixes: [String], body: ByteSet = .alnum,
        length: ClosedRange<Int>, sample: Int? = nil, alphabet: [UInt8] = Sample.alnum
    ) {
        self.id = id
        self.description = description
        self.severity = severity
        anchors = prefixes
        self.body = body
        minLength = length.lowerBound
        maxLength = length.upperBound
        sampleLength = sample ?? length.lowerBound
        sampleAlphabet = alphabet
    }

    var positiveExamples: [DetectorExample] {
        anchors.enumerated().map { i, prefix in
            let token = prefix + Sample.string(sampleLength, from: sampleAlphabet, seed: UInt64(100 + i))
            return DetectorExample("env:\n  - name: TOKEN\n    value: \(token)\n", path: "deploy.yaml")
        } + [
            DetectorExample(
                "curl -H 'Authorization: Bearer "
                    + "\(anchors[0] + Sample.string(sampleLength, from: sampleAlphabet, seed: 7))'",
                path: "run.sh")
        ]
    }

    var negativeExamples: [DetectorExample] {
        let short = anchors[0] + Sample.string(max(1, minLength / 2), from: sampleAlphabet, seed: 9)
        let fake = anchors[0] + String(repeating: "x", count: sampleLength)
        let glued = "a0" + anchors[0] + Sample.string(sampleLength, from: sampleAlphabet, seed: 10)
        return [
            DetectorExample("token: \(short)\n"), DetectorExample("token: \(fake)\n"),
            DetectorExample("id: \(glued)\n"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let prefix = anchors[anchor]
        let first = prefix.utf8.first!
        if ByteSet.alnum.contains(first) {
            guard text.boundaryBefore(offset, .alnum) else { return }
        }
        let start = offset + prefix.utf8.count
        let end = text.run(from: start, in: body, limit: maxLength + 1)
        let length = end - start
        guard length >= minLength, length <= maxLength, text.boundaryAfter(end, body) else { return }
        let value = text.slice(start..<end)
        guard !PrefixTokenDetector.isFakeBody(value) else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }

    /// Bodies like `xxxx…`, `0000…`, `EXAMPLE…`, `<…>`.
    static func isFakeBody(_ value: [UInt8]) -> Bool {
        let lower = String(decoding: value.map { lowerTable[Int($0)] }, as: UTF8.self)
        if lower.contains("xxxx") || lower.contains("example") || lower.contains("****") || lower.contains("0000000")
            || lower.contains("placeholder") || lower.contains("your") || lower.contains("abcdefgh")
            || lower.contains("123456789")
        {
            return true
        }
        if value.count >= 8 && Entropy.shannon(value) < 2.5 { return true }
        return false
    }

    static let all: [PrefixTokenDetector] = [
        PrefixTokenDetector(
            "github-pat", "GitHub personal access token (classic)", prefixes: ["ghp_"], length: 36...36),
        PrefixTokenDetector("github-oauth-token", "GitHub OAuth access token", prefixes: ["gho_"], length: 36...36),
        PrefixTokenDetector(
            "github-app-token", "GitHub App user-to-server or server-to-server token", prefixes: ["ghu_", "ghs_"],
            length: 36...36),
        PrefixTokenDetector("github-refresh-token", "GitHub refresh token", prefixes: ["ghr_"], length: 36...76),
        PrefixTokenDetector(
            "github-fine-grained-pat", "GitHub fine-grained personal access token", prefixes: ["github_pat_"],
            body: .word, length: 82...82, alphabet: Sample.alnum + [95]),
        PrefixTokenDetector(
            "gitlab-token", "GitLab personal, project, deploy, runner or trigger token",
            prefixes: ["glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glimt-", "gloas-"],
            body: .tokenChars, length: 20...64, alphabet: Sample.base64URL),
        PrefixTokenDetector(
            "slack-bot-token", "Slack bot token", prefixes: ["xoxb-"],
            body: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-"),
            length: 24...120, sample: 50, alphabet: Sample.digits + Array("-".utf8) + Sample.lowerAlnum),
        PrefixTokenDetector(
            "slack-user-token", "Slack user token", prefixes: ["xoxp-", "xoxe.xoxp-", "xoxs-", "xoxa-2-", "xoxr-"],
            body: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-"), length: 24...160, sample: 60,
            alphabet: Sample.digits + Array("-".utf8) + Sample.lowerAlnum),
        PrefixTokenDetector(
            "slack-app-token", "Slack app-level token", prefixes: ["xapp-"],
            body: ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-"), length: 30...120, sample: 70,
            alphabet: Sample.upperAlnum + Array("-".utf8)),
        PrefixTokenDetector(
            "stripe-secret-key", "Stripe live secret or restricted key", prefixes: ["sk_live_", "rk_live_"],
            length: 24...247, sample: 99),
        PrefixTokenDetector("npm-token", "Access token for npm", prefixes: ["npm_"], length: 36...36),
        PrefixTokenDetector(
            "pypi-token", "PyPI upload token", prefixes: ["pypi-AgEIcHlwaS5vcmc"], body: .tokenChars,
            length: 50...400, sample: 120, alphabet: Sample.base64URL),
        PrefixTokenDetector(
            "dockerhub-pat", "Docker Hub personal or organisation access token", prefixes: ["dckr_pat_", "dckr_oat_"],
            body: .tokenChars, length: 27...64, alphabet: Sample.base64URL),
        PrefixTokenDetector(
            "vault-token", "HashiCorp Vault service or batch token", prefixes: ["hvs.", "hvb."], body: .tokenChars,
            length: 24...300, sample: 90, alphabet: Sample.base64URL),
        PrefixTokenDetector(
            "pulumi-access-token", "Pulumi access token", prefixes: ["pul-"], body: .lowerHex, length: 40...40,
            alphabet: Sample.hex),
        PrefixTokenDetector(
            "gcp-api-key", "Google Cloud API key", prefixes: ["AIza"], body: .tokenChars, length: 35...35,
            alphabet: Sample.base64URL),
    ]
}
