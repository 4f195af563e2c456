import EskitLint
import Foundation
import TestSupport
import Testing

@Suite struct LintDocsTests {
    @Test func rulesDocumentIsCurrent() throws {
        try Golden.check(LintRules.markdown(), against: Fixtures.packageRoot.appendingPathComponent("docs/rules.md"))
    }
}
