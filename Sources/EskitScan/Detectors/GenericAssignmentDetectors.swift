import EskitCore

/// `password: …`, `DB_PASSWORD=…`, `"passwd": "…"` and similar in any text format.
struct GenericPasswordDetector: Detector {
    let id = "generic-password"
    let description = "Password assigned in plain text"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let p = "Tr0ub4dor" + "-" + Sample.string(6, seed: 21)
        return [
            DetectorExample("db:\n  password: \(p)\n"),
            DetectorExample("{\"adminPassword\": \"\(p)\"}", path: "values.json"),
            DetectorExample("export DB_PASSWORD=\"\(p)\"\n", path: "deploy.sh"),
            DetectorExample("[database]\npassword = \(p)\n", path: "app.ini"),
            DetectorExample("MYSQL_ROOT_PASSWORD=\(p)\n", path: ".env"),
            DetectorExample("```yaml\nharborAdminPassword: \(p)\n```\n", path: "README.md"),
            DetectorExample("```yaml\nkind: Secret\ndata:\n  password: \(Sample.base64(of: p))\n```\n", path: "docs/setup.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("password: changeme\n"),
            DetectorExample("password: ${DB_PASSWORD}\n"),
            DetectorExample("password: \"{{ .Values.db.password }}\"\n"),
            DetectorExample("password: <your-password>\n"),
            DetectorExample("passwordSecretName: db-credentials\n"),
            DetectorExample("password: \"\"\n"),
            DetectorExample("password: REDACTED\n"),
            DetectorExample("password: '***'\n"),
            DetectorExample("password = os.environ[\"DB_PASSWORD\"]\n", path: "app.py"),
            DetectorExample("password: is required for login\n", path: "notes.md"),
            DetectorExample("```yaml\nkind: Secret\ndata:\n  password: \(Sample.base64(of: "changeme"))\n```\n", path: "docs/setup.md"),
            DetectorExample("- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n"),
            DetectorExample("existingSecretAdminPassword: harbor-admin\n", path: "values.yaml"),
            DetectorExample("resource \"aws_db_instance\" \"main\" {\n  password = var.db_password\n}\n", path: "main.tf"),
        ]
    }
}

/// `token: …`, `api_key = …`, `client_secret: …` with a random-looking value.
struct GenericSecretDetector: Detector {
    let id = "generic-secret"
    let description = "Token, API key or client secret assigned in plain text"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let t = Sample.string(32, seed: 22)
        return [
            DetectorExample("api_key: \(t)\n"),
            DetectorExample("{\"client_secret\": \"\(t)\"}", path: "config.json"),
            DetectorExample("[auth]\naccess_token = \"\(t)\"\n", path: "config.toml"),
            DetectorExample("export SERVICE_TOKEN=\(t)\n", path: "env.sh"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("api_key: your-api-key\n"),
            DetectorExample("tokenUrl: https://auth.example.org/token\n"),
            DetectorExample("secretName: my-app-tls\n"),
            DetectorExample("client_secret: $(CLIENT_SECRET)\n"),
            DetectorExample("token: \(Sample.string(6, seed: 3))\n"),
            DetectorExample("apiKey: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
            DetectorExample("secretKey: app.kubernetes.io-component-name\n"),
            DetectorExample("data:\n  - secretKey: adminPassword\n    remoteRef:\n      key: k8s-home/apps/slack3/bot-token\n", path: "README.md"),
            DetectorExample("erlangCookie: \"{{ .Values.cookie }}\"\n"),
        ]
    }
}

/// Well-known default passwords (`Harbor12345`, `prom-operator`, `admin`, `changeit`, `minio123`…) assigned to a
/// password key: a default left in a manifest is a live credential.
struct DefaultCredentialDetector: Detector {
    let id = "default-credential"
    let description = "Well-known default password left in place"
    let severity = Severity.high
    var kind: FindingKind { .defaultCredential }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample("harborAdminPassword: Harbor12345\n", path: "values.yaml"),
            DetectorExample("grafana:\n  adminPassword: prom-operator\n", path: "values.yaml"),
            DetectorExample("MINIO_ROOT_PASSWORD=minio123\n", path: ".env"),
            DetectorExample("keystore.password=changeit\n", path: "app.properties"),
            DetectorExample("username: admin\npassword: admin\n"),
            DetectorExample("Log in with `admin` / `Harbor12345` first.\n", path: "README.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("username: admin\n"),
            DetectorExample("adminUser: postgres\n"),
            DetectorExample("password: changeme\n"),
        ]
    }
}

/// The worker behind `generic-password`, `generic-secret` and `default-credential`.
struct GenericAssignmentScanner: TextDetector {
    let id = "generic-assignment"
    let description = "Keyword assignments"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    let anchors = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds", "cookie"]
    var anchorsIgnoreCase: Bool { true }
    var priority: MatchPriority { .generic }

    static let anchorBytes = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds", "cookie"].map { Array($0.utf8) }
    static let password = RuleInfo(GenericPasswordDetector())
    static let secret = RuleInfo(GenericSecretDetector())
    static let defaultCredential = RuleInfo(DefaultCredentialDetector())

