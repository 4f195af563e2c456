import EskitCore

/// `--format junit`: one `<testsuite>` per file holding findings, one failing `<testcase>` per finding. A clean
/// scan is one passing test case, so CI systems show the check ran.
public struct JUnitReporter: Reporter {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ findings: [Finding], summary: ScanSummary) -> String {
        let sorted = findings.sorted(by: Finding.reportOrder)
        var files: [(String, [Finding])] = []
        for f in sorted {
            if files.last?.0 == f.file { files[files.count - 1].1.append(f) } else { files.append((f.file, [f])) }
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let errors = summary.isIncomplete ? 1 : 0
        let tests = max(findings.count, 1) + errors
        xml +=
            "<testsuites name=\"eskit scan\" tests=\"\(tests)\" failures=\"\(findings.count)\" errors=\"\(errors)\">\n"
        if summary.isIncomplete {
            xml +=
                "  <testsuite name=\"eskit scan: completeness\" tests=\"1\" failures=\"0\" errors=\"1\" "
                + "skipped=\"0\">\n"
            xml += "    <testcase classname=\"eskit\" name=\"everything could be read\">\n"
            xml += "      <error message=\"\(summary.notRead.count) items could not be read\" type=\"incomplete\">"
            xml += Self.escape(summary.notRead.joined(separator: "\n")) + "</error>\n    </testcase>\n  </testsuite>\n"
        }
        if files.isEmpty {
            xml += "  <testsuite name=\"eskit scan\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
            xml += "    <testcase classname=\"eskit\" name=\"no secrets in \(summary.scanned) scanned files\"/>\n"
            xml += "  </testsuite>\n"
        }
        for (file, group) in files {
            xml +=
                "  <testsuite name=\"\(Self.escape(file))\" tests=\"\(group.count)\" failures=\"\(group.count)\" "
                + "errors=\"0\" skipped=\"0\">\n"
            for f in group {
                let position = "\(f.span.start.line):\(f.span.start.column)"
                xml +=
                    "    <testcase classname=\"\(Self.escape(file))\" "
                    + "name=\"\(Self.escape("\(f.ruleID) at \(file):\(position)"))\">\n"
                let message = "\(f.description) (\(f.severity.rawValue) \(f.kind.rawValue))"
                xml += "      <failure message=\"\(Self.escape(message))\" type=\"\(Self.escape(f.ruleID))\">"
                var body = [
                    "\(file):\(position): \(f.description)",
                    "severity: \(f.severity.rawValue)", "kind: \(f.kind.rawValue)",
                    "preview: \(f.secret.preview)",
                ]
                if options.showSecrets { body.append("secret: \(f.secret.revealed)") }
                if let c = f.commit {
                    body.append(
                        "commit: \(c.id) \(UTCDate.iso8601(c.date)) \(c.authorName) <\(c.authorEmail)> \(c.summary)")
                }
                for o in f.occurrences { body.append("also in: \(o.commit) \(o.path)") }
                xml += Self.escape(body.joined(separator: "\n"))
                xml += "</failure>\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Escapes the five XML specials and drops characters XML 1.0 cannot hold.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
