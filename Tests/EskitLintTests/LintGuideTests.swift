import EskitCore
import EskitLint
import Foundation
import TestSupport
import Testing

/// The original guide's manifests (fixtures/lint/guide, copied from `../shared/seed/eso-guide.ja.md`; see its
/// README) give exactly the problems `../shared/design/FACTS.md` lists, plus the real ones the guide's files have
/// between them (a namespaced store used from other namespaces, a key the Deployment reads that the templated
/// ExternalSecret no longer writes, an `auth/` mount path).
@Suite struct LintGuideTests {
    /// Every file under `fixtures/<folder>`, named relative to it.
    static func files(_ folder: String) throws -> [LintFile] {
        let root = Fixtures.url(folder)
        var out: [LintFile] = []
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "yaml" else { continue }
            let relative = String(url.path.dropFirst(root.path.count + 1))
            out.append(LintFile(path: relative, bytes: Array(try Data(contentsOf: url))))
        }
        return out.sorted { $0.path < $1.path }
    }

    @Test func theGuideGivesTheKnownProblems() throws {
        let report = Linter.lint(try Self.files("lint/guide"))
        try Golden.check(
            LintReporter.render(report, format: .text), against: Fixtures.url("lint/guide.expected.txt"))
        let rules = Set(report.problems.map(\.ruleID))
        // FACTS.md: v1beta1 everywhere; the HCP Vault Secrets endpoint; metric names that do not exist; cluster-wide
        // Secret write access; "Pods pick up the new Secret automatically" (only mounted volumes do).
        for rule in [
            "eso-api-version", "vault-hcp-vault-secrets", "eso-metric-unknown", "rbac-secrets-cluster-wide",
            "consumer-env-rotation",
        ] {
            #expect(rules.contains(rule), "\(rule)")
        }
        #expect(report.problems.count { $0.ruleID == "eso-api-version" } == 4)
        #expect(report.problems.count { $0.ruleID == "eso-metric-unknown" } == 2)
    }

    @Test func theMultiEnvironmentVariantUsesHelmOutsideAChart() throws {
        let report = Linter.lint(try Self.files("lint/guide-multienv"))
        try Golden.check(
            LintReporter.render(report, format: .text), against: Fixtures.url("lint/guide-multienv.expected.txt"))
        #expect(report.problems.contains { $0.ruleID == "helm-outside-chart" })
    }

    /// --fix on the guide: every v1beta1 object bumped, nothing else touched, and a second pass has nothing to do.
    @Test func fixBumpsEveryObjectAndIsIdempotent() throws {
        let files = try Self.files("lint/guide")
        let changes = LintFixer.changes(Linter.lint(files), files: files)
        #expect(changes.count == 4)
        var fixed = files
        for change in changes {
            let i = try #require(fixed.firstIndex { $0.path == change.file })
            fixed[i].bytes = change.after
            let before = String(decoding: change.before, as: UTF8.self).split(
                separator: "\n", omittingEmptySubsequences: false)
            let after = String(decoding: change.after, as: UTF8.self).split(
                separator: "\n", omittingEmptySubsequences: false)
            #expect(before.count == after.count)
            for (a, b) in zip(before, after) where a != b {
                #expect(
                    a.hasPrefix("apiVersion: external-secrets.io/v1beta1") && b == "apiVersion: external-secrets.io/v1")
            }
        }
        let again = Linter.lint(fixed)
        #expect(!again.problems.contains { $0.ruleID == "eso-api-version" })
        #expect(LintFixer.changes(again, files: fixed).isEmpty)
    }
}
