import EskitCore
import EskitScan
import Foundation
import Testing

@Suite struct ConfigurationTests {
    func load(_ text: String) throws(ScanError) -> ScanConfiguration {
        try ScanConfiguration.parse(Array(text.utf8), file: ".eskit.yaml")
    }

    func error(_ text: String) -> String? {
        do {
            _ = try load(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func fullConfigurationLoadsAndApplies() throws {
        let config = try load(
            """
            disabledRules: [jwt]
            rules:
              - id: acme-token
                description: ACME API token
                severity: critical
                pattern: 'acme_([a-z0-9]{32})'
                keywords: [acme_]
                entropy: 3.0
            allowlist:
              paths: ['docs/**']
              values: ['/^ghp_0+$/']
            maxFileSize: 2048

            """)
        #expect(config.disabledRules == ["jwt"])
        #expect(config.customRules.map(\.id) == ["acme-token"])
        #expect(config.customRules[0].severity == .critical)
        #expect(config.pathAllowlist == ["docs/**"] && config.maxFileSize == 2048)
        let scanner = try Scanner(configuration: config)
        #expect(scanner.detectors.contains { $0.id == "acme-token" })
        #expect(!scanner.detectors.contains { $0.id == "jwt" })
        let body = Sample.string(32, from: Sample.lowerAlnum, seed: 5)
        let text = "key = \"acme_\(body)\"\njwt: \(jwtSample())\n"
        let findings = scanner.scan(ScanInput(path: "a.toml", text: text)).findings
        #expect(findings.map(\.ruleID) == ["acme-token"])
        #expect(findings.first?.secret.revealed == body)
        #expect(findings.first?.span.start.column == 13)
        #expect(scanner.scan(ScanInput(path: "big", bytes: [UInt8](repeating: 97, count: 4096))).skippedHuge == 1)
    }

    func jwtSample() -> String {
        let h = Sample.base64(of: "{\"alg\":\"HS256\"}").replacingOccurrences(of: "=", with: "")
        return h + "." + Sample.string(30, from: Sample.base64URL, seed: 1) + "."
            + Sample.string(43, from: Sample.base64URL, seed: 2)
    }

    @Test func errorsNameFileLineAndColumn() {
        #expect(
            error("disabledRules: [jwt]\nallowlist:\n  pathz: []\n")
                == ".eskit.yaml:3:3: error: allowlist.pathz: unknown field; did you mean `paths`?")
        #expect(error("maxFileSize: big\n") == ".eskit.yaml:1:14: error: maxFileSize: expected an integer")
        #expect(
            error("disabledRules: jwt\n") == ".eskit.yaml:1:16: error: disabledRules: expected a list, found a scalar")
        #expect(error("disabledRules: [jwt, nope]\n") == ".eskit.yaml:1:22: error: unknown rule id 'nope'")
        #expect(
            error("rules:\n  - id: x\n    pattern: 'a('\n    keywords: [ab]\n")
                == ".eskit.yaml:3:14: error: invalid regular expression in rule 'x'")
        #expect(
            error("rules:\n  - id: x\n    pattern: 'a'\n")
                == ".eskit.yaml:2:5: error: rules[0]: missing required field `keywords`")
        #expect(
            error("rules:\n  - id: jwt\n    pattern: a\n    keywords: [ab]\n")
                == ".eskit.yaml:2:9: error: rules[0].id: rule id 'jwt' is a built-in rule")
        #expect(
            error("rules: [{id: y, pattern: a, keywords: [ab], severity: huge}]\n")
                == ".eskit.yaml:1:55: error: rules[0].severity: severity must be one of info, low, medium, high, "
                + "critical"
        )
        #expect(error("a: [\n")?.hasPrefix(".eskit.yaml:2:1: error:") == true)
        #expect(error("maxFileSize: 0\n") == ".eskit.yaml:1:14: error: maxFileSize must be a positive integer (bytes)")
        #expect(
            error("rules:\n  - id: x\n    pattern: 'a'\n    keywords: [a]\n")
                == ".eskit.yaml:2:5: error: rule 'x' needs 'keywords': ASCII literals of at least two characters")
        #expect(
            error("colour: red\n")
                == ".eskit.yaml:1:1: error: colour: unknown field (expected: allowlist, disabledRules, enabledRules, "
                + "lint, "
                + "maxFileSize, rules)"
        )
    }

    @Test func enabledRulesRestrictBuiltIns() throws {
        let scanner = try Scanner(configuration: ScanConfiguration(enabledRules: ["github-pat"]))
        #expect(scanner.detectors.map(\.id) == ["github-pat"])
        let text = "a: \("ghp_" + Sample.string(36, seed: 3))\npassword: \(Scan.secret(12, seed: 4))\n"
        #expect(scanner.scan(ScanInput(path: "a.yaml", text: text)).findings.map(\.ruleID) == ["github-pat"])
        #expect(throws: ScanError.unknownRule("nope")) {
            try Scanner(configuration: ScanConfiguration(disabledRules: ["nope"]))
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: ScanError.io(path: "/nonexistent/.eskit.yaml", "cannot read file (No such file or directory)"))
        {
            try ScanConfiguration.load(path: "/nonexistent/.eskit.yaml")
        }
    }

    @Test func nonRegularFilesAreRead() throws {
        let empty = try ScanConfiguration.load(path: "/dev/null")
        #expect(empty.customRules.isEmpty && empty.disabledRules.isEmpty)
        #expect(try IgnoreFile.load(path: "/dev/null").fingerprints.isEmpty)
        #expect(throws: ScanError.self) { try ScanConfiguration.load(path: "/") }
    }
}

@Suite struct CustomRuleInCodeTests {
    @Test func invalidRulesBuiltInCodeAreErrors() {
        #expect(throws: ScanError.invalidRule(id: "x", "invalid regular expression")) {
            try Scanner(
                configuration: ScanConfiguration(customRules: [
                    CustomRule(id: "x", description: "X", pattern: "a(", keywords: ["ab"])
                ]))
        }
        #expect(throws: ScanError.invalidRule(id: "y", "custom rule needs keywords of at least two ASCII characters")) {
            try Scanner(
                configuration: ScanConfiguration(customRules: [
                    CustomRule(id: "y", description: "Y", pattern: "a", keywords: ["a"])
                ]))
        }
        #expect(throws: ScanError.invalidRule(id: "allowlist.values", "invalid regular expression")) {
            try ValuePattern("/a(/")
        }
    }
}
