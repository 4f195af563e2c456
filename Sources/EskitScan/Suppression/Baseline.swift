public import EskitCore
import EskitYAML

/// A baseline of accepted findings (`--baseline-out` writes one, `--baseline` reports only findings not in it).
/// It stores no secret: fingerprint, rule, file and the secret's SHA-256. A finding matches an entry by
/// fingerprint, or by (rule, secretHash) so that a moved or renamed file still matches.
public struct Baseline: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var fingerprint: String
        public var ruleID: String
        public var file: String
        public var secretHash: String

        public init(fingerprint: String, ruleID: String, file: String, secretHash: String) {
            self.fingerprint = fingerprint
            self.ruleID = ruleID
            self.file = file
            self.secretHash = secretHash
        }

        public init(_ finding: Finding) {
            self.init(
                fingerprint: finding.fingerprint, ruleID: finding.ruleID, file: finding.file,
                secretHash: finding.secret.sha256)
        }
    }

    /// Entries sorted by file, rule, fingerprint.
    public private(set) var entries: [Entry]
    private var fingerprints: Set<String>
    private var ruleHashes: Set<String>

    public init(entries: [Entry]) {
        let unique = Array(Set(entries)).sorted {
            ($0.file, $0.ruleID, $0.fingerprint) < ($1.file, $1.ruleID, $1.fingerprint)
        }
        self.entries = unique
        fingerprints = Set(unique.map(\.fingerprint))
        ruleHashes = Set(unique.map { $0.ruleID + "\u{0}" + $0.secretHash })
    }

    public init(findings: [Finding]) { self.init(entries: findings.map(Entry.init)) }

    public func contains(_ finding: Finding) -> Bool {
        fingerprints.contains(finding.fingerprint)
            || ruleHashes.contains(finding.ruleID + "\u{0}" + finding.secret.sha256)
    }

    /// The findings not in the baseline.
    public func newFindings(_ findings: [Finding]) -> [Finding] { findings.filter { !contains($0) } }

    /// Deterministic JSON (`{"version":1,"findings":[…]}`) through the one JSON writer, one entry per line.
    public var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.beginArray("findings")
        for e in entries {
            var entry = JSONWriter(pretty: false)
            entry.beginObject()
            entry.field("fingerprint", e.fingerprint)
            entry.field("rule", e.ruleID)
            entry.field("file", e.file)
            entry.field("secretHash", e.secretHash)
            entry.endObject()
            json.raw(nil, entry.output)
        }
        json.endArray()
        json.endObject()
        return json.output
    }

    /// Writes atomically.
    public func write(to path: String) throws(ScanError) {
        do { try AtomicFile.write(json, to: path, mode: 0o600) } catch {
            throw ScanError.io(path: path, "cannot write baseline: \(error.reason)")
        }
    }

    public static func load(path: String) throws(ScanError) -> Baseline {
        try parse(readFile(path), file: path)
    }

    /// Parses baseline JSON; any problem is an error naming file:line:col.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScanError) -> Baseline {
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: file) } catch {
            throw ScanError.invalid(error.location, error.problem)
        }
        func invalid(_ node: YAMLNode, _ message: String) -> ScanError {
            .invalid(SourceLocation(file: file, position: node.start), message)
        }
        guard documents.count == 1, let root = documents[0].root, let pairs = root.pairs else {
            throw ScanError.invalid(
                SourceLocation(file: file, position: documents.first?.root?.start ?? .start),
                "expected a JSON object with \"version\" and \"findings\"")
        }
        var entries: [Entry] = []
        var sawFindings = false
        for pair in pairs {
            switch pair.key.scalarValue {
            case "version":
                guard pair.value.scalarValue == "1" else {
                    throw invalid(pair.value, "unsupported baseline version (expected 1)")
                }
            case "findings":
                guard let items = pair.value.items else { throw invalid(pair.value, "expected an array of findings") }
                sawFindings = true
                for item in items {
                    guard let fields = item.pairs else { throw invalid(item, "expected a finding object") }
                    var values: [String: String] = [:]
                    for field in fields {
                        guard let key = field.key.scalarValue, let value = field.value.scalarValue else {
                            throw invalid(field.value, "expected a string value")
                        }
                        guard ["fingerprint", "rule", "file", "secretHash"].contains(key) else {
                            throw invalid(
                                field.key, "unknown key '\(key)' (expected fingerprint, rule, file, secretHash)")
                        }
                        values[key] = value
                    }
                    guard let fp = values["fingerprint"], let rule = values["rule"], let path = values["file"],
                        let hash = values["secretHash"]
                    else {
                        throw invalid(item, "a finding needs fingerprint, rule, file and secretHash")
                    }
                    entries.append(Entry(fingerprint: fp, ruleID: rule, file: path, secretHash: hash))
                }
            default:
                throw invalid(pair.key, "unknown key '\(pair.key.scalarValue ?? "")' (expected version, findings)")
            }
        }
        guard sawFindings else { throw invalid(root, "missing \"findings\"") }
        return Baseline(entries: entries)
    }

}
