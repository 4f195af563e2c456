import EskitCore
import EskitLint
import Foundation
import TestSupport
import Testing

/// A realistic repository (fixtures/lint/repo: kustomize overlays, a Helm chart with ESO templates, hand-written
/// stores, RBAC, monitoring) with a few mistakes of each kind gives exactly the expected report.
@Suite struct LintRepositoryTests {
    /// A password-like value built at run time (the fixture folder stays clean under `eskit scan`).
    static let value = "Zx9" + String("kQ7mVt2LpW8rN4sB".reversed())

    static func files() throws -> [LintFile] {
        var files = try LintGuideTests.files("lint/repo")
        files.append(
            LintFile(
                path: "legacy/secret.yaml",
                text: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-api-keys\n  namespace: web\n"
                    + "stringData:\n  STRIPE_PASSWORD: \(value)\n"))
        return files
    }

    @Test func theReportIsExactlyTheExpectedOne() throws {
        let report = Linter.lint(try Self.files())
        let text = LintReporter.render(report, format: .text)
        try Golden.check(text, against: Fixtures.url("lint/repo.expected.txt"))
        #expect(!text.contains(Self.value.prefix(6)))
        // Every rule group has a finding here.
        let groups = Set(report.problems.compactMap { LintRules.rule($0.ruleID)?.group })
        #expect(groups == Set(LintRules.all.map(\.group)))
    }

    @Test func jsonSarifAndJUnitCarryTheSameProblems() throws {
        let report = Linter.lint(try Self.files())
        let json = try JSONSerialization.jsonObject(with: Data(LintReporter.render(report, format: .json).utf8))
        let problems = try #require((json as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.count == report.problems.count)
        #expect(problems.first?["rule"] as? String == report.problems.first?.ruleID)
        let sarif = try JSONSerialization.jsonObject(with: Data(LintReporter.render(report, format: .sarif).utf8))
        let runs = try #require((sarif as? [String: Any])?["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.count == report.problems.count)
        let junit = LintReporter.render(report, format: .junit)
        #expect(junit.contains("<testcase classname=\"eskit.lint.references\" name=\"target-conflict\">"))
        for format in LintReporter.Format.allCases {
            #expect(!LintReporter.render(report, format: format).contains(Self.value.prefix(6)), "\(format)")
        }
    }

    @Test func helmEscapingFixKeepsEveryOtherByte() throws {
        let files = try Self.files()
        let changes = LintFixer.changes(Linter.lint(files), files: files)
        let chart = try #require(changes.first { $0.file.hasSuffix("templates/externalsecret.yaml") })
        let before = String(decoding: chart.before, as: UTF8.self)
        let after = String(decoding: chart.after, as: UTF8.self)
        #expect(
            after
                == before.replacingOccurrences(
                    of: "stripe_key: {{ .stripeKey }}", with: "stripe_key: {{ `{{ .stripeKey }}` }}"))
        var fixed = files
        for change in changes { fixed[fixed.firstIndex { $0.path == change.file }!].bytes = change.after }
        let again = Linter.lint(fixed)
        #expect(!again.problems.contains { $0.ruleID == "helm-renders-eso-template" || $0.ruleID == "eso-api-version" })
        #expect(LintFixer.changes(again, files: fixed).isEmpty)
    }

    /// Everything `eskit generate` writes (the generator's golden output) lints without errors; the one warning is
    /// the `refreshInterval: 0s` the policies inventory asks for on purpose.
    @Test func generatedManifestsLintClean() throws {
        let report = Linter.lint(try LintGuideTests.files("expected/generate"))
        #expect(report.documents > 90)
        #expect(report.errors == 0, "\(report.problems.filter { $0.severity == .error })")
        #expect(report.problems.map(\.ruleID) == ["refresh-never"])
    }
}
