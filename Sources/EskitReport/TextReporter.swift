import EskitCore

/// The default human report: findings grouped by file, one line each (position, severity, rule, description,
/// redacted preview), history details below, and a summary line with counts by severity and kind.
public struct TextReporter: Reporter {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) { self.options = options }

    public func render(_ findings: [Finding], summary: ScanSummary) -> String {
        let sorted = findings.sorted(by: Finding.reportOrder)
        var out = ""
        var currentFile: String?
        let positionWidth = sorted.map { "\($0.span.start.line):\($0.span.start.column)".count }.max() ?? 0
        let ruleWidth = sorted.map(\.ruleID.count).max() ?? 0
        for f in sorted {
            if f.file != currentFile {
                if currentFile != nil { out += "\n" }
                out += paint(Self.visible(f.file), "1;4") + "\n"
                currentFile = f.file
            }
            let position = "\(f.span.start.line):\(f.span.start.column)"
            out += "  " + pad(position, positionWidth) + "  "
            out += paint(pad(f.severity.rawValue, 8), Self.colour(f.severity)) + " "
            out += paint(pad(Self.visible(f.ruleID), ruleWidth), "36") + "  " + Self.visible(f.description)
            out += "  " + paint(Self.visible(options.showSecrets ? f.secret.revealed : f.secret.preview), "2")
            if f.kind == .defaultCredential { out += " " + paint("(default credential)", "33") }
            out += "\n"
            let indent = "  " + String(repeating: " ", count: positionWidth) + "  "
            if let c = f.commit {
                let line =
                    "commit \(c.id.prefix(12)) \(UTCDate.day(c.date)) \(c.authorName) <\(c.authorEmail)> \(c.summary)"
                out += indent + paint(Self.visible(line), "2") + "\n"
            }
            if !f.occurrences.isEmpty {
                let places = f.occurrences.prefix(3).map { "\($0.commit.prefix(12)):\(Self.visible($0.path))" }
                    .joined(separator: ", ")
                let more = f.occurrences.count > 3 ? " and \(f.occurrences.count - 3) more" : ""
                out += indent + paint("also in \(places)\(more)", "2") + "\n"
            }
        }
        if !sorted.isEmpty { out += "\n" }
        if summary.isIncomplete {
            out +=
                paint(
                    "Incomplete: \(summary.notRead.count) item\(summary.notRead.count == 1 ? "" : "s") could not be "
                        + "read",
                    "1;33") + "\n"
            for item in summary.notRead.prefix(20) { out += "  " + Self.visible(item) + "\n" }
            if summary.notRead.count > 20 {
                out += "  ... and \(summary.notRead.count - 20) more (see --format json)\n"
            }
            out += "\n"
        }
        out += summaryLine(sorted, summary) + "\n"
        return out
    }

    /// The last line of the text report (`3 findings in 2 files (...); 12 files scanned.`), also printed on
    /// standard error when a report goes to a file.
    public func summaryLine(_ findings: [Finding], _ summary: ScanSummary) -> String {
        let noun = summary.commits != nil ? "blob" : "file"
        var scanned = "\(summary.scanned) \(noun)\(summary.scanned == 1 ? "" : "s") scanned"
        if let commits = summary.commits { scanned += " in \(commits) commit\(commits == 1 ? "" : "s")" }
        var skipped: [String] = []
        if summary.skippedBinary > 0 { skipped.append("\(summary.skippedBinary) binary") }
        if summary.skippedHuge > 0 { skipped.append("\(summary.skippedHuge) huge") }
        if summary.isIncomplete { skipped.append("\(summary.notRead.count) unreadable") }
        let skippedText = skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))"
        guard !findings.isEmpty else {
            if summary.isIncomplete {
                return paint("Incomplete scan: no secrets in what could be read", "1;33")
                    + " (\(scanned)\(skippedText))."
            }
            return paint("No secrets found", "32") + " (\(scanned)\(skippedText))."
        }
        let bySeverity = Severity.allCases.reversed().compactMap { s -> String? in
            let n = findings.count(where: { $0.severity == s })
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        let secrets = findings.count(where: { $0.kind == .secret })
        let defaults = findings.count - secrets
        var kinds: [String] = []
        if secrets > 0 { kinds.append("\(secrets) secret\(secrets == 1 ? "" : "s")") }
        if defaults > 0 { kinds.append("\(defaults) default credential\(defaults == 1 ? "" : "s")") }
        let files = Set(findings.map(\.file)).count
        let head = "\(findings.count) finding\(findings.count == 1 ? "" : "s")"
        return paint(head, "1;31")
            + " in \(files) file\(files == 1 ? "" : "s") (\(bySeverity.joined(separator: ", ")); "
            + "\(kinds.joined(separator: ", "))); \(scanned)\(skippedText)."
    }

    /// `text` safe to print on a terminal: control characters (C0, DEL, C1) and bidirectional overrides, which a
    /// file name or commit message can carry to rewrite the screen, are shown as escapes (`\n`, `\x1B`, `\u{202E}`).
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x100:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func colour(_ severity: Severity) -> String {
        switch severity {
        case .critical: "1;35"
        case .high: "1;31"
        case .medium: "33"
        case .low: "34"
        case .info: "2"
        }
    }
}
