/// How bad a finding is. Ordered: `info < low < medium < high < critical`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case info, low, medium, high, critical

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a finding is: a live secret, or a well-known default credential left in place.
public enum FindingKind: String, Sendable, Hashable, Codable {
    case secret
    case defaultCredential = "default-credential"
}

/// A secret value as detected (after decoding, e.g. base64 of a Secret's `data`). Its description and every
/// derived string are masked; the raw value is reachable only through `revealed`, which callers use behind an
/// explicit user flag (`--show-secrets`).
public struct RedactedSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let raw: [UInt8]
    /// Hex SHA-256 of the exact secret bytes: lets baselines and other tools match without the value.
    public let sha256: String

    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        raw = Array(bytes)
        sha256 = SHA256.hex(raw)
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// At most the first 3 characters followed by `…` (never the whole value; shorter secrets show nothing).
    public var preview: String {
        let scalars = Array(String(decoding: raw, as: UTF8.self).unicodeScalars)
        let shown = scalars.count >= 8 ? 3 : (scalars.count >= 5 ? 1 : 0)
        var text = String(String.UnicodeScalarView(scalars.prefix(shown)))
        text += "…"
        return text
    }

    /// Length of the secret in bytes.
    public var byteCount: Int { raw.count }

    /// The raw value. Only for output the user asked for explicitly.
    public var revealed: String { String(decoding: raw, as: UTF8.self) }

    /// The raw bytes. Only for detectors and output the user asked for explicitly.
    public var revealedBytes: [UInt8] { raw }

    public var description: String { "RedactedSecret(\(preview), sha256:\(sha256.prefix(12)))" }
    public var debugDescription: String { description }
}

/// The commit where a finding's blob first appeared (history scans).
public struct CommitInfo: Sendable, Hashable, Codable {
    public var id: String
    public var authorName: String
    public var authorEmail: String
    /// Seconds since 1970 (author time).
    public var date: Int64
    public var summary: String

    public init(id: String, authorName: String, authorEmail: String, date: Int64, summary: String) {
        self.id = id
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.date = date
        self.summary = summary
    }
}

/// A later commit and path that hold the same blob (history scans).
public struct Occurrence: Sendable, Hashable, Codable {
    public var commit: String
    public var path: String

    public init(commit: String, path: String) {
        self.commit = commit
        self.path = path
    }
}

/// One detected secret.
public struct Finding: Sendable, Hashable {
    public var ruleID: String
    public var description: String
    public var severity: Severity
    public var kind: FindingKind
    /// Path relative to the scanned root (or `-` for stdin).
    public var file: String
    /// Span of the secret in the file (1-based line/column; end exclusive).
    public var span: TextSpan
    public var secret: RedactedSecret
    /// Stable across runs, line moves and rebases; derived from rule, path and the secret's hash, never the secret.
    public var fingerprint: String
    /// History scans: where the blob first appeared, and every later place holding it.
    public var commit: CommitInfo?
    public var occurrences: [Occurrence]

    public init(
        ruleID: String, description: String, severity: Severity, kind: FindingKind = .secret,
        file: String, span: TextSpan, secret: RedactedSecret, fingerprint: String? = nil,
        commit: CommitInfo? = nil, occurrences: [Occurrence] = []
    ) {
        self.ruleID = ruleID
        self.description = description
        self.severity = severity
        self.kind = kind
        self.file = file
        self.span = span
        self.secret = secret
        self.fingerprint = fingerprint ?? Finding.fingerprint(ruleID: ruleID, file: file, secretHash: secret.sha256)
        self.commit = commit
        self.occurrences = occurrences
    }

    /// `sha256("eskit-fp-v1\0rule\0path\0secretHash")`, first 32 hex digits.
    public static func fingerprint(ruleID: String, file: String, secretHash: String) -> String {
        String(SHA256.hex(Array("eskit-fp-v1\u{0}\(ruleID)\u{0}\(file)\u{0}\(secretHash)".utf8)).prefix(32))
    }
}
