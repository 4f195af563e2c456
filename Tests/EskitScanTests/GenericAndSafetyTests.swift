import EskitCore
import EskitScan
import Testing

@Suite struct GenericAndSafetyTests {
    @Test func assignmentsAcrossFormats() {
        let p = Scan.secret(14, seed: 31)
        let cases: [(path: String, text: String, line: Int, column: Int)] = [
            ("app.env", "# comment\nDB_PASSWORD=\(p)\n", 2, 13),
            ("run.sh", "export API_TOKEN=\"\(p)\"\n", 1, 19),
            ("config.toml", "[db]\npassword = '\(p)'\n", 2, 13),
            ("app.ini", "[auth]\nclient_secret=\(p)\n", 2, 15),
            ("settings.json", "{\"db\": {\"password\": \"\(p)\"}}", 1, 22),
            ("values.yaml", "postgresql:\n  auth:\n    postgresPassword: \(p)\n", 3, 23),
            ("README.md", "Set it:\n\n```bash\nexport SECRET_KEY=\(p)\n```\n", 4, 19),
            ("main.go", "var password = \"\(p)\"\n", 1, 17),
        ]
        for c in cases {
            let f = Scan.run(c.text, path: c.path)
            #expect(f.count == 1, "\(c.path): \(f.map(\.ruleID))")
            guard let first = f.first else { continue }
            #expect(first.secret.revealed == p, "\(c.path)")
            #expect(first.span.start.line == c.line && first.span.start.column == c.column, "\(c.path): \(first.span)")
            #expect(first.span.end.column == c.column + p.count, "\(c.path)")
        }
    }

    @Test func placeholdersAndReferencesAreNotFindings() {
        let text = """
            password: changeme
            password: "<TOKEN>"
            token: ${GITHUB_TOKEN}
            token: $(cat /run/secrets/token)
            secret: "{{ .Values.secret }}"
            api_key: xxxxxxxxxxxxxxxxxxxx
            api_key: your-api-key-here
            password: REDACTED
            password: "***"
            password: ""
            password:
            client_secret: example-client-secret-value
            password: dummy-password-for-tests
            secretName: db-credentials
            tokenUrl: https://login.example.org/oauth/token
            passwordFile: /run/secrets/db
            existingSecret: postgres-auth
            auth: true
            key: app.kubernetes.io/name
            password: !vault |
              $ANSIBLE_VAULT;1.1;AES256

            """
        #expect(Scan.run(text, path: "values.yaml").isEmpty)
        #expect(Scan.run("password = getenv(\"DB_PASSWORD\")\nself.token = token\n", path: "app.py").isEmpty)
    }

    @Test func findingsNeverCarryTheRawValueInText() {
        for detector in BuiltInDetectors.all {
            for example in detector.positiveExamples {
                for f in Scan.run(example.text, path: example.path) {
                    let raw = f.secret.revealed
                    guard raw.count >= 8 else { continue }
                    #expect(!String(describing: f).contains(raw), "\(f.ruleID)")
                    #expect(!String(reflecting: f).contains(raw), "\(f.ruleID)")
                    #expect(
                        !f.description.contains(raw) && !f.fingerprint.contains(raw) && !f.secret.preview.contains(raw))
                    #expect(f.secret.preview.count <= 4)
                }
            }
        }
    }

    @Test func scanningFromManyThreadsGivesTheSameResults() async {
        let inputs = BuiltInDetectors.all.flatMap(\.positiveExamples).map { ScanInput(path: $0.path, text: $0.text) }
        let serial = inputs.map { Scan.scanner.scan($0).findings }
        let scanner = Scan.scanner
        let parallel = await withTaskGroup(of: (Int, [Finding]).self) { group in
            for (i, input) in inputs.enumerated() { group.addTask { (i, scanner.scan(input).findings) } }
            var out = [[Finding]](repeating: [], count: inputs.count)
            for await (i, f) in group { out[i] = f }
            return out
        }
        #expect(parallel == serial)
        #expect(serial.allSatisfy { !$0.isEmpty })
    }

    @Test func findingsAreSortedByPosition() {
        let text =
            "b: \("ghp_" + Sample.string(36, seed: 1))\npassword: \(Scan.secret(12, seed: 2))\nc: "
            + "\("npm_" + Sample.string(36, seed: 3))\n"
        let f = Scan.run(text)
        #expect(f.map(\.span.start.line) == [1, 2, 3])
        #expect(f.map(\.ruleID) == ["github-pat", "generic-password", "npm-token"])
    }
}

@Suite struct RobustnessTests {
    @Test func crlfAndBOMFiles() {
        let p = Scan.secret(14, seed: 61)
        let text = "\u{FEFF}apiVersion: v1\r\nkind: Secret\r\nstringData:\r\n  password: \(p)\r\n"
        let f = Scan.run(text)
        #expect(f.map(\.ruleID) == ["kubernetes-secret-stringdata"])
        #expect(f.first?.secret.revealed == p && f.first?.span.start.line == 4 && f.first?.span.start.column == 13)
        let env = Scan.run("A=1\r\nDB_PASSWORD=\(p)\r\n", path: ".env")
        #expect(env.first?.secret.revealed == p)
    }

    @Test func invalidUTF8AndTruncatedInputDoNotCrash() {
        var bytes = Array("password: ".utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array(" ghp_".utf8)
        bytes += Array(repeating: 0x41, count: 20)
        _ = Scan.scanner.scan(ScanInput(path: "x.yaml", bytes: bytes))
        for cut in 0..<60 {
            let text =
                "apiVersion: v1\nkind: Secret\ndata:\n  password: \(Sample.base64(of: Scan.secret(14, seed: 3)))\n"
            _ = Scan.scanner.scan(ScanInput(path: "x.yaml", bytes: Array(Array(text.utf8).prefix(cut))))
        }
        #expect(Scan.scanner.scan(ScanInput(path: "x", bytes: [])).findings.isEmpty)
    }

    @Test func nonUTF8TextStillScansTokens() {
        let token = "ghp_" + Sample.string(36, seed: 62)
        let bytes: [UInt8] = [0xE9, 0x20] + Array("t: \(token)\n".utf8)
        let f = Scan.scanner.scan(ScanInput(path: "latin1.txt", bytes: bytes)).findings
        #expect(f.map(\.ruleID) == ["github-pat"])
    }
}

@Suite struct PathologicalInputTests {
    @Test(arguments: [
        "password=", "-----BEGIN ", " curl -u a:b ", "--from-literal=a=b secret kubectl ", "cloudflare ", "eyJhbGciOi.",
        "://u:p@",
    ])
    func longSingleLineOfRepeatedAnchorsFinishes(unit: String) {
        let text = String(repeating: unit, count: 400_000 / unit.count)
        let result = Scan.scanner.scan(ScanInput(path: "min.js", text: text))
        #expect(result.bytesScanned == text.utf8.count)
    }
}