    /// `name: DB_PASSWORD` / `"name": "API_TOKEN"`: the keyword sits in the value of a `name` key.
    static func isEnvName(_ text: ByteText, at offset: Int) -> Bool {
        let start = text.runBackward(from: offset, in: Assignment.keyChars, limit: 128)
        var i = start
        if i > 0, text[i - 1] == 34 || text[i - 1] == 39 { i -= 1 }
        i = text.runBackward(from: i, in: .space, limit: 16)
        guard i > 0, text[i - 1] == 58 else { return false }
        i -= 1
        if i > 0, text[i - 1] == 34 { i -= 1 }
        guard i >= 4, text.hasPrefix("name", at: i - 4) else { return false }
        let end = text.run(from: offset, in: Assignment.keyChars, limit: 128)
        guard KeyName.classify(text.slice(start..<end)) != .none else { return false }
        return hasSiblingValue(text, nameKeyAt: i - 4)
    }

    private static let valueKey = Array("value".utf8)

    /// True when the mapping holding the `name` key at `keyOffset` also has a `value` key: on the same line (flow
    /// style or JSON) or on a neighbouring line at the same indentation (block style).
    static func hasSiblingValue(_ text: ByteText, nameKeyAt keyOffset: Int) -> Bool {
        func isValueKey(_ at: Int) -> Bool {
            var i = at
            if text.byte(i) == 34 { i += 1 }
            guard text.hasPrefix(valueKey, at: i), text.boundaryBefore(i, .word) else { return false }
            var j = i + 5
            if text.byte(j) == 34 { j += 1 }
            return text.byte(j) == 58
        }
        func indentation(_ start: Int) -> Int { text.run(from: start, in: ByteSet(" "), limit: 256) - start }
        let lineStart = text.lineStart(keyOffset)
        let lineEnd = text.lineEnd(keyOffset)
        for i in lineStart..<lineEnd where text[i] == 118 && isValueKey(i) { return true }
        let lineIndent = indentation(lineStart)
        let startsItem = text.byte(lineStart + lineIndent) == 45
        let keysIndent = startsItem ? lineIndent + 2 : lineIndent
        var cursor = lineEnd + 1
        for _ in 0..<12 where cursor < text.count {
            let end = text.lineEnd(cursor)
            let spaces = indentation(cursor)
            if cursor + spaces < end {
                if spaces < keysIndent { break }
                if spaces == keysIndent {
                    if text.byte(cursor + spaces) == 45 { break }
                    if isValueKey(cursor + spaces) { return true }
                }
            }
            cursor = end + 1
        }
        guard !startsItem else { return false }
        var previous = lineStart
        for _ in 0..<12 where previous > 0 {
            let start = text.lineStart(previous - 1)
            let spaces = indentation(start)
            if spaces < keysIndent {
                if spaces + 2 == keysIndent, text.byte(start + spaces) == 45, isValueKey(start + keysIndent) { return true }
                break
            }
            if spaces == keysIndent, isValueKey(start + keysIndent) { return true }
            previous = start
        }
        return false
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard let a = Assignment.parse(text, keywordAt: offset) else {
            if !sink.parseReasons.contains(.secretEnvName), Self.isEnvName(text, at: offset) { sink.parseReasons.insert(.secretEnvName) }
            return
        }
        for prior in Self.anchorBytes where text.find(prior, in: a.keyRange.lowerBound..<offset, ignoringCase: true) != nil {
            return
        }
        let keyClass = KeyName.classify(text.slice(a.keyRange))
        guard keyClass != .none else { return }
        if !a.quoted, text.isCode { return }
        var value = text.slice(a.valueRange)
        if sink.parseReasons.contains(.secretResource), value.count >= 8, value.count % 4 == 0,
           let decoded = Base64.decode(value), decoded.count >= 4, Base64.isText(decoded) {
            value = decoded
        }
        if let word = KeyName.words(text.slice(a.keyRange)).last, word.utf8.count >= 4,
           ValueJudge.lowercasedContains(value, Array(word.utf8)) {
            return
        }
        switch ValueJudge.judge(value, keyClass: keyClass) {
        case .secret:
            sink.emit(keyClass == .password ? Self.password : Self.secret, range: a.valueRange, secret: value, priority: .generic)
        case .defaultCredential:
            sink.emit(Self.defaultCredential, range: a.valueRange, secret: value, priority: .generic)
        case .placeholder, .notSecret:
            break
        }
    }
}

/// Defaults distinctive enough to report wherever they appear (docs, scripts), not only under a password key.
struct DistinctiveDefaultScanner: TextDetector {
    let id = "distinctive-default"
    let description = "Distinctive default passwords"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    let anchors = ["Harbor12345"]
    var priority: MatchPriority { .generic }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let end = offset + anchors[anchor].utf8.count
        guard text.boundaryBefore(offset), text.boundaryAfter(end) else { return }
        sink.emit(GenericAssignmentScanner.defaultCredential, range: offset..<end, secret: text.slice(offset..<end), priority: .generic)
    }
}
