public import EskitCore

/// `eskit lint` reports: text (one line per problem, a hint line, a summary), JSON, SARIF 2.1.0 and JUnit. They
/// name rules, positions, kinds and object names; never a secret value.
public enum LintReporter {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, sarif, junit
    }

    public static func render(_ report: LintReport, format: Format, toolVersion: String = EskitVersion.string) -> String
    {
        switch format {
        case .text: text(report)
        case .json: json(report, toolVersion: toolVersion)
        case .sarif: sarif(report, toolVersion: toolVersion)
        case .junit: junit(report)
        }
    }

    public static func summaryLine(_ report: LintReport) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var line =
            "lint: \(plural(report.errors, "error")), \(plural(report.warnings, "warning")) in "
            + "\(plural(report.documents, "document")) of \(plural(report.files, "file"))"
        if report.suppressed > 0 { line += " (\(report.suppressed) allowed inline)" }
        if !report.crdFiles.isEmpty { line += "; ESO CRDs from \(report.crdFiles.joined(separator: ", "))" }
        return line
    }

    static func text(_ report: LintReport) -> String {
        var out = ""
        for p in report.problems {
            out += "\(p.location): \(p.severity.rawValue): \(p.message) [\(p.ruleID)]\n"
            if let hint = p.hint { out += "  hint: \(hint)\n" }
        }
        return out + summaryLine(report) + "\n"
    }

    static func json(_ report: LintReport, toolVersion: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("tool", "eskit lint")
        json.field("version", toolVersion)
        json.beginObject("summary")
        json.field("files", report.files)
        json.field("documents", report.documents)
        json.field("errors", report.errors)
        json.field("warnings", report.warnings)
        json.field("allowedInline", report.suppressed)
        json.endObject()
        json.beginArray("problems")
        for p in report.problems {
            json.beginObject()
            json.field("rule", p.ruleID)
            json.field("severity", p.severity.rawValue)
            json.field("file", p.location.file)
            json.field("line", p.location.position.line)
            json.field("column", p.location.position.column)
            json.field("message", p.message)
            if let hint = p.hint { json.field("hint", hint) } else { json.null("hint") }
            json.field("fixable", !p.edits.isEmpty)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }

    static func sarif(_ report: LintReport, toolVersion: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        json.field("version", "2.1.0")
        json.beginArray("runs")
        json.beginObject()
        json.beginObject("tool")
        json.beginObject("driver")
        json.field("name", "eskit lint")
        json.field("version", toolVersion)
        json.field("informationUri", "https://github.com/eskit/eskit/blob/main/docs/rules.md")
        json.beginArray("rules")
        for rule in LintRules.all {
            json.beginObject()
            json.field("id", rule.id)
            json.beginObject("shortDescription")
            json.field("text", rule.summary)
            json.endObject()
            json.beginObject("help")
            json.field("text", rule.fix)
            json.endObject()
            json.beginObject("defaultConfiguration")
            json.field("level", rule.severity.rawValue)
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        json.beginArray("results")
        for p in report.problems {
            json.beginObject()
            json.field("ruleId", p.ruleID)
            json.field("level", p.severity.rawValue)
            json.beginObject("message")
            json.field("text", p.message + (p.hint.map { " (\($0))" } ?? ""))
            json.endObject()
            json.beginArray("locations")
            json.beginObject()
            json.beginObject("physicalLocation")
            json.beginObject("artifactLocation")
            json.field("uri", p.location.file)
            json.endObject()
            json.beginObject("region")
            json.field("startLine", p.location.position.line)
            json.field("startColumn", p.location.position.column)
            json.endObject()
            json.endObject()
            json.endObject()
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }

    static func junit(_ report: LintReport) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let byRule = Dictionary(grouping: report.problems, by: \.ruleID)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"eskit lint\" tests=\"\(LintRules.all.count)\" failures=\"\(byRule.count)\">\n"
        out += "  <testsuite name=\"eskit lint\" tests=\"\(LintRules.all.count)\" failures=\"\(byRule.count)\">\n"
        for rule in LintRules.all {
            let problems = byRule[rule.id] ?? []
            out += "    <testcase classname=\"eskit.lint.\(rule.group)\" name=\"\(rule.id)\""
            if problems.isEmpty {
                out += "/>\n"
                continue
            }
            out += ">\n      <failure message=\"\(problems.count) problem\(problems.count == 1 ? "" : "s")\">"
            out += escape(problems.map { "\($0.location): \($0.message)" }.joined(separator: "\n"))
            out += "</failure>\n    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }
}

/// Applies the edits of `eskit lint --fix`: per file, non-overlapping edits from the end backwards, so every byte
/// outside an edited node is kept.
public enum LintFixer {
    public struct Change: Sendable {
        public var file: String
        public var before: [UInt8]
        public var after: [UInt8]
        public var applied: [LintProblem]
    }

    public static func changes(_ report: LintReport, files: [LintFile]) -> [Change] {
        let byPath = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        var out: [Change] = []
        let fixable = report.problems.filter { !$0.edits.isEmpty }
        for (file, problems) in Dictionary(grouping: fixable, by: { $0.location.file }).sorted(by: { $0.key < $1.key })
        {
            guard let before = byPath[file] else { continue }
            var edits: [(LintEdit, LintProblem)] = []
            var taken: [Range<Int>] = []
            for p in problems.sorted() {
                let mine = p.edits.filter { $0.file == file }
                guard !mine.contains(where: { e in taken.contains { $0.overlaps(e.range) } }),
                    mine.allSatisfy({ $0.range.upperBound <= before.count })
                else { continue }
                for e in mine {
                    edits.append((e, p))
                    taken.append(e.range)
                }
            }
            var after = before
            for (e, _) in edits.sorted(by: { $0.0.range.lowerBound > $1.0.range.lowerBound }) {
                after.replaceSubrange(e.range, with: Array(e.replacement.utf8))
            }
            guard after != before else { continue }
            var applied: [LintProblem] = []
            for (_, p) in edits where !applied.contains(p) { applied.append(p) }
            out.append(Change(file: file, before: before, after: after, applied: applied))
        }
        return out
    }
}

extension LintRules {
    /// docs/rules.md: every rule with its severity, what it catches, the fix, and its first positive example.
    public static func markdown() -> String {
        var out = """
            # `eskit lint` rules

            Generated from `Sources/EskitLint/LintRules.swift` (a test checks it is current: \
            `ESKIT_RECORD=1 swift test --filter LintDocsTests` rewrites it). Each rule's examples below are run by \
            the tests: the positive one must be reported, the negative ones must not.

            Silence one problem with `# eskit:allow <rule>` on its line or the line above; skip a rule with \
            `--disable <rule>` or `lint: {disable: [<rule>]}` in `.eskit.yaml`. `fix` marks rules `eskit lint --fix` \
            repairs in place.

            | rule | severity | group | fix | catches |
            |---|---|---|---|---|

            """
        for rule in all {
            out +=
                "| [`\(rule.id)`](#\(rule.id)) | \(rule.severity.rawValue) | \(rule.group) | "
                + "\(rule.autofix ? "fix" : "") | \(rule.summary.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        for rule in all {
            out += "\n## \(rule.id)\n\n\(rule.summary)\n\n**Fix:** \(rule.fix)\n"
            if rule.group == "plaintext" {
                out +=
                    "\nReported: a `kind: Secret` whose `data` / `stringData` holds a real value (the example is "
                    + "built in the tests, so this page stays clean under `eskit scan`).\n"
            } else if let example = rule.positive.first {
                out += "\nReported:\n"
                for file in example.files {
                    out += "\n```yaml\n# \(file.path)\n\(file.text.hasSuffix("\n") ? file.text : file.text + "\n")```\n"
                }
            }
        }
        return out
    }
}
