public import EskitCore

/// A sample input of a detector: the file path it is scanned as and its text. Examples are the detector's
/// documentation and its tests. Secret-looking samples are assembled at run time (see `DetectorExample.build`),
/// so the repository holds no realistic token.
public struct DetectorExample: Sendable, Hashable {
    public var path: String
    public var text: String

    public init(_ text: String, path: String = "example.yaml") {
        self.text = text
        self.path = path
    }
}

/// One detection rule. Built-in detectors are listed in `BuiltInDetectors.all`; custom rules come from the
/// configuration (`CustomRule`).
public protocol Detector: Sendable {
    /// Stable rule id (kebab-case), used in reports, baselines and `disabledRules`.
    var id: String { get }
    /// One sentence saying what is found. Never contains a value.
    var description: String { get }
    var severity: Severity { get }
    var kind: FindingKind { get }
    /// Inputs that must produce a finding with this rule id.
    var positiveExamples: [DetectorExample] { get }
    /// Inputs that must not produce a finding with this rule id.
    var negativeExamples: [DetectorExample] { get }
}

extension Detector {
    public var kind: FindingKind { .secret }
}

/// The rule identity a match is reported under.
struct RuleInfo: Sendable {
    let id: String
    let description: String
    let severity: Severity
    let kind: FindingKind

    init(_ d: any Detector) {
        id = d.id
        description = d.description
        severity = d.severity
        kind = d.kind
    }
}

/// How strongly a match is tied to its rule: when matches overlap, the higher one wins.
enum MatchPriority: Int, Comparable, Sendable {
    case generic = 1, structured = 2, token = 3, composite = 4
    static func < (a: MatchPriority, b: MatchPriority) -> Bool { a.rawValue < b.rawValue }
}

/// A detector hit before positions, suppression and redaction are applied.
struct RawMatch: Sendable {
    var rule: RuleInfo
    /// Byte range of the secret in the scanned file.
    var range: Range<Int>
    /// The exact secret bytes as detected (decoded when the file holds an encoding of them).
    var secret: [UInt8]
    var priority: MatchPriority
}

/// Collects matches of one scan; structured detectors also mark ranges they judged (placeholders, encrypted
/// values) so that generic text rules do not report them.
struct MatchSink {
    var matches: [RawMatch] = []
    var claimed: [Range<Int>] = []
    /// Why the file should also be parsed as YAML (set by the text pass).
    var parseReasons: ParseReasons = []
    /// Where each reason was seen, so only the documents of a multi-document stream that hold one are parsed.
    var parseTriggers: [(offset: Int, reason: ParseReasons)] = []

    /// Keyword assignments of a file holding a Secret, judged after the document detectors
    /// (`GenericAssignmentScanner.judgeDeferred`).
    var deferred: [DeferredAssignment] = []
    /// Per-key verdicts of `TestVectorFields` for this file.
    var testVectors = TestVectorCache()
    /// What the generic rules learnt about this file's shape (`OpenAPIExamples`, `CookieHeader`).
    var shapes = FileShapeCache()

    mutating func noteParseReason(_ reason: ParseReasons, at offset: Int) {
        parseReasons.insert(reason)
        parseTriggers.append((offset, reason))
    }

    mutating func emit(_ rule: RuleInfo, range: Range<Int>, secret: [UInt8], priority: MatchPriority) {
        guard !secret.isEmpty else { return }
        matches.append(RawMatch(rule: rule, range: range, secret: secret, priority: priority))
    }

    mutating func claim(_ range: Range<Int>) { claimed.append(range) }
}

/// A detector that runs around literal anchors found in the bytes by the engine's prefilter.
protocol TextDetector: Detector {
    /// Literals that trigger the detector (ASCII).
    var anchors: [String] { get }
    /// Whether anchors match regardless of ASCII case.
    var anchorsIgnoreCase: Bool { get }
    var priority: MatchPriority { get }
    /// Called for each occurrence of `anchors[anchor]` at `offset`.
    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink)
}

extension TextDetector {
    var anchorsIgnoreCase: Bool { false }
    var priority: MatchPriority { .token }
    var rule: RuleInfo { RuleInfo(self) }
}

/// A detector that reads parsed YAML/JSON documents (Kubernetes manifests, kustomizations).
protocol DocumentDetector: Detector {
    func inspect(_ file: ManifestFile, into sink: inout MatchSink)
}

extension DocumentDetector {
    var rule: RuleInfo { RuleInfo(self) }
}

/// Hints from the text pass that decide whether a file is parsed for the document detectors.
struct ParseReasons: OptionSet, Sendable {
    let rawValue: UInt8
    /// `kind: Secret` / `SealedSecret`, a `secretGenerator`, or a SOPS `sops:` block.
    static let secretResource = ParseReasons(rawValue: 1)
    static let configMap = ParseReasons(rawValue: 2)
    /// A `name:` whose value looks like a secret variable name (`DB_PASSWORD`): env literals may follow.
    static let secretEnvName = ParseReasons(rawValue: 4)
    /// `kind: SealedSecret`: encrypted values that generic rules must not report.
    static let sealedSecret = ParseReasons(rawValue: 8)
}

/// A keyword assignment whose judgement waits for the document detectors.
struct DeferredAssignment {
    var keyRange: Range<Int>
    var valueRange: Range<Int>
    var keyClass: KeyClass
}
