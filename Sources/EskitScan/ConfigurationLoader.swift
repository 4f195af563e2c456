import EskitCore
import EskitYAML

/// Reads `.eskit.yaml` into a `ScanConfiguration`, naming file:line:col for every problem.
struct ConfigurationLoader {
    let file: String

    func load(_ bytes: [UInt8]) throws(ScanError) -> ScanConfiguration {
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: file) } catch {
            throw ScanError.invalid(error.location, error.problem)
        }
        var config = ScanConfiguration()
        guard let root = documents.first?.root, !root.isNull else { return config }
        if documents.count > 1 { throw invalid(documents[1].span.start, "expected one YAML document") }
        let pairs = try mapping(root, "the configuration")
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            switch key {
            case "disabledRules": config.disabledRules = Set(try strings(pair.value, key))
            case "enabledRules": config.enabledRules = Set(try strings(pair.value, key))
            case "rules": config.customRules = try sequence(pair.value, key).map { node throws(ScanError) in try rule(node) }
            case "allowlist":
                for sub in try mapping(pair.value, key) {
                    switch sub.key.scalarValue ?? "" {
                    case "paths": config.pathAllowlist = try strings(sub.value, "allowlist.paths")
                    case "values":
                        config.valueAllowlist = try sequence(sub.value, "allowlist.values").map { node throws(ScanError) in
                            let text = try string(node, "allowlist.values item")
                            do { return try ValuePattern(text) } catch {
                                throw invalid(node.start, "invalid regular expression in allowlist.values")
                            }
                        }
                    default: throw invalid(sub.key.start, "unknown key '\(sub.key.scalarValue ?? "")' in allowlist (expected paths, values)")
                    }
                }
            case "maxFileSize":
                guard let text = pair.value.scalarValue, let n = Int(text), n > 0 else {
                    throw invalid(pair.value.start, "maxFileSize must be a positive integer (bytes)")
                }
                config.maxFileSize = n
            default:
                throw invalid(pair.key.start, "unknown key '\(key)' (expected disabledRules, enabledRules, rules, allowlist, maxFileSize)")
            }
        }
        let known = Set(BuiltInDetectors.all.map(\.id)).union(config.customRules.map(\.id))
        for pair in pairs where pair.key.scalarValue == "disabledRules" || pair.key.scalarValue == "enabledRules" {
            for item in pair.value.items ?? [] where !known.contains(item.scalarValue ?? "") {
                throw invalid(item.start, "unknown rule id '\(item.scalarValue ?? "")'")
            }
        }
        return config
    }

    private func rule(_ node: YAMLNode) throws(ScanError) -> CustomRule {
        var id: String?, description: String?, pattern: String?, severity = Severity.high
        var keywords: [String] = [], entropy: Double?, group: Int?
        var patternNode = node
        for pair in try mapping(node, "a rule") {
            let key = pair.key.scalarValue ?? ""
            switch key {
            case "id":
                let value = try string(pair.value, key)
                guard !value.isEmpty, value.utf8.allSatisfy({ ByteSet.identifier.contains($0) }) else {
                    throw invalid(pair.value.start, "rule id must be letters, digits, '-', '_' or '.'")
                }
                if BuiltInDetectors.all.contains(where: { $0.id == value }) {
                    throw invalid(pair.value.start, "rule id '\(value)' is a built-in rule")
                }
                id = value
            case "description": description = try string(pair.value, key)
            case "severity":
                guard let s = Severity(rawValue: try string(pair.value, key)) else {
                    throw invalid(pair.value.start, "severity must be one of info, low, medium, high, critical")
                }
                severity = s
            case "pattern":
                pattern = try string(pair.value, key)
                patternNode = pair.value
            case "keywords": keywords = try strings(pair.value, key)
            case "entropy":
                guard let text = pair.value.scalarValue, let e = Double(text), e >= 0, e <= 8 else {
                    throw invalid(pair.value.start, "entropy must be a number between 0 and 8")
                }
                entropy = e
            case "secretGroup":
                guard let text = pair.value.scalarValue, let g = Int(text), g >= 0 else {
                    throw invalid(pair.value.start, "secretGroup must be a non-negative integer")
                }
                group = g
            default:
                throw invalid(pair.key.start, "unknown key '\(key)' in rule (expected id, description, severity, pattern, keywords, entropy, secretGroup)")
            }
        }
        guard let id else { throw invalid(node.start, "rule needs an 'id'") }
        guard let pattern else { throw invalid(node.start, "rule '\(id)' needs a 'pattern'") }
        guard !keywords.isEmpty, keywords.allSatisfy({ $0.utf8.count >= 2 && $0.utf8.allSatisfy { $0 < 128 } }) else {
            throw invalid(node.start, "rule '\(id)' needs 'keywords': ASCII literals of at least two characters")
        }
        guard let regex = SendableRegex(pattern) else { throw invalid(patternNode.start, "invalid regular expression in rule '\(id)'") }
        if let group, group > regex.groups { throw invalid(node.start, "secretGroup \(group) exceeds the pattern's \(regex.groups) groups") }
        return CustomRule(id: id, description: description ?? "Custom rule \(id)", severity: severity, pattern: pattern,
                          keywords: keywords, entropy: entropy, secretGroup: group)
    }

    private func invalid(_ position: TextPosition, _ message: String) -> ScanError {
        .invalid(SourceLocation(file: file, position: position), message)
    }

    private func mapping(_ node: YAMLNode, _ what: String) throws(ScanError) -> [YAMLPair] {
        guard let pairs = node.pairs else { throw invalid(node.start, "expected a mapping for \(what)") }
        var seen = Set<String>()
        for pair in pairs {
            guard let key = pair.key.scalarValue else { throw invalid(pair.key.start, "expected a string key") }
            if !seen.insert(key).inserted { throw invalid(pair.key.start, "duplicate key '\(key)'") }
        }
        return pairs
    }

    private func sequence(_ node: YAMLNode, _ what: String) throws(ScanError) -> [YAMLNode] {
        guard let items = node.items else { throw invalid(node.start, "expected a list for \(what)") }
        return items
    }

    private func string(_ node: YAMLNode, _ what: String) throws(ScanError) -> String {
        guard let value = node.scalarValue else { throw invalid(node.start, "expected a string for \(what)") }
        return value
    }

    private func strings(_ node: YAMLNode, _ what: String) throws(ScanError) -> [String] {
        try sequence(node, what).map { item throws(ScanError) in try string(item, "\(what) item") }
    }
}
