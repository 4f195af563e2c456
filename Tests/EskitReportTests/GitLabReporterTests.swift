import EskitCore
import Foundation
import TestSupport
import Testing

@testable import EskitReport

/// `--format gitlab` against GitLab's own published schema (vendored in fixtures/gitlab/ with its licence), the
/// commit every vulnerability names, and the fingerprint that follows the place, never the value.
@Suite struct GitLabReporterTests {
    static let schema = Fixtures.url("gitlab/\(GitLabReporter.schemaVersion)/secret-detection-report-format.json")
    static let head = "fedcba9876543210fedcba9876543210fedcba98"
    let options = ReportOptions(toolVersion: "1.2.3")
    var summary: ScanSummary {
        var s = ReportFixtures.summary
        s.startedAt = 1_767_225_600
        s.finishedAt = 1_767_225_603
        s.headCommit = Self.head
        return s
    }

    private func render(_ findings: [Finding], _ summary: ScanSummary) -> String {
        GitLabReporter(options: options).render(findings, summary: summary)
    }

    private func vulnerabilities(_ text: String) throws -> [[String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(root["vulnerabilities"] as? [[String: Any]])
    }

    @Test func golden() throws {
        let output = render(ReportFixtures.findings, summary)
        try ReportFixtures.expectGolden(output, "gitlab.json")
        for raw in ReportFixtures.rawSecrets { #expect(!output.contains(raw), "the GitLab report leaks a secret") }
    }

    @Test func theVendoredSchemaIsTheVersionTheReportDeclares() throws {
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schema)) as? [String: Any])
        #expect((schema["self"] as? [String: Any])?["version"] as? String == GitLabReporter.schemaVersion)
        #expect(((schema["properties"] as? [String: Any])?["scan"]) != nil)
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(render([], summary).utf8)) as? [String: Any])
        #expect(root["version"] as? String == GitLabReporter.schemaVersion)
    }

    /// Findings, no findings, an incomplete scan and a scan outside any repository all validate against GitLab's
    /// schema with a real JSON Schema validator; a report missing what the schema requires does not, so the check
    /// can fail.
    @Test(.enabled(if: JSONSchemaCheck.python != nil, "python3 is not installed (needed for jsonschema)"))
    func reportsValidateAgainstGitLabsSchema() throws {
        var incomplete = summary
        incomplete.notRead = ["blob 0123456789ab of apps/x.yaml: object not found"]
        var outside = summary
        outside.headCommit = nil
        outside.startedAt = nil
        outside.finishedAt = nil
        for (name, text) in [
            ("findings", render(ReportFixtures.findings, summary)), ("clean", render([], summary)),
            ("incomplete", render(ReportFixtures.findings, incomplete)),
            ("outside a repository", render(ReportFixtures.findings, outside)),
        ] {
            let problems = try JSONSchemaCheck.problems(document: text, schema: Self.schema)
            #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "\n"))")
        }
        // The validator does reject what GitLab would: no scan type, a zone suffix on the time, a bad severity, no
        // commit.
        let good = render(ReportFixtures.findings, summary)
        for (change, broken) in [
            ("scan type", good.replacingOccurrences(of: "\"type\": \"secret_detection\",", with: "")),
            ("start_time", good.replacingOccurrences(of: "\"2026-01-01T00:00:00\"", with: "\"2026-01-01T00:00:00Z\"")),
            ("severity", good.replacingOccurrences(of: "\"severity\": \"High\"", with: "\"severity\": \"high\"")),
            ("commit", good.replacingOccurrences(of: "\"sha\": \"\(Self.head)\"", with: "\"sha\": \"\"")),
        ] {
            #expect(broken != good, "\(change): the mutation changed nothing")
            let problems = try JSONSchemaCheck.problems(document: broken, schema: Self.schema)
            #expect(!problems.isEmpty, "a report with a broken \(change) passed the schema")
        }
    }

    /// A history finding names the commit that added it; a work tree finding names HEAD, and without a HEAD the
    /// documented placeholder.
    @Test func everyVulnerabilityNamesItsCommit() throws {
        let findings = ReportFixtures.findings
        let historic = try #require(findings.first { $0.commit != nil })
        func commits(_ summary: ScanSummary) throws -> [String: String] {
            var byFile: [String: String] = [:]
            for v in try vulnerabilities(render(findings, summary)) {
                let location = try #require(v["location"] as? [String: Any])
                let sha = try #require((location["commit"] as? [String: Any])?["sha"] as? String)
                byFile[try #require(location["file"] as? String), default: ""] += sha
            }
            return byFile
        }
        let withHead = try commits(summary)
        #expect(withHead[historic.file] == historic.commit?.id)
        #expect(withHead["apps/harbor/init job.yaml"] == Self.head)
        var noHead = summary
        noHead.headCommit = nil
        let without = try commits(noHead)
        #expect(without[historic.file] == historic.commit?.id)
        #expect(without["apps/harbor/init job.yaml"] == GitLabReporter.unknownCommit)
    }

    @Test func anIncompleteScanIsAFailureThatNamesWhatWasNotRead() throws {
        var incomplete = summary
        incomplete.notRead = ["refs/heads/broken: object not found"]
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(render([], incomplete).utf8)) as? [String: Any])
        let scan = try #require(root["scan"] as? [String: Any])
        #expect(scan["status"] as? String == "failure")
        let messages = try #require(scan["messages"] as? [[String: String]])
        #expect(messages == [["level": "warn", "value": "not read: refs/heads/broken: object not found"]])
        let clean = try #require(
            try JSONSerialization.jsonObject(with: Data(render([], summary).utf8)) as? [String: Any])
        #expect((clean["scan"] as? [String: Any])?["status"] as? String == "success")
        #expect((clean["scan"] as? [String: Any])?["start_time"] as? String == "2026-01-01T00:00:00")
        #expect((clean["scan"] as? [String: Any])?["end_time"] as? String == "2026-01-01T00:00:03")
    }

    /// The id follows rule, file, commit and rank: moved lines and another value keep it, another file changes it,
    /// and it is the SARIF report's location fingerprint (one identity across both reports).
    @Test func idsFollowThePlaceNotTheValue() throws {
        let findings = ReportFixtures.findings
        func ids(_ findings: [Finding]) throws -> [String] {
            try vulnerabilities(render(findings, summary)).map { try #require($0["id"] as? String) }
        }
        let base = try ids(findings)
        #expect(base.count == findings.count && Set(base).count == base.count)
        #expect(
            base.allSatisfy {
                $0.range(of: #"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil
            })
        let moved = findings.map { f -> Finding in
            var copy = f
            copy.span = ReportFixtures.span(f.span.start.line + 9, f.span.start.column, length: 4)
            return copy
        }
        #expect(try ids(moved) == base)
        let otherValue = findings.map { f -> Finding in
            Finding(
                ruleID: f.ruleID, description: f.description, severity: f.severity, kind: f.kind, file: f.file,
                span: f.span, secret: RedactedSecret("different-" + f.secret.sha256.suffix(7)), commit: f.commit)
        }
        #expect(try ids(otherValue) == base, "the value plays no part")
        var renamed = findings
        renamed[0].file = "apps/elsewhere.yaml"
        #expect(Set(try ids(renamed)).subtracting(base).count == 1)

        let sarif = SARIFReporter(options: options).render(findings, summary: summary)
        for id in base { #expect(sarif.contains("\"\(id.replacingOccurrences(of: "-", with: ""))\"")) }
    }
}
