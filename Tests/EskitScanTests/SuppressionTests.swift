import EskitCore
import EskitScan
import Foundation
import TestSupport
import Testing

@Suite struct SuppressionTests {
    let token = "ghp_" + Sample.string(36, seed: 77)

    @Test func inlineAllowSuppressesOnlyItsLine() {
        let text = "a: \(token) # eskit:allow\nb: \(token)\n"
        let result = Scan.scanner.scan(ScanInput(path: "x.yaml", text: text))
        #expect(result.findings.map(\.span.start.line) == [2])
        #expect(result.suppressed == 1)
    }

    @Test func ignoreFileParsesFingerprintsAndRejectsGarbage() throws {
        let finding = try #require(Scan.run("t: \(token)\n").first)
        let file = "# accepted\n\n\(finding.fingerprint)  # old test token\n"
        let ignore = try IgnoreFile.parse(Array(file.utf8), file: ".eskitignore")
        #expect(ignore.contains(finding))
        #expect(ignore.filter([finding]).isEmpty)
        #expect(
            throws: ScanError.invalid(
                SourceLocation(file: ".eskitignore", position: TextPosition(offset: 0, line: 2, column: 3)),
                "expected a finding fingerprint (32 lower-case hex digits)")
        ) {
            try IgnoreFile.parse(Array("\(finding.fingerprint)\n  not-a-fingerprint\n".utf8), file: ".eskitignore")
        }
    }

    @Test func baselineRoundTripsAndMatchesMovedFiles() throws {
        let original = Scan.run("t: \(token)\n", path: "a/config.yaml")
        let moved = Scan.run("\n\nt: \(token)\n", path: "b/renamed.yaml")
        let other = Scan.run("t: \("ghp_" + Sample.string(36, seed: 78))\n", path: "a/config.yaml")
        let baseline = Baseline(findings: original)
        let folder = try Fixtures.temporaryFolderPath()
        let path = folder + "/baseline.json"
        try baseline.write(to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!written.contains(token))
        let loaded = try Baseline.load(path: path)
        #expect(loaded == baseline)
        #expect(loaded.newFindings(original).isEmpty)
        #expect(loaded.newFindings(moved).isEmpty)
        #expect(loaded.newFindings(other).count == 1)
    }

    @Test func brokenBaselineNamesFileLineColumn() {
        let text =
            "{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"x\", \"rule\": 3, \"oops\": \"y\"}\n  "
            + "]\n}\n"
        #expect(
            throws: ScanError.invalid(
                SourceLocation(file: "b.json", position: TextPosition(offset: 70, line: 4, column: 37)),
                "unknown key 'oops' (expected fingerprint, rule, file, secretHash)")
        ) {
            try Baseline.parse(Array(text.utf8), file: "b.json")
        }
        #expect(throws: ScanError.self) { try Baseline.parse(Array("{\"findings\": [".utf8), file: "b.json") }
    }

    @Test func valueAndPathAllowlists() throws {
        let config = ScanConfiguration(pathAllowlist: ["docs/**", "*.lock"], valueAllowlist: [try ValuePattern(token)])
        let scanner = try Scanner(configuration: config)
        #expect(scanner.scan(ScanInput(path: "docs/a/b.md", text: "t: \(token)\n")).skippedAllowlisted == 1)
        #expect(scanner.scan(ScanInput(path: "deep/x.lock", text: "t: \(token)\n")).skippedAllowlisted == 1)
        let r = scanner.scan(ScanInput(path: "src/a.yaml", text: "t: \(token)\n"))
        #expect(r.findings.isEmpty && r.suppressed == 1)
        let regex = try Scanner(configuration: ScanConfiguration(valueAllowlist: [try ValuePattern("/^ghp_/")]))
        #expect(regex.scan(ScanInput(path: "a.yaml", text: "t: \(token)\n")).findings.isEmpty)
    }

    @Test func globs() {
        #expect(Glob("*.md").matches("a/b/README.md"))
        #expect(!Glob("/*.md").matches("a/README.md"))
        #expect(Glob("charts/**/values.yaml").matches("charts/x/y/values.yaml"))
        #expect(Glob("charts/**/values.yaml").matches("charts/values.yaml"))
        #expect(Glob("vendor/").matches("vendor/a/b.go"))
        #expect(Glob("test?.[ab]").matches("test1.a") && !Glob("test?.[ab]").matches("test1.c"))
        #expect(!Glob("src/*.go").matches("src/a/b.go"))
    }

    @Test func stagedModeReportsOnlyAddedLines() {
        let text = "a: \(token)\nb: \("ghp_" + Sample.string(36, seed: 79))\n"
        #expect(Scan.run(text, addedLines: [2]).map(\.span.start.line) == [2])
        #expect(Scan.run(text, addedLines: []).isEmpty)
        #expect(Scan.run(text).count == 2)
    }
}

extension Fixtures {
    static func temporaryFolderPath() throws -> String { try temporaryFolder("eskit-scan").path }
}
