import Foundation
import TestSupport
import Testing

@Suite struct HelpSnapshotTests {
    @Test(arguments: [
        (["--help"], "help.txt"), (["scan", "--help"], "scan-help.txt"),
        (["install-hook", "--help"], "install-hook-help.txt"),
        (["validate", "--help"], "validate-help.txt"),
    ])
    func helpSnapshots(arguments: [String], file: String) throws {
        let result = try eskit(arguments, environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        try Golden.check(result.stdout, against: Fixtures.url("expected/cli/\(file)"))
    }
}
