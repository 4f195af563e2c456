import EskitCore

/// `--format gitlab`: a GitLab secret-detection report (GitLab's `secret-detection-report-format.json`, schema
/// version `schemaVersion`), the file a `.gitlab-ci.yml` job hands to `artifacts: reports: secret_detection:` so
/// findings appear in merge requests and the vulnerability report.
///
/// Like SARIF it leaves the machine, so it carries nothing derived from a value: each vulnerability's `id` is the
/// location fingerprint the SARIF report uses (rule, file, commit and rank; see `LocationFingerprint`) written as a
/// UUID, and `tracking` holds the same fingerprint. No `raw_source_code_extract` (it would hold the value).
///
/// `location.commit.sha` is the commit a history finding was first added in; for work tree, staged and standard
/// input findings it is the commit HEAD named when the scan ran (`ScanSummary.headCommit`). Without one (a folder
/// outside any repository, an unborn branch) it is `0000000`, the placeholder GitLab's own secret-detection analyzer
/// writes when it has no commit. An incomplete scan (something could not be read) is `status: failure` with one
/// `warn` message per item not read.
public struct GitLabReporter: Reporter {
    /// The version of GitLab's report schema this report follows (vendored in `fixtures/gitlab/` for the tests).
    public static let schemaVersion = "15.2.1"
    /// The commit written when no commit is known.
    public static let unknownCommit = "0000000"
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ findings: [Finding], summary: ScanSummary) -> String {
        let sorted = findings.sorted(by: Finding.reportOrder)
        var json = JSONWriter()
        json.beginObject()
        json.field("version", Self.schemaVersion)
        json.beginObject("scan")
        for key in ["analyzer", "scanner"] {
            json.beginObject(key)
            json.field("id", "eskit")
            json.field("name", "eskit")
            json.field("url", SARIFReporter.informationURI)
            json.beginObject("vendor")
            json.field("name", "eskit")
            json.endObject()
            json.field("version", options.toolVersion)
            json.endObject()
        }
        json.field("type", "secret_detection")
        // Without measured times (a report rendered outside a scan) both are the epoch: the schema requires them.
        let start = summary.startedAt ?? summary.finishedAt ?? 0
        json.field("start_time", Self.time(start))
        json.field("end_time", Self.time(max(start, summary.finishedAt ?? start)))
        json.field("status", summary.isIncomplete ? "failure" : "success")
        if summary.isIncomplete {
            json.beginArray("messages")
            for item in summary.notRead {
                json.beginObject()
                json.field("level", "warn")
                json.field("value", "not read: \(item)")
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        json.beginArray("vulnerabilities")
        for (f, fingerprint) in zip(sorted, LocationFingerprint.of(sorted)) {
            write(f, fingerprint: fingerprint, head: summary.headCommit, into: &json)
        }
        json.endArray()
        json.endObject()
        return json.output
    }

    private func write(_ f: Finding, fingerprint: String, head: String?, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", Self.uuid(fingerprint))
        json.field("category", "secret_detection")
        json.field("name", f.description)
        var text =
            "\(f.description) (\(f.kind == .defaultCredential ? "default credential" : "secret") \(f.secret.preview))"
            + " in \(f.file) line \(f.span.start.line)"
        if options.showSecrets { text += ": \(f.secret.revealed)" }
        if let commit = f.commit { text += ", first added in commit \(commit.id.prefix(12)) by \(commit.authorName)" }
        if !f.occurrences.isEmpty {
            text += "; also in \(f.occurrences.count) later place\(f.occurrences.count == 1 ? "" : "s")"
        }
        json.field("description", text + ".")
        json.field("severity", Self.severity(f.severity))
        json.field("solution", SARIFReporter.help(f.kind))
        json.beginArray("identifiers")
        json.beginObject()
        json.field("type", "eskit_rule_id")
        json.field("name", "eskit rule \(f.ruleID)")
        json.field("value", f.ruleID)
        json.field("url", "\(SARIFReporter.informationURI)/blob/main/docs/detectors.md")
        json.endObject()
        json.endArray()
        json.beginObject("location")
        json.field("file", f.file)
        json.field("start_line", f.span.start.line)
        json.field("end_line", max(f.span.end.line, f.span.start.line))
        json.beginObject("commit")
        if let commit = f.commit {
            json.field("author", "\(commit.authorName) <\(commit.authorEmail)>")
            json.field("date", UTCDate.iso8601(commit.date))
            json.field("message", commit.summary)
            json.field("sha", commit.id)
        } else {
            json.field("sha", head.flatMap { $0.isEmpty ? nil : $0 } ?? Self.unknownCommit)
        }
        json.endObject()
        json.endObject()
        json.beginObject("tracking")
        json.field("type", "source")
        json.beginArray("items")
        json.beginObject()
        json.field("file", f.file)
        json.field("start_line", f.span.start.line)
        json.field("end_line", max(f.span.end.line, f.span.start.line))
        json.beginArray("signatures")
        json.beginObject()
        json.field("algorithm", "eskit-location-v1")
        json.field("value", fingerprint)
        json.endObject()
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        json.endObject()
    }

    /// GitLab's severities: `Critical`, `High`, `Medium`, `Low`, `Info`.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "Critical"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        case .info: "Info"
        }
    }

    /// `yyyy-mm-ddThh:mm:ss` in UTC, the form the schema's pattern requires (no zone suffix).
    static func time(_ seconds: Int64) -> String { String(UTCDate.iso8601(seconds).dropLast()) }

    /// 32 hex digits as a UUID (8-4-4-4-12), the form the schema recommends for `id`.
    static func uuid(_ hex: String) -> String {
        let digits = Array(hex)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if [8, 12, 16, 20].contains(index) { out += "-" }
            out.append(digit)
        }
        return out
    }
}
