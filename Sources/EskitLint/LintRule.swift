public import EskitCore

/// How bad a lint problem is: errors make `eskit lint` exit 1; warnings are reported and exit 1 only with
/// `--strict`.
public enum LintSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case warning, error

    public static func < (a: LintSeverity, b: LintSeverity) -> Bool { a == .warning && b == .error }
}

/// One example a rule must (positive) or must not (negative) report: files of a small repository, path → text.
public struct LintExample: Sendable {
    public var files: [(path: String, text: String)]
    public init(_ files: [(String, String)]) { self.files = files.map { (path: $0.0, text: $0.1) } }
    public init(_ text: String, path: String = "manifest.yaml") { files = [(path: path, text: text)] }
}

/// A lint rule's declaration: what it checks, how bad it is, how to fix it, and examples that the tests run
/// (`docs/rules.md` is generated from these).
public struct LintRule: Sendable {
    public var id: String
    public var severity: LintSeverity
    public var group: String
    public var summary: String
    /// What to do about it, in one sentence.
    public var fix: String
    /// Whether `eskit lint --fix` repairs it.
    public var autofix: Bool
    public var positive: [LintExample]
    public var negative: [LintExample]

    public init(
        id: String, severity: LintSeverity, group: String, summary: String, fix: String, autofix: Bool = false,
        positive: [LintExample], negative: [LintExample]
    ) {
        self.id = id
        self.severity = severity
        self.group = group
        self.summary = summary
        self.fix = fix
        self.autofix = autofix
        self.positive = positive
        self.negative = negative
    }
}

/// A byte-range replacement in one file, the unit of `eskit lint --fix`.
public struct LintEdit: Sendable, Hashable {
    public var file: String
    public var range: Range<Int>
    public var replacement: String

    public init(file: String, range: Range<Int>, replacement: String) {
        self.file = file
        self.range = range
        self.replacement = replacement
    }
}

/// One problem found: rule, where (the exact node), what, and the fix (an edit when `--fix` can apply it).
/// Messages name fields, kinds and object names, never a value that could be a secret.
public struct LintProblem: Sendable, Hashable, Comparable {
    public var ruleID: String
    public var severity: LintSeverity
    public var location: SourceLocation
    public var message: String
    public var hint: String?
    public var edits: [LintEdit]

    public init(
        _ rule: LintRule, at location: SourceLocation, _ message: String, hint: String? = nil, edits: [LintEdit] = []
    ) {
        ruleID = rule.id
        severity = rule.severity
        self.location = location
        self.message = message
        self.hint = hint
        self.edits = edits
    }

    public static func < (a: LintProblem, b: LintProblem) -> Bool {
        if a.location.file != b.location.file { return a.location.file < b.location.file }
        if a.location.position.offset != b.location.position.offset {
            return a.location.position.offset < b.location.position.offset
        }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.message < b.message
    }
}
