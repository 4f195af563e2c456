public import EskitCore
import Foundation

/// What the scanner looks for and what it ignores. Loaded from `.eskit.yaml` or built in code.
///
/// ```yaml
/// disabledRules: [jwt]
/// enabledRules: [github-pat, generic-password]   # optional: only these (plus custom rules)
/// rules:
///   - id: acme-token
///     description: ACME API token
///     severity: high            # info | low | medium | high | critical
///     pattern: 'acme_[a-z0-9]{32}'
///     keywords: [acme_]
///     entropy: 3.0              # optional minimum Shannon entropy of the secret
///     secretGroup: 1            # optional capture group holding the secret
/// allowlist:
///   paths: ['docs/**', '*.lock']
///   values: ['exact-value', '/^regex-value$/']
/// maxFileSize: 10485760
/// lint:                         # read by `eskit lint` / `eskit check`
///   disable: [consumer-env-rotation]
///   controllers: [external-secrets/external-secrets]
/// ```
public struct ScanConfiguration: Sendable {
    /// Rule ids that never run.
    public var disabledRules: Set<String>
    /// When set, only these built-in rules run (custom rules always run unless disabled).
    public var enabledRules: Set<String>?
    public var customRules: [CustomRule]
    /// Globs of paths never scanned.
    public var pathAllowlist: [String]
    /// Secrets never reported.
    public var valueAllowlist: [ValuePattern]
    /// Larger files are skipped and counted.
    public var maxFileSize: Int

    public static let defaultMaxFileSize = 10 * 1024 * 1024

    /// `lint.disable`: lint rule ids that never run, with where each was written (the lint command checks the ids).
    public var lintDisabled: [(id: String, location: SourceLocation)] = []
    /// `lint.controllers`: `namespace/name` of service accounts allowed cluster-wide Secret access.
    public var lintControllers: [String]? = nil

    public init(
        disabledRules: Set<String> = [], enabledRules: Set<String>? = nil, customRules: [CustomRule] = [],
        pathAllowlist: [String] = [], valueAllowlist: [ValuePattern] = [],
        maxFileSize: Int = ScanConfiguration.defaultMaxFileSize
    ) {
        self.disabledRules = disabledRules
        self.enabledRules = enabledRules
        self.customRules = customRules
        self.pathAllowlist = pathAllowlist
        self.valueAllowlist = valueAllowlist
        self.maxFileSize = maxFileSize
    }

    func isEnabled(_ id: String) -> Bool {
        if disabledRules.contains(id) { return false }
        if customRules.contains(where: { $0.id == id }) { return true }
        return enabledRules?.contains(id) ?? true
    }

    /// Reads `.eskit.yaml`. Unknown keys, wrong types and invalid patterns are errors naming file:line:col.
    public static func load(path: String) throws(ScanError) -> ScanConfiguration {
        let bytes = try readFile(path)
        return try parse(bytes, file: path)
    }

    /// Parses configuration YAML; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScanError) -> ScanConfiguration {
        try ConfigurationLoader(file: file).load(bytes)
    }
}

/// An allowlisted value: an exact string, or a regular expression written `/.../`.
public struct ValuePattern: Sendable, Hashable {
    public let text: String
    private let regex: SendableRegex?

    /// `/…/` is a regular expression (NSRegularExpression syntax); anything else is an exact value.
    public init(_ text: String) throws(ScanError) {
        self.text = text
        if text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            guard let r = SendableRegex(String(text.dropFirst().dropLast())) else {
                throw ScanError.invalidRule(id: "allowlist.values", "invalid regular expression")
            }
            regex = r
        } else {
            regex = nil
        }
    }

    init(text: String, regex: SendableRegex?) {
        self.text = text
        self.regex = regex
    }

    public func matches(_ secret: [UInt8]) -> Bool {
        let value = String(decoding: secret, as: UTF8.self)
        if let regex { return regex.firstMatch(in: value) != nil }
        return value == text
    }

    public static func == (a: ValuePattern, b: ValuePattern) -> Bool { a.text == b.text }
    public func hash(into h: inout Hasher) { h.combine(text) }
}

/// A rule from the configuration: a regular expression run on the lines where one of its keywords occurs.
public struct CustomRule: Detector, Hashable {
    public var id: String
    public var description: String
    public var severity: Severity
    public var pattern: String
    /// Literals (case-insensitive) that must occur on the line; at least one.
    public var keywords: [String]
    /// Minimum Shannon entropy (bits per byte) of the secret, if any.
    public var entropy: Double?
    /// Capture group holding the secret (0 = whole match; default 1 when the pattern has a group).
    public var secretGroup: Int?
    public var positiveExamples: [DetectorExample] { [] }
    public var negativeExamples: [DetectorExample] { [] }

    public init(
        id: String, description: String, severity: Severity = .high, pattern: String, keywords: [String],
        entropy: Double? = nil, secretGroup: Int? = nil
    ) {
        self.id = id
        self.description = description
        self.severity = severity
        self.pattern = pattern
        self.keywords = keywords
        self.entropy = entropy
        self.secretGroup = secretGroup
    }
}

/// NSRegularExpression is immutable and thread-safe for matching once built.
final class SendableRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let r = try? NSRegularExpression(pattern: pattern) else { return nil }
        regex = r
    }

    var groups: Int { regex.numberOfCaptureGroups }

    func firstMatch(in s: String) -> NSTextCheckingResult? {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
    }

    func matches(in s: String) -> [NSTextCheckingResult] {
        regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
    }
}

/// Reads a configuration, ignore or baseline file through the one file reader (devices and FIFOs included).
func readFile(_ path: String) throws(ScanError) -> [UInt8] {
    do { return try FileReader.input(path, what: "scan configuration") } catch {
        throw ScanError.io(path: path, "cannot read file (\(error.cause ?? error.message))")
    }
}

extension ScanConfiguration {
    /// The configuration file looked up at the scanned root.
    public static let defaultFileName = ".eskit.yaml"
}
