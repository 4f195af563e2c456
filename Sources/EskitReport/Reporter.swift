import EskitCore

/// Turns a scan's findings into one document (text, JSON, SARIF, JUnit). Reporters never print; they return
/// bytes the caller writes (stdout or `--output` through `AtomicFile`).
public protocol Reporter: Sendable {
    /// Renders `findings` (in any order: reporters sort them by file, line, column, rule) and `summary`.
    func render(_ findings: [Finding], summary: ScanSummary) -> String
}

/// What every reporter may be told about how to render.
public struct ReportOptions: Sendable, Hashable {
    /// Print the raw secret values. Only behind an explicit user flag (`--show-secrets`).
    public var showSecrets: Bool
    /// ANSI colours (text reporter only); resolve with `ColorMode.enabled(isTerminal:environment:)`.
    public var color: Bool
    /// The version written into machine-readable reports.
    public var toolVersion: String

    public init(showSecrets: Bool = false, color: Bool = false, toolVersion: String = EskitVersion.string) {
        self.showSecrets = showSecrets
        self.color = color
        self.toolVersion = toolVersion
    }
}

/// Counts about the scan itself, shown beside the findings.
public struct ScanSummary: Sendable, Hashable {
    /// Files (work tree, staged) or distinct blobs (history) that were read and scanned.
    public var scanned: Int
    /// Commits walked (history scans), nil otherwise.
    public var commits: Int?
    /// Files skipped because they look binary (archives included; they are never opened).
    public var skippedBinary: Int
    /// Files skipped because they exceed the size limit.
    public var skippedHuge: Int
    /// Untracked files (not ignored by `.gitignore`) under the scanned path that a work tree scan without
    /// `--untracked` counted but did not read; nil when not counted (other sources, `--untracked`, no repository).
    public var untrackedNotScanned: Int?
    /// What could not be read (objects, refs, files, folders), one line each: the scan is incomplete and never
    /// reported as clean.
    public var notRead: [String]
    /// When the scan started and finished (Unix seconds, UTC); nil when not measured. The GitLab report needs both.
    public var startedAt: Int64?
    public var finishedAt: Int64?
    /// The commit HEAD named when the scan ran (40 hex digits); nil outside a repository or on an unborn branch.
    /// Reports that need a commit for work tree, staged or standard input findings (GitLab) use it.
    public var headCommit: String?

    public init(
        scanned: Int = 0, commits: Int? = nil, skippedBinary: Int = 0, skippedHuge: Int = 0,
        untrackedNotScanned: Int? = nil, notRead: [String] = [], startedAt: Int64? = nil, finishedAt: Int64? = nil,
        headCommit: String? = nil
    ) {
        self.scanned = scanned
        self.commits = commits
        self.skippedBinary = skippedBinary
        self.skippedHuge = skippedHuge
        self.untrackedNotScanned = untrackedNotScanned
        self.notRead = notRead
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.headCommit = headCommit
    }

    /// True when something could not be read.
    public var isIncomplete: Bool { !notRead.isEmpty }
}

/// The report formats `eskit scan --format` offers.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, sarif, junit, gitlab

    /// The reporter for this format.
    public func reporter(_ options: ReportOptions) -> any Reporter {
        switch self {
        case .text: TextReporter(options: options)
        case .json: JSONReporter(options: options)
        case .sarif: SARIFReporter(options: options)
        case .junit: JUnitReporter(options: options)
        case .gitlab: GitLabReporter(options: options)
        }
    }

    /// Whether the report goes to other people (code scanning, CI, merge requests): such reports carry no hash of a
    /// value. The JSON report keeps `secretHash` and is written for its owner only.
    public var leavesTheMachine: Bool { self == .sarif || self == .junit || self == .gitlab }
}

/// `--color auto|always|never`.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never

    /// Whether to colour: `always` and `never` decide alone; `auto` colours a terminal unless `NO_COLOR` is set
    /// (to anything non-empty) or `TERM` is `dumb`.
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isTerminal
        }
    }
}

/// The fingerprint reports that leave the machine (SARIF, GitLab) track a finding by, built only from where the
/// finding is: its rule, its file (and commit, for history) and its rank among that rule's findings in that file.
/// Nothing derived from the value goes into it, so a weak password cannot be recovered by hashing guesses; the rank
/// keeps it stable when lines move.
enum LocationFingerprint {
    /// One fingerprint (32 hex digits) per finding of `sorted` (in `Finding.reportOrder`), in the same order.
    static func of(_ sorted: [Finding]) -> [String] {
        var ordinals: [String: Int] = [:]
        return sorted.map { f in
            let place = "\(f.ruleID)\u{0}\(f.file)\u{0}\(f.commit?.id ?? "")"
            let ordinal = ordinals[place, default: 0]
            ordinals[place] = ordinal + 1
            return String(SHA256.hex(Array("eskit-sarif-v1\u{0}\(place)\u{0}\(ordinal)".utf8)).prefix(32))
        }
    }
}

extension Finding {
    /// The order every reporter uses: file, line, column, rule, fingerprint.
    static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.span.start.line != b.span.start.line { return a.span.start.line < b.span.start.line }
        if a.span.start.column != b.span.start.column { return a.span.start.column < b.span.start.column }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.fingerprint < b.fingerprint
    }
}

extension Severity {
    /// SARIF `level`: critical and high are errors, medium warnings, the rest notes.
    var sarifLevel: String {
        switch self {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub's `security-severity` score (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0).
    var securityScore: String {
        switch self {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "1.0"
        }
    }
}

/// UTC calendar rendering of Unix seconds, without Foundation's formatters (deterministic and cheap).
enum UTCDate {
    /// `2024-01-31T12:00:00Z`.
    static func iso8601(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(days)
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):"
            + "\(pad(rest % 60, 2))Z"
    }

    /// `2024-01-31`.
    static func day(_ seconds: Int64) -> String { String(iso8601(seconds).prefix(10)) }

    private static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
