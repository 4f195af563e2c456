import EskitCore
import Testing

@testable import EskitReport

/// File names and commit metadata come from the scanned repository: the text report must not let them drive the
/// terminal (clear the screen, set the title, reorder text with bidirectional overrides).
@Suite struct TextReporterSafetyTests {
    static let hostile: Finding = {
        let commit = CommitInfo(
            id: "0123456789abcdef0123456789abcdef01234567", authorName: "Evil\u{1B}[31mRed",
            authorEmail: "e@example.invalid", date: 0, summary: "summary \u{1B}]0;pwned\u{07} here")
        return Finding(
            ruleID: "generic-password", description: "Password assigned in plain text", severity: .high,
            file: "we\u{1B}[2Jird\nname\u{202E}lmay.yaml", span: ReportFixtures.span(1, 1, length: 5),
            secret: RedactedSecret("p\u{1B}[0m" + "wd-value-1"), commit: commit,
            occurrences: [Occurrence(commit: "89abcdef0123456789abcdef0123456789abcdef", path: "x\u{9B}2J.yaml")])
    }()

    @Test(arguments: [false, true])
    func controlCharactersAreShownAsEscapes(color: Bool) {
        let text = TextReporter(options: ReportOptions(showSecrets: true, color: color))
            .render([Self.hostile], summary: ScanSummary(scanned: 1))
        #expect(!text.unicodeScalars.contains { [0x07, 0x9B, 0x202E].contains($0.value) })
        #expect(text.contains("we\\x1B[2Jird\\nname\\u{202E}lmay.yaml"))
        #expect(text.contains("Evil\\x1B[31mRed"))
        #expect(text.contains("summary \\x1B]0;pwned\\x07 here"))
        #expect(text.contains("x\\x9B2J.yaml"))
        #expect(text.contains("p\\x1B[0mwd-value-1"), "even a revealed secret cannot drive the terminal")
        var rest = Substring(text)
        while let escape = rest.firstIndex(of: "\u{1B}") {
            let sequence = rest[escape...].prefix { $0 != "m" }
            #expect(
                color && sequence.dropFirst(2).allSatisfy { $0.isNumber || $0 == ";" }
                    && sequence.dropFirst().first == "[",
                "only the reporter's own colour codes reach the terminal")
            rest = rest[rest.index(after: escape)...]
        }
    }

    @Test func ordinaryTextIsUnchanged() {
        #expect(TextReporter.visible("apps/ünïcode/secret.yaml") == "apps/ünïcode/secret.yaml")
    }
}
