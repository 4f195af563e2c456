import EskitCore
import EskitScan
import Foundation
import Testing
import TestSupport

/// `docs/detectors.md` is generated from `BuiltInDetectors.all`; `ESKIT_RECORD=1` rewrites it (and fails).
@Suite struct DetectorCatalogTests {
    static func render() -> String {
        var out = """
            # Built-in detectors

            Generated from `BuiltInDetectors.all` by `DetectorCatalogTests`
            (`ESKIT_RECORD=1 swift test --filter DetectorCatalogTests` rewrites it). Each detector carries its own
            positive and negative examples, run by `DetectorExampleTests`. Disable a rule with `disabledRules: [id]`
            in `.eskit.yaml`; add one with `rules:` (see `ScanConfiguration`).

            | id | severity | kind | finds |
            |---|---|---|---|

            """
        for d in BuiltInDetectors.all {
            out += "| `\(d.id)` | \(d.severity.rawValue) | \(d.kind.rawValue) | \(d.description) |\n"
        }
        return out
    }

    @Test func catalogIsCurrent() throws {
        let url = Fixtures.packageRoot.appendingPathComponent("docs/detectors.md")
        let expected = Self.render()
        if ProcessInfo.processInfo.environment["ESKIT_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(expected.utf8).write(to: url)
            Issue.record("recorded \(url.path)")
            return
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "docs/detectors.md is stale: run ESKIT_RECORD=1 swift test --filter DetectorCatalogTests")
    }
}
