import EskitCore
import Foundation
import Testing

@testable import EskitReport

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ReporterTests {
    let findings = ReportFixtures.findings
    let summary = ReportFixtures.summary
    let options = ReportOptions(toolVersion: "1.2.3")

    @Test(arguments: [("text", "text.txt"), ("json", "report.json"), ("sarif", "report.sarif"), ("junit", "junit.xml")])
    func goldenReports(format: String, file: String) throws {
        let output = ReportFormat(rawValue: format)!.reporter(options).render(findings, summary: summary)
        try ReportFixtures.expectGolden(output, file)
        for raw in ReportFixtures.rawSecrets { #expect(!output.contains(raw), "\(format) leaks a secret") }
    }

    /// Reports that leave the machine (SARIF to code scanning, JUnit to CI, GitLab to merge requests) hold nothing
    /// derived from a value that could be brute-forced: no SHA-256 of it (hex or base64), no fingerprint built from
    /// that hash.
    @Test(arguments: ReportFormat.allCases.filter(\.leavesTheMachine).map(\.rawValue))
    func sharedReportsHoldNoValueDerivedHash(format: String) throws {
        let output = ReportFormat(rawValue: format)!.reporter(options).render(findings, summary: summary)
        for finding in findings {
            let digest = SHA256.hash(finding.secret.revealedBytes)
            for form in [
                finding.secret.sha256, finding.secret.sha256.uppercased(), Data(digest).base64EncodedString(),
                String(finding.secret.sha256.prefix(32)), finding.fingerprint,
            ] {
                #expect(!output.contains(form), "\(format) holds \(form.prefix(8))… of \(finding.ruleID)")
            }
        }
    }

    /// The SARIF fingerprint follows the place: the same findings on moved lines keep it, another file changes it.
    @Test func sarifFingerprintsFollowThePlaceNotTheValue() throws {
        func fingerprints(_ findings: [Finding]) throws -> [String] {
            let text = SARIFReporter(options: options).render(findings, summary: summary)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let results = ((json["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
            return results.compactMap { ($0["partialFingerprints"] as? [String: String])?["eskitLocation/v1"] }
        }
        let base = try fingerprints(findings)
        #expect(base.count == findings.count && Set(base).count == base.count)
        let moved = findings.map { f -> Finding in
            var copy = f
            copy.span = ReportFixtures.span(f.span.start.line + 5, f.span.start.column, length: 3)
            return copy
        }
        #expect(try fingerprints(moved) == base)
        let otherValue = findings.map { f -> Finding in
            Finding(
                ruleID: f.ruleID, description: f.description, severity: f.severity, kind: f.kind, file: f.file,
                span: f.span, secret: RedactedSecret("other-" + f.secret.sha256.prefix(6)), commit: f.commit)
        }
        #expect(try fingerprints(otherValue) == base, "the value plays no part")
        var renamed = findings
        renamed[0].file = "apps/other.yaml"
        #expect(Set(try fingerprints(renamed)).subtracting(base).count == 1, "only the moved file's finding changes")
    }

    @Test func colouredTextGolden() throws {
        var coloured = options
        coloured.color = true
        let output = TextReporter(options: coloured).render(findings, summary: summary)
        #expect(output.contains("\u{1B}["))
        try ReportFixtures.expectGolden(output, "text-color.txt")
    }

    @Test func cleanReports() throws {
        let clean = ScanSummary(scanned: 3)
        try ReportFixtures.expectGolden(TextReporter(options: options).render([], summary: clean), "text-clean.txt")
        try ReportFixtures.expectGolden(JUnitReporter(options: options).render([], summary: clean), "junit-clean.xml")
        let sarif = try parse(SARIFReporter(options: options).render([], summary: clean))
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        #expect((run["results"] as? [Any])?.isEmpty == true)
    }

    @Test func untrackedCountIsReportedOnlyWhenCounted() throws {
        for (count, expected) in [(5, 5), (0, 0)] as [(Int, Int)] {
            let counted = ScanSummary(scanned: 3, untrackedNotScanned: count)
            let json = try parse(JSONReporter(options: options).render(findings, summary: counted))
            #expect((json["summary"] as? [String: Any])?["untrackedNotScanned"] as? Int == expected)
            let sarif = try parse(SARIFReporter(options: options).render([], summary: counted))
            let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
            #expect((run["properties"] as? [String: Any])?["untrackedNotScanned"] as? Int == expected)
        }
        let uncounted = ScanSummary(scanned: 3, commits: 7)
        let json = try parse(JSONReporter(options: options).render(findings, summary: uncounted))
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["untrackedNotScanned"] == nil)
        #expect(summary["commits"] as? Int == 7)
        let sarif = try parse(SARIFReporter(options: options).render(findings, summary: uncounted))
        #expect((sarif["runs"] as? [[String: Any]])?.first?["properties"] == nil, "no empty property bag")
    }

    @Test(arguments: ReportFormat.allCases)
    func showSecretsRevealsOnlyWhenAsked(format: ReportFormat) {
        let shown = format.reporter(ReportOptions(showSecrets: true)).render(findings, summary: summary)
        let hidden = format.reporter(ReportOptions(showSecrets: false)).render(findings, summary: summary)
        #expect(shown.contains(ReportFixtures.githubToken))
        for raw in ReportFixtures.rawSecrets { #expect(!hidden.contains(raw)) }
    }

    @Test func jsonHasStableFieldOrderAndParses() throws {
        let text = JSONReporter(options: options).render(findings, summary: summary)
        let root = try parse(text)
        let list = try #require(root["findings"] as? [[String: Any]])
        #expect(list.count == 4)
        #expect(
            list.map { $0["file"] as? String } == [
                "apps/db/secret.yaml", "apps/db/secret.yaml",
                "apps/harbor/init job.yaml", "runner/config.env",
            ])
        let pat = try #require(list.last)
        #expect(pat["commit"] as? String == "0123456789abcdef0123456789abcdef01234567")
        #expect(pat["date"] as? String == "2024-01-01T00:00:00Z")
        #expect(pat["secretHash"] as? String == SHA256.hex(Array(ReportFixtures.githubToken.utf8)))
        #expect(pat["secret"] == nil)
        let keys = [
            "\"ruleID\"", "\"description\"", "\"severity\"", "\"kind\"", "\"file\"", "\"startLine\"",
            "\"startColumn\"", "\"endLine\"", "\"endColumn\"", "\"commit\"", "\"author\"", "\"email\"",
            "\"date\"", "\"summary\"", "\"occurrences\"", "\"fingerprint\"", "\"secretHash\"", "\"preview\"",
        ]
        let lastObject = String(text[text.range(of: "\"ruleID\": \"github-pat\"")!.lowerBound...])
        let offsets: [Int] = keys.map { key in
            lastObject.range(of: key).map { lastObject.distance(from: lastObject.startIndex, to: $0.lowerBound) } ?? -1
        }
        #expect(!offsets.contains(-1))
        #expect(offsets == offsets.sorted())
    }

    @Test func sarifHasWhatGitHubRequires() throws {
        let root = try parse(SARIFReporter(options: options).render(findings, summary: summary))
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "eskit")
        #expect(driver["version"] as? String == "1.2.3")
        #expect(driver["informationUri"] as? String != nil)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(
            rules.map { $0["id"] as? String } == [
                "generic-password", "github-pat", "harbor-admin-password",
                "kubernetes-secret-data",
            ])
        for rule in rules {
            #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
            #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] is String)
            #expect(
                ((rule["help"] as? [String: Any])?["text"] as? String)?.contains("rotate") == true
                    || ((rule["help"] as? [String: Any])?["text"] as? String)?.contains("Change the credential") == true
            )
            let score = try #require((rule["properties"] as? [String: Any])?["security-severity"] as? String)
            #expect(Double(score) != nil)
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for result in results {
            let id = try #require(result["ruleId"] as? String)
            #expect(rules[try #require(result["ruleIndex"] as? Int)]["id"] as? String == id)
            #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
            #expect((result["message"] as? [String: Any])?["text"] is String)
            let physical = try #require(
                ((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] is String)
            let region = try #require(physical["region"] as? [String: Any])
            for key in ["startLine", "startColumn", "endLine", "endColumn"] { #expect(region[key] is Int) }
            #expect((result["partialFingerprints"] as? [String: Any])?.isEmpty == false)
        }
        #expect(SARIFReporter.uri("apps/harbor/init job.yaml") == "apps/harbor/init%20job.yaml")
    }

    @Test func junitIsWellFormedAndEscaped() throws {
        let xml = JUnitReporter(options: options).render(findings, summary: summary)
        let document = try XMLDocument(xmlString: xml)
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 4)
        #expect(try document.nodes(forXPath: "//failure").count == 4)
        #expect(xml.contains("Password &lt;assignment&gt; &amp; &quot;quotes&quot;"))
        #expect(JUnitReporter.escape("a\u{1}b") == "a\u{FFFD}b")
    }

    @Test func colorModeResolution() {
        #expect(ColorMode.auto.enabled(isTerminal: true, environment: [:]))
        #expect(!ColorMode.auto.enabled(isTerminal: false, environment: [:]))
        #expect(!ColorMode.auto.enabled(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ColorMode.auto.enabled(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!ColorMode.auto.enabled(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(ColorMode.always.enabled(isTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ColorMode.never.enabled(isTerminal: true, environment: [:]))
    }

    @Test func utcDates() {
        #expect(UTCDate.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(UTCDate.iso8601(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(UTCDate.iso8601(1_709_251_199) == "2024-02-29T23:59:59Z")
        #expect(UTCDate.iso8601(-1) == "1969-12-31T23:59:59Z")
    }

    @Test func jsonEscaping() {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.field("k\u{2028}", "a\"b\\c\n\u{1}é")
        writer.endObject()
        let expected = "{\"k\\u2028\":\"a\\\"b\\\\c\\n\\u0001é\"}"
        #expect(writer.output == expected, "keys and values go through JSONString.quote")
    }

    private func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
