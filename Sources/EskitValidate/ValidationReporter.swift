public import EskitCore

/// `eskit validate` reports: text (problems and a summary), JSON, SARIF 2.1.0 and JUnit. They name the reference
/// (`file:line:col`, ExternalSecret, key, environment, store) and the verdict; they never hold a value or a hash
/// of one.
public enum ValidationReporter {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, sarif, junit
    }

    public static func render(
        _ report: ValidationReport, format: Format, verbose: Bool = false,
        toolVersion: String = EskitVersion.string
    ) -> String {
        switch format {
        case .text: text(report, verbose: verbose)
        case .json: json(report, toolVersion: toolVersion)
        case .sarif: sarif(report, toolVersion: toolVersion)
        case .junit: junit(report)
        }
    }

    /// `ExternalSecret app/db (staging) key password -> SecretStore vault: app/db#password`.
    static func subject(_ r: ReferenceResult) -> String {
        let ref = r.reference
        var text = "ExternalSecret \(ref.owner)"
        if let env = ref.environment { text += " (\(env))" }
        if let key = ref.secretKey { text += " key `\(key)`" }
        return text + " -> \(ref.store.display): `\(ref.target)`"
    }

    /// One line: references, verdict counts, distinct keys and API calls.
    public static func summaryLine(_ report: ValidationReport) -> String {
        var counts: [Verdict: Int] = [:]
        for r in report.results { counts[r.verdict, default: 0] += 1 }
        let references = report.results.filter { $0.verdict != .leaked }.count
        var parts = ["\(counts[.ok] ?? 0) found"]
        for verdict in Verdict.allCases where verdict != .ok {
            if let n = counts[verdict] { parts.append("\(n) \(verdict.rawValue)") }
        }
        let calls = report.apiCalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "validate: \(references) reference\(references == 1 ? "" : "s") through \(report.stores) "
            + "store\(report.stores == 1 ? "" : "s"): " + parts.joined(separator: ", ")
            + "; \(report.distinctKeys) distinct key\(report.distinctKeys == 1 ? "" : "s"), "
            + "\(report.totalCalls) API call\(report.totalCalls == 1 ? "" : "s")" + (calls.isEmpty ? "" : " (\(calls))")
    }

    static func text(_ report: ValidationReport, verbose: Bool) -> String {
        var out = ""
        for r in report.results where verbose || r.verdict != .ok {
            out += "\(r.reference.location): \(r.verdict == .ok ? "ok" : "error"): \(r.verdict.rawValue): "
            out += subject(r) + ": " + r.verdict.summary
            if let detail = r.detail { out += " (\(detail))" }
            out += "\n"
        }
        return out + summaryLine(report) + "\n"
    }

    static func json(_ report: ValidationReport, toolVersion: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("tool", "eskit validate")
        json.field("version", toolVersion)
        json.beginObject("summary")
        json.field("references", report.results.filter { $0.verdict != .leaked }.count)
        json.field("stores", report.stores)
        json.field("distinctKeys", report.distinctKeys)
        json.field("apiCalls", report.totalCalls)
        json.field("peakConcurrency", report.peakConcurrency)
        json.beginObject("apiCallsByCall")
        for (call, count) in report.apiCalls.sorted(by: { $0.key < $1.key }) { json.field(call, count) }
        json.endObject()
        json.beginObject("byVerdict")
        for verdict in Verdict.allCases { json.field(verdict.rawValue, report.results.count { $0.verdict == verdict }) }
        json.endObject()
        json.field("exitStatus", Int(report.exitStatus))
        json.endObject()
        json.beginArray("results")
        for r in report.results {
            let ref = r.reference
            json.beginObject()
            json.field("verdict", r.verdict.rawValue)
            json.field("file", ref.location.file)
            json.field("line", ref.location.position.line)
            json.field("column", ref.location.position.column)
            json.field("externalSecret", ref.owner)
            if let env = ref.environment { json.field("environment", env) }
            if let key = ref.secretKey { json.field("secretKey", key) }
            json.beginObject("store")
            json.field("kind", ref.store.kind)
            json.field("name", ref.store.name)
            if let ns = ref.store.namespace { json.field("namespace", ns) }
            json.field("provider", ref.store.family)
            json.endObject()
            json.field("target", ref.target)
            json.field("message", r.verdict.summary)
            if let detail = r.detail { json.field("detail", detail) }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output
    }

    static func sarif(_ report: ValidationReport, toolVersion: String) -> String {
        let problems = report.results.filter { $0.verdict != .ok }
        let ruleIDs = Verdict.allCases.filter { v in problems.contains { $0.verdict == v } }.map(\.rawValue)
        var json = JSONWriter()
        json.beginObject()
        json.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        json.field("version", "2.1.0")
        json.beginArray("runs")
        json.beginObject()
        json.beginObject("tool")
        json.beginObject("driver")
        json.field("name", "eskit validate")
        json.field("version", toolVersion)
        json.field("informationUri", "https://github.com/eskit-project/eskit")
        json.beginArray("rules")
        for id in ruleIDs {
            let verdict = Verdict(rawValue: id) ?? .unreachable
            json.beginObject()
            json.field("id", "validate/\(id)")
            json.beginObject("shortDescription")
            json.field("text", verdict.summary)
            json.endObject()
            json.beginObject("help")
            json.field(
                "text",
                "An ExternalSecret reference that \(verdict.summary): ESO would report "
                    + "SecretSyncedError and keep the old Secret. See docs/providers.md.")
            json.endObject()
            json.field("helpUri", "https://github.com/eskit-project/eskit/blob/main/docs/providers.md#validate")
            json.beginObject("defaultConfiguration")
            json.field("level", "error")
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        json.beginArray("results")
        for r in problems {
            let location = r.reference.location
            json.beginObject()
            json.field("ruleId", "validate/\(r.verdict.rawValue)")
            json.field("level", "error")
            json.beginObject("message")
            json.field("text", subject(r) + ": " + r.verdict.summary + (r.detail.map { " (\($0))" } ?? ""))
            json.endObject()
            json.beginArray("locations")
            json.beginObject()
            json.beginObject("physicalLocation")
            json.beginObject("artifactLocation")
            json.field("uri", location.file)
            json.endObject()
            json.beginObject("region")
            json.field("startLine", location.position.line)
            json.field("startColumn", location.position.column)
            json.endObject()
            json.endObject()
            json.endObject()
            json.endArray()
            json.beginObject("partialFingerprints")
            let identity =
                "\(r.verdict.rawValue)\u{0}\(location.file)\u{0}\(r.reference.owner)\u{0}"
                + "\(r.reference.environment ?? "")\u{0}\(r.reference.target)"
            json.field("eskitValidate/v1", String(SHA256.hex(Array(identity.utf8)).prefix(32)))
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        return json.output
    }

    static func junit(_ report: ValidationReport) -> String {
        func escape(_ s: String) -> String {
            var out = ""
            for c in s.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&apos;"
                default:
                    if c.value < 0x20, c != "\n", c != "\t" { out += " " } else { out.unicodeScalars.append(c) }
                }
            }
            return out
        }
        let failures = report.results.filter { $0.verdict != .ok }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"eskit validate\" tests=\"\(report.results.count)\" failures=\"\(failures)\" "
            + "errors=\"0\">\n"
        xml +=
            "  <testsuite name=\"eskit validate\" tests=\"\(report.results.count)\" failures=\"\(failures)\" "
            + "errors=\"0\" skipped=\"0\">\n"
        for r in report.results {
            let name = "\(r.reference.location): \(subject(r))"
            xml += "    <testcase classname=\"\(escape(r.reference.store.display))\" name=\"\(escape(name))\""
            if r.verdict == .ok {
                xml += "/>\n"
            } else {
                xml += ">\n      <failure message=\"\(escape(r.verdict.summary))\" type=\"\(r.verdict.rawValue)\">"
                xml += escape(r.detail ?? r.verdict.summary) + "</failure>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
