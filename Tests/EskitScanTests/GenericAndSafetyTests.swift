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
                    #expect(!f.description.contains(raw) && !f.fingerprint.contains(raw) && !f.secret.preview.contains(raw))
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
        let text = "b: \("ghp_" + Sample.string(36, seed: 1))\npassword: \(Scan.secret(12, seed: 2))\nc: \("npm_" + Sample.string(36, seed: 3))\n"
        let f = Scan.run(text)
        #expect(f.map(\.span.start.line) == [1, 2, 3])
        #expect(f.map(\.ruleID) == ["github-pat", "generic-password", "npm-token"])
    }
}
