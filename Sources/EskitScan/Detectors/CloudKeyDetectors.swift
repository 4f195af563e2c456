import EskitCore

/// AWS access key id (`AKIA…`, `ASIA…`).
struct AWSAccessKeyIDDetector: TextDetector {
    let id = "aws-access-key-id"
    let description = "AWS access key id"
    let severity = Severity.medium
    let anchors = ["AKIA", "ASIA", "ABIA", "ACCA"]
    var positiveExamples: [DetectorExample] {
        [DetectorExample("aws_access_key_id = AKIA\(Sample.string(16, from: Sample.upperAlnum, seed: 31))\n", path: "credentials")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("id: AKIAIOSFODNN7EXAMPLE\n"), DetectorExample("name: AKIA\(Sample.string(10, from: Sample.upperAlnum, seed: 2))\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard let end = AWSAccessKeyIDDetector.keyEnd(text, at: offset) else { return }
        sink.emit(rule, range: offset..<end, secret: text.slice(offset..<end), priority: .token)
    }

    static func keyEnd(_ text: ByteText, at offset: Int) -> Int? {
        guard text.boundaryBefore(offset) else { return nil }
        let end = text.run(from: offset + 4, in: .upperAlnum, limit: 17)
        guard end - offset == 20, text.boundaryAfter(end) else { return nil }
        let value = text.slice(offset..<end)
        if PrefixTokenDetector.isFakeBody(Array(value[4...])) { return nil }
        return end
    }
}

/// AWS secret access key: 40 base64 characters near an access key id or under an `aws_secret_access_key` key.
struct AWSSecretAccessKeyDetector: TextDetector {
    let id = "aws-secret-access-key"
    let description = "AWS secret access key next to its access key id"
    let severity = Severity.critical
    let anchors = ["AKIA", "ASIA", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey", "SecretAccessKey", "aws_secret_key"]
    var priority: MatchPriority { .composite }
    var positiveExamples: [DetectorExample] {
        let id = "AKIA" + Sample.string(16, from: Sample.upperAlnum, seed: 32)
        let secret = Sample.string(40, from: Sample.base64, seed: 33)
        return [
            DetectorExample("[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n", path: "credentials"),
            DetectorExample("{\"AccessKeyId\": \"\(id)\", \"SecretAccessKey\": \"\(secret)\"}", path: "key.json"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", path: "credentials"),
         DetectorExample("aws_secret_access_key = ${AWS_SECRET}\n", path: "credentials")]
    }

    private static let secretChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+/")

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        if anchor < 2 {
            guard AWSAccessKeyIDDetector.keyEnd(text, at: offset) != nil else { return }
            var i = text.window(offset, before: 400, after: 400).lowerBound
            let end = text.window(offset, before: 400, after: 400).upperBound
            while i < end {
                if AWSSecretAccessKeyDetector.secretChars.contains(text[i]), text.boundaryBefore(i, Self.secretChars) {
                    let e = text.run(from: i, in: Self.secretChars, limit: 41)
                    if e - i == 40, text.boundaryAfter(e, Self.secretChars), isSecret(text.slice(i..<e)) {
                        sink.emit(rule, range: i..<e, secret: text.slice(i..<e), priority: .composite)
                    }
                    i = max(e, i + 1)
                } else {
                    i += 1
                }
            }
        } else if let a = Assignment.parse(text, keywordAt: offset), a.valueRange.count == 40 {
            let value = text.slice(a.valueRange)
            if value.allSatisfy(Self.secretChars.contains), isSecret(value) {
                sink.emit(rule, range: a.valueRange, secret: value, priority: .composite)
            }
        }
    }

    private func isSecret(_ value: [UInt8]) -> Bool {
        Entropy.shannon(value) > 4.0 && Entropy.classes(value) >= 3 && !ValueJudge.isPlaceholder(value)
            && !PrefixTokenDetector.isFakeBody(value) && value.contains(where: { (97...122).contains($0) })
    }
}

/// Google Cloud service-account key file (JSON with `private_key` and `client_email`).
struct GCPServiceAccountDetector: TextDetector {
    let id = "gcp-service-account-key"
    let description = "Google Cloud service-account key (private key with client email)"
    let severity = Severity.critical
    let anchors = ["\"private_key\""]
    var priority: MatchPriority { .composite }
    var positiveExamples: [DetectorExample] {
        let body = Sample.string(64, from: Sample.base64, seed: 41)
        let key = "-----BEGIN " + "PRIVATE KEY-----\\n\(body)\\n-----END " + "PRIVATE KEY-----\\n"
        return [DetectorExample("{\n  \"type\": \"service_account\",\n  \"private_key\": \"\(key)\",\n  \"client_email\": \"ci@proj.iam.gserviceaccount.com\"\n}\n", path: "sa.json")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("{\"private_key\": \"\", \"client_email\": \"ci@proj.iam.gserviceaccount.com\"}", path: "sa.json")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[0].utf8.count)
        guard text.byte(i) == 58 else { return }
        i = text.skipSpaces(i + 1)
        guard text.byte(i) == 34 else { return }
        var j = i + 1
        while j < text.count, text[j] != 34, text[j] != 10 {
            if text[j] == 92 { j += 1 }
            j += 1
        }
        guard j < text.count, j - i > 64 else { return }
        let window = text.window(offset, before: 3000, after: 3000)
        guard text.find("\"client_email\"", in: window) != nil,
              text.find("PRIVATE KEY", in: i..<j) != nil else { return }
        sink.emit(rule, range: (i + 1)..<j, secret: text.slice((i + 1)..<j), priority: .composite)
    }
}

/// Azure AD (Entra ID) client secret: `xxx8Q~…` format.
struct AzureClientSecretDetector: TextDetector {
    let id = "azure-client-secret"
    let description = "Azure AD application client secret"
    let severity = Severity.critical
    let anchors = ["Q~"]
    private static let chars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_~.-")
    var positiveExamples: [DetectorExample] {
        let s = Sample.string(3, seed: 51) + "8Q~" + Sample.string(34, from: Sample.alnum + Array("_~.-".utf8), seed: 52)
        return [DetectorExample("AZURE_CLIENT_SECRET=\(s)\n", path: ".env")]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("note: use Q~ as separator\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let start = offset - 4
        guard start >= 0, (48...57).contains(text[offset - 1]), text.boundaryBefore(start, Self.chars),
              (0..<3).allSatisfy({ ByteSet.alnum.contains(text[start + $0]) || text[start + $0] == 95 }) else { return }
        let end = text.run(from: offset + 2, in: Self.chars, limit: 40)
        guard (31...34).contains(end - offset - 2), text.boundaryAfter(end, Self.chars) else { return }
        sink.emit(rule, range: start..<end, secret: text.slice(start..<end), priority: .token)
    }
}

/// Azure storage account key (`AccountKey=` in a connection string, or an 88-character key under a storage key).
struct AzureStorageKeyDetector: TextDetector {
    let id = "azure-storage-key"
    let description = "Azure storage account key or connection string"
    let severity = Severity.critical
    let anchors = ["accountkey=", "sharedaccesssignature=sv="]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        let key = Sample.string(86, from: Sample.base64, seed: 61) + "=="
        return [DetectorExample("conn: \"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=\(key);EndpointSuffix=core.windows.net\"\n")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("conn: \"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<key>\"\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard anchor == 0 else { return }
        let start = offset + 11
        let end = text.run(from: start, in: .base64, limit: 100)
        guard end - start >= 80 else { return }
        let value = text.slice(start..<end)
        guard Entropy.shannon(value) > 4.5 else { return }
        sink.emit(rule, range: start..<end, secret: value, priority: .token)
    }
}

/// Cloudflare API token (40 characters) or global API key (37 hex), recognised by a Cloudflare key name.
struct CloudflareAPIKeyDetector: TextDetector {
    let id = "cloudflare-api-key"
    let description = "Cloudflare API token or global API key"
    let severity = Severity.critical
    let anchors = ["cloudflare", "cf_api", "cf-api", "cf_token", "cfapi", "cf_dns_api"]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        [DetectorExample("CLOUDFLARE_API_TOKEN=\(Sample.string(40, from: Sample.base64URL, seed: 71))\n", path: ".env"),
         DetectorExample("cloudflare:\n  apiKey: \(Sample.string(37, from: Sample.hex, seed: 72))\n", path: "values.yaml"),
         DetectorExample("CF_API_KEY: \"\(Sample.string(37, from: Sample.hex, seed: 73))\"\n")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("CLOUDFLARE_API_TOKEN=${CF_TOKEN}\n", path: ".env"), DetectorExample("cloudflare:\n  zone: example.org\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let lineEnd = text.lineEnd(offset)
        var limit = lineEnd
        if anchor == 0, text.lineEnd(lineEnd + 1) > lineEnd + 1 { limit = text.lineEnd(text.lineEnd(lineEnd + 1) + 1) }
        var i = offset
        while i < limit {
            guard ByteSet.tokenChars.contains(text[i]), text.boundaryBefore(i, .tokenChars) else { i += 1; continue }
            let e = text.run(from: i, in: .tokenChars, limit: 41)
            let value = text.slice(i..<e)
            let isToken = e - i == 40 && Entropy.classes(value) >= 3
            let isGlobal = e - i == 37 && value.allSatisfy(ByteSet.lowerHex.contains)
            if (isToken || isGlobal), text.boundaryAfter(e, .tokenChars), Entropy.shannon(value) > 3.5,
               !PrefixTokenDetector.isFakeBody(value) {
                sink.emit(rule, range: i..<e, secret: value, priority: .token)
                return
            }
            i = max(e, i + 1)
        }
    }
}

/// SendGrid API key (`SG.<22>.<43>`).
struct SendGridAPIKeyDetector: TextDetector {
    let id = "sendgrid-api-key"
    let description = "SendGrid API key"
    let severity = Severity.critical
    let anchors = ["SG."]
    var positiveExamples: [DetectorExample] {
        [DetectorExample("SENDGRID_API_KEY=SG.\(Sample.string(22, from: Sample.base64URL, seed: 81)).\(Sample.string(43, from: Sample.base64URL, seed: 82))\n", path: ".env")]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("host: SG.example.org\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryBefore(offset) else { return }
        let a = text.run(from: offset + 3, in: .tokenChars, limit: 23)
        guard a - offset - 3 == 22, text.byte(a) == 46 else { return }
        let b = text.run(from: a + 1, in: .tokenChars, limit: 44)
        guard b - a - 1 == 43, text.boundaryAfter(b, .tokenChars) else { return }
        sink.emit(rule, range: offset..<b, secret: text.slice(offset..<b), priority: .token)
    }
}

/// Twilio API key SID (`SK` + 32 hex) and account SID (`AC` + 32 hex) with its 32-hex auth token nearby.
struct TwilioDetector: TextDetector {
    let id = "twilio-credential"
    let description = "Twilio API key or account auth token"
    let severity = Severity.critical
    let anchors = ["SK", "AC"]
    var positiveExamples: [DetectorExample] {
        [DetectorExample("TWILIO_API_KEY=SK\(Sample.string(32, from: Sample.hex, seed: 91))\n", path: ".env"),
         DetectorExample("account_sid: AC\(Sample.string(32, from: Sample.hex, seed: 92))\nauth_token: \(Sample.string(32, from: Sample.hex, seed: 93))\n")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("account_sid: AC\(Sample.string(32, from: Sample.hex, seed: 94))\n"), DetectorExample("TASK_ACK=1\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard text.boundaryBefore(offset) else { return }
        let end = text.run(from: offset + 2, in: .lowerHex, limit: 33)
        guard end - offset - 2 == 32, text.boundaryAfter(end) else { return }
        if anchor == 0 {
            let value = text.slice(offset..<end)
            guard Entropy.shannon(value) > 3.0 else { return }
            sink.emit(rule, range: offset..<end, secret: value, priority: .token)
            return
        }
        let window = text.window(offset, before: 300, after: 300)
        var i = window.lowerBound
        while i < window.upperBound {
            if ByteSet.lowerHex.contains(text[i]), text.boundaryBefore(i) {
                let e = text.run(from: i, in: .lowerHex, limit: 33)
                if e - i == 32, text.boundaryAfter(e), i != offset + 2 {
                    let value = text.slice(i..<e)
                    if Entropy.shannon(value) > 3.0 {
                        sink.emit(rule, range: i..<e, secret: value, priority: .token)
                        return
                    }
                }
                i = max(e, i + 1)
            } else {
                i += 1
            }
        }
    }
}
