import EskitCore
import EskitReport
import Foundation
import TestSupport
import Testing

/// Findings for reporter tests. Secret values are assembled here at run time; goldens hold only previews/hashes.
enum ReportFixtures {
    static let githubToken = "ghp_" + String(repeating: "Xy7Q", count: 9)
    static let harborDefault = "Harbor" + "12345"
    static let awsSecret = String(repeating: "wJalr", count: 8)
    static let quotedValue = "p<a&s\"s'w>" + "ord-1234"
    static var rawSecrets: [String] { [githubToken, harborDefault, awsSecret, quotedValue] }

    static func span(_ line: Int, _ column: Int, length: Int) -> TextSpan {
        TextSpan(
            start: TextPosition(offset: 0, line: line, column: column),
            end: TextPosition(offset: length, line: line, column: column + length))
    }

    static var findings: [Finding] {
        let commit = CommitInfo(
            id: "0123456789abcdef0123456789abcdef01234567", authorName: "Dev Eloper",
            authorEmail: "dev@example.invalid", date: 1_704_067_200, summary: "Add runner config")
        return [
            Finding(
                ruleID: "kubernetes-secret-data", description: "Kubernetes Secret data value",
                severity: .high, file: "apps/db/secret.yaml", span: span(7, 12, length: 40),
                secret: RedactedSecret(awsSecret)),
            Finding(
                ruleID: "github-pat", description: "GitHub personal access token", severity: .critical,
                file: "runner/config.env", span: span(3, 14, length: 40), secret: RedactedSecret(githubToken),
                commit: commit,
                occurrences: [Occurrence(commit: "89abcdef0123456789abcdef0123456789abcdef", path: "runner/old.env")]),
            Finding(
                ruleID: "harbor-admin-password", description: "Harbor admin password (well-known default)",
                severity: .high, kind: .defaultCredential, file: "apps/harbor/init job.yaml",
                span: span(21, 20, length: 11), secret: RedactedSecret(harborDefault)),
            Finding(
                ruleID: "generic-password", description: "Password <assignment> & \"quotes\"",
                severity: .medium, file: "apps/db/secret.yaml", span: span(3, 13, length: 18),
                secret: RedactedSecret(quotedValue)),
        ]
    }

    static let summary = ScanSummary(scanned: 12, skippedBinary: 2, skippedHuge: 1, untrackedNotScanned: 5)

    /// Compares `actual` with `fixtures/expected/reports/<name>`; `ESKIT_RECORD=1` rewrites the file and fails.
    static func expectGolden(
        _ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        try Golden.check(actual, against: Fixtures.url("expected/reports/\(name)"), sourceLocation: sourceLocation)
    }
}
