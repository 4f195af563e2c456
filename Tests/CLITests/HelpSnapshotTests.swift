import Foundation
import Testing
import TestSupport

@Suite struct HelpSnapshotTests {
    @Test(arguments: [(["--help"], "help.txt"), (["scan", "--help"], "scan-help.txt"),
                      (["install-hook", "--help"], "install-hook-help.txt"),
                      (["validate", "--help"], "validate-help.txt")])
    func helpSnapshots(arguments: [String], file: String) throws {
        let result = try eskit(arguments, environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        let url = Fixtures.url("expected/cli/\(file)")
        if ProcessInfo.processInfo.environment["ESKIT_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: url)
            Issue.record("recorded \(url.path); run again without ESKIT_RECORD")
            return
        }
        #expect(result.stdout == (try String(contentsOf: url, encoding: .utf8)), "ESKIT_RECORD=1 re-records \(file)")
    }
}
