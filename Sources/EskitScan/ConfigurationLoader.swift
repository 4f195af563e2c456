import EskitCore
import EskitYAML

/// Reads `.eskit.yaml` into a `ScanConfiguration` through the one YAML decoder (`EskitYAML.YAMLDecoder`): every
/// problem names file:line:col and the field path; unknown keys get "did you mean"; no value is quoted.
struct ConfigurationLoader {
    let file: String

    /// The document's shape (`docs/eskit-config.schema.json` is its JSON Schema).
    struct File: Decodable {
        var disabledRules: [Located<String>]?
        var enabledRules: [Located<String>]?
        var rules: [Located<Rule>]?
        var allowlist: Allowlist?
        var maxFileSize: Located<Int>?
        var lint: Lint?
    }

    struct Lint: Decodable {
        var disable: [Located<String>]?
        var controllers: [Located<String>]?
    }

    struct Allowlist: Decodable {
        var paths: [String]?
        var values: [Located<String>]?
    }

    struct Rule: Decodable, Sendable {
        var id: Located<RuleID>
        var description: String?
        var severity: Located<Level>?
        var pattern: Located<String>
        var keywords: [String]
        var entropy: Located<Double>?
        var secretGroup: Located<Int>?
    }

    /// A custom rule id: letters, digits, `-`, `_`, `.`, and not a built-in id.
    struct RuleID: Decodable, Sendable {
        var value: String

        init(from decoder: any Decoder) throws {
            value = try decoder.singleValueContainer().decode(String.self)
            guard !value.isEmpty, value.utf8.allSatisfy({ ByteSet.identifier.contains($0) }) else {
                throw YAMLDecoder.Invalid("a rule id is letters, digits, '-', '_' or '.'")
            }
            if BuiltInDetectors.all.contains(where: { $0.id == value }) {
                throw YAMLDecoder.Invalid("rule id '\(value)' is a built-in rule")
            }
        }
    }

    struct Level: Decodable, Sendable {
        var value: Severity

        init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let severity = Severity(rawValue: text) else {
                throw YAMLDecoder.Invalid("severity must be one of info, low, medium, high, critical")
            }
            value = severity
        }
    }

    func load(_ bytes: [UInt8]) throws(ScanError) -> ScanConfiguration {
        let decoded: File
        do {
            decoded = try YAMLDecoder(file: file).decode(File.self, from: bytes)
        } catch {
            let first = error.diagnostics.sorted()[0]
            throw .invalid(first.location, first.message)
        }
        var config = ScanConfiguration()
        if let rules = decoded.rules {
            config.customRules = try rules.map { (rule) throws(ScanError) in try customRule(rule) }
        }
        let known = Set(BuiltInDetectors.all.map(\.id)).union(config.customRules.map(\.id))
        for list in [decoded.disabledRules, decoded.enabledRules].compactMap({ $0 }) {
            for item in list where !known.contains(item.value) {
                throw invalid(item.position, "unknown rule id '\(item.value)'")
            }
        }
        if let disabled = decoded.disabledRules { config.disabledRules = Set(disabled.map(\.value)) }
        if let enabled = decoded.enabledRules { config.enabledRules = Set(enabled.map(\.value)) }
        config.pathAllowlist = decoded.allowlist?.paths ?? []
        config.valueAllowlist = try (decoded.allowlist?.values ?? []).map { (item) throws(ScanError) in
            do { return try ValuePattern(item.value) } catch {
                throw invalid(item.position, "invalid regular expression in allowlist.values")
            }
        }
        if let size = decoded.maxFileSize {
            guard size.value > 0 else { throw invalid(size.position, "maxFileSize must be a positive integer (bytes)") }
            config.maxFileSize = size.value
        }
        config.lintDisabled = (decoded.lint?.disable ?? []).map {
            (id: $0.value, location: SourceLocation(file: file, position: $0.position))
        }
        if let controllers = decoded.lint?.controllers {
            for c in controllers where c.value.split(separator: "/").count != 2 {
                throw invalid(c.position, "lint.controllers entries are `namespace/name` of a service account")
            }
            config.lintControllers = controllers.map(\.value)
        }
        return config
    }

    private func customRule(_ located: Located<Rule>) throws(ScanError) -> CustomRule {
        let rule = located.value
        let id = rule.id.value.value
        guard !rule.keywords.isEmpty,
            rule.keywords.allSatisfy({ $0.utf8.count >= 2 && $0.utf8.allSatisfy { $0 < 128 } })
        else {
            throw invalid(located.position, "rule '\(id)' needs 'keywords': ASCII literals of at least two characters")
        }
        if let entropy = rule.entropy, !(0...8).contains(entropy.value) {
            throw invalid(entropy.position, "entropy must be a number between 0 and 8")
        }
        if let group = rule.secretGroup, group.value < 0 {
            throw invalid(group.position, "secretGroup must be a non-negative integer")
        }
        guard let regex = SendableRegex(rule.pattern.value) else {
            throw invalid(rule.pattern.position, "invalid regular expression in rule '\(id)'")
        }
        if let group = rule.secretGroup, group.value > regex.groups {
            throw invalid(located.position, "secretGroup \(group.value) exceeds the pattern's \(regex.groups) groups")
        }
        return CustomRule(
            id: id, description: rule.description ?? "Custom rule \(id)",
            severity: rule.severity?.value.value ?? .high, pattern: rule.pattern.value,
            keywords: rule.keywords, entropy: rule.entropy?.value, secretGroup: rule.secretGroup?.value)
    }

    private func invalid(_ position: TextPosition, _ message: String) -> ScanError {
        .invalid(SourceLocation(file: file, position: position), message)
    }
}
