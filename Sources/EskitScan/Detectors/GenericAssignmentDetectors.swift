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
            DetectorExample("- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n"),
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
    let anchors = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds"]
    var anchorsIgnoreCase: Bool { true }
    var priority: MatchPriority { .generic }

    static let anchorBytes = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds"].map { Array($0.utf8) }
    static let password = RuleInfo(GenericPasswordDetector())
    static let secret = RuleInfo(GenericSecretDetector())
    static let defaultCredential = RuleInfo(DefaultCredentialDetector())

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard let a = Assignment.parse(text, keywordAt: offset) else { return }
        for prior in Self.anchorBytes where text.find(prior, in: a.keyRange.lowerBound..<offset, ignoringCase: true) != nil {
            return
        }
        let keyClass = KeyName.classify(text.slice(a.keyRange))
        guard keyClass != .none else { return }
        if !a.quoted, Assignment.isCodeFile(text.path) { return }
        let value = text.slice(a.valueRange)
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
