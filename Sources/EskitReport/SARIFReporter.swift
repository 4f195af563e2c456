import EskitCore

/// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One rule per rule id that has findings (with
/// `defaultConfiguration.level` and `properties.security-severity`), one result per finding with a region in
/// Unicode code points and `partialFingerprints` from the finding's place (never from its value). The run's property
/// bag carries `untrackedNotScanned` when the summary counted untracked files.
public struct SARIFReporter: Reporter {
    public static let informationURI = "https://github.com/eskit-project/eskit"
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ findings: [Finding], summary: ScanSummary) -> String {
        let sorted = findings.sorted(by: Finding.reportOrder)
        var rules: [String: Finding] = [:]
        for f in sorted where rules[f.ruleID].map({ f.severity > $0.severity }) ?? true { rules[f.ruleID] = f }
        let ruleIDs = rules.keys.sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })

        var json = JSONWriter()
        json.beginObject()
        json.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        json.field("version", "2.1.0")
        json.beginArray("runs")
        json.beginObject()
        json.beginObject("tool")
        json.beginObject("driver")
        json.field("name", "eskit")
        json.field("version", options.toolVersion)
        json.field("semanticVersion", options.toolVersion)
        json.field("informationUri", Self.informationURI)
        json.beginArray("rules")
        for id in ruleIDs {
            let f = rules[id]!
            json.beginObject()
            json.field("id", id)
            json.field("name", Self.ruleName(id))
            json.beginObject("shortDescription")
            json.field("text", f.description)
            json.endObject()
            json.beginObject("fullDescription")
            json.field(
                "text",
                f.kind == .defaultCredential
                    ? "\(f.description): a well-known default credential left in place is a live credential."
                    : "\(f.description): a plaintext secret committed to the repository.")
            json.endObject()
            json.field("helpUri", Self.helpURI(id))
            json.beginObject("help")
            json.field("text", Self.help(id, f))
            json.field("markdown", Self.help(id, f, markdown: true))
            json.endObject()
            json.beginObject("defaultConfiguration")
            json.field("level", f.severity.sarifLevel)
            json.endObject()
            json.beginObject("properties")
            json.beginArray("tags")
            json.field(nil, "security")
            json.field(nil, f.kind.rawValue)
            json.endArray()
            json.field("security-severity", f.severity.securityScore)
            json.field("precision", "high")
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        json.field("columnKind", "unicodeCodePoints")
        json.beginArray("results")
        for (f, fingerprint) in zip(sorted, LocationFingerprint.of(sorted)) {
            write(f, ruleIndex: ruleIndex[f.ruleID]!, fingerprint: fingerprint, into: &json)
        }
        json.endArray()
        // SARIF's own way to say the run did not see everything: a failed invocation with one notification per
        // item that could not be read (code scanning shows them as tool errors).
        json.beginArray("invocations")
        json.beginObject()
        json.field("executionSuccessful", !summary.isIncomplete)
        if summary.isIncomplete {
            json.beginArray("toolExecutionNotifications")
            for item in summary.notRead {
                json.beginObject()
                json.field("level", "error")
                json.beginObject("message")
                json.field("text", "not read: \(item)")
                json.endObject()
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        json.endArray()
        if let untracked = summary.untrackedNotScanned {
            json.beginObject("properties")
            json.field("untrackedNotScanned", untracked)
            json.endObject()
        }
        json.endObject()
        json.endArray()
        json.endObject()
        return json.output
    }

    private func write(_ f: Finding, ruleIndex: Int, fingerprint: String, into json: inout JSONWriter) {
        json.beginObject()
        json.field("ruleId", f.ruleID)
        json.field("ruleIndex", ruleIndex)
        json.field("level", f.severity.sarifLevel)
        json.field("kind", "fail")
        json.beginObject("message")
        var text =
            "\(f.description) (\(f.kind == .defaultCredential ? "default credential" : "secret") \(f.secret.preview))"
        if options.showSecrets { text += ": \(f.secret.revealed)" }
        if let commit = f.commit { text += " first added in commit \(commit.id.prefix(12)) by \(commit.authorName)" }
        json.field("text", text)
        json.endObject()
        json.beginArray("locations")
        location(f.file, f.span, into: &json)
        json.endArray()
        json.beginObject("partialFingerprints")
        json.field("eskitLocation/v1", fingerprint)
        json.endObject()
        json.beginObject("properties")
        json.field("severity", f.severity.rawValue)
        json.field("kind", f.kind.rawValue)
        json.field("preview", f.secret.preview)
        if let commit = f.commit {
            json.field("commit", commit.id)
            json.field("author", commit.authorName)
            json.field("email", commit.authorEmail)
            json.field("date", UTCDate.iso8601(commit.date))
            json.field("summary", commit.summary)
        }
        if !f.occurrences.isEmpty {
            json.beginArray("occurrences")
            for o in f.occurrences {
                json.beginObject()
                json.field("commit", o.commit)
                json.field("file", o.path)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        json.endObject()
    }

    private func location(_ file: String, _ span: TextSpan, into json: inout JSONWriter) {
        json.beginObject()
        json.beginObject("physicalLocation")
        json.beginObject("artifactLocation")
        json.field("uri", Self.uri(file))
        json.endObject()
        json.beginObject("region")
        json.field("startLine", span.start.line)
        json.field("startColumn", span.start.column)
        json.field("endLine", max(span.end.line, span.start.line))
        json.field(
            "endColumn",
            span.end.line > span.start.line
                ? span.end.column
                : max(span.end.column, span.start.column + 1))
        json.endObject()
        json.endObject()
        json.endObject()
    }

    /// The rule's entry in docs/detectors.md.
    static func helpURI(_ id: String) -> String { "\(informationURI)/blob/main/docs/detectors.md#\(id)" }

    /// A rule's help, shown by code scanning beside the alert: what it finds, what to do, where it is documented.
    static func help(_ id: String, _ f: Finding, markdown: Bool = false) -> String {
        let more = markdown ? "[docs/detectors.md](\(helpURI(id)))" : helpURI(id)
        return "\(id): \(f.description). " + help(f.kind) + " More: \(more)."
    }

    /// What to do about a finding of this kind.
    static func help(_ kind: FindingKind) -> String {
        let first =
            kind == .defaultCredential
            ? "Change the credential in the system that uses it: a well-known default is public knowledge."
            : "Revoke or rotate the credential in the system that issued it: once committed, it stays in every clone."
        return first + " Then keep the value in a secret store and reference it (an ExternalSecret, `secretKeyRef`,"
            + " `existingSecret`); `eskit generate` writes the ExternalSecret manifests. A false positive takes an"
            + " `eskit:allow` comment on its line or its fingerprint in `.eskitignore`."
    }

    /// `github-pat` -> `GithubPat`: SARIF's optional PascalCase rule name.
    static func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// A relative path as a URI reference: bytes outside the unreserved set and `/` are percent-encoded.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
