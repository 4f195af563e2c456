import EskitCore

/// `--format json`: `{ "tool", "version", "summary", "findings": [...] }` with a fixed field order per finding;
/// `summary.commits` and `summary.untrackedNotScanned` appear only when the scan counted them. The raw
/// `secret` appears only when `ReportOptions.showSecrets` is set.
public struct JSONReporter: Reporter {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ findings: [Finding], summary: ScanSummary) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("tool", "eskit")
        json.field("version", options.toolVersion)
        json.beginObject("summary")
        json.field("findings", findings.count)
        json.field("scanned", summary.scanned)
        if let commits = summary.commits { json.field("commits", commits) }
        json.field("skippedBinary", summary.skippedBinary)
        json.field("skippedHuge", summary.skippedHuge)
        if let untracked = summary.untrackedNotScanned { json.field("untrackedNotScanned", untracked) }
        json.field("incomplete", summary.isIncomplete)
        json.beginArray("notRead")
        for item in summary.notRead { json.field(nil, item) }
        json.endArray()
        json.beginObject("bySeverity")
        for severity in Severity.allCases.reversed() {
            json.field(severity.rawValue, findings.count(where: { $0.severity == severity }))
        }
        json.endObject()
        json.beginObject("byKind")
        for kind in [FindingKind.secret, .defaultCredential] {
            json.field(kind.rawValue, findings.count(where: { $0.kind == kind }))
        }
        json.endObject()
        json.endObject()
        json.beginArray("findings")
        for finding in findings.sorted(by: Finding.reportOrder) { write(finding, into: &json) }
        json.endArray()
        json.endObject()
        return json.output
    }

    private func write(_ f: Finding, into json: inout JSONWriter) {
        json.beginObject()
        json.field("ruleID", f.ruleID)
        json.field("description", f.description)
        json.field("severity", f.severity.rawValue)
        json.field("kind", f.kind.rawValue)
        json.field("file", f.file)
        json.field("startLine", f.span.start.line)
        json.field("startColumn", f.span.start.column)
        json.field("endLine", f.span.end.line)
        json.field("endColumn", f.span.end.column)
        if let commit = f.commit {
            json.field("commit", commit.id)
            json.field("author", commit.authorName)
            json.field("email", commit.authorEmail)
            json.field("date", UTCDate.iso8601(commit.date))
            json.field("summary", commit.summary)
        }
        json.beginArray("occurrences")
        for occurrence in f.occurrences {
            json.beginObject()
            json.field("commit", occurrence.commit)
            json.field("file", occurrence.path)
            json.endObject()
        }
        json.endArray()
        json.field("fingerprint", f.fingerprint)
        json.field("secretHash", f.secret.sha256)
        json.field("preview", f.secret.preview)
        if options.showSecrets { json.field("secret", f.secret.revealed) }
        json.endObject()
    }
}
