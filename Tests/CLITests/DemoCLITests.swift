import Foundation
import TestSupport
import Testing

/// `make demo` tells its story end to end (in a temporary folder, never in the source tree) without printing a
/// single secret value.
@Suite struct DemoCLITests {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: python != nil, "the demo builds its repository with python3"))
    func demoGoesFromPlaintextToCleanAndBlocksTheNextToken() throws {
        let folder = try Fixtures.temporaryFolder("eskit-demo").appendingPathComponent("demo")
        let script = Fixtures.packageRoot.appendingPathComponent("fixtures/demo/run.sh").path
        let demo = try run(
            "/bin/bash", [script, Fixtures.eskitBinary.path], in: Fixtures.packageRoot,
            environment: ["ESKIT_DEMO_DIR": folder.path, "HOME": folder.path])
        #expect(demo.status == 0, "\(demo.stderr)")
        let out = demo.stdout
        for line in [
            "Deleted but still in every clone: apps/debug/alerting.yaml",
            "== 7. After: the work tree scans clean\n$ eskit scan .demo/repo\nNo secrets found",
            "--baseline .demo/baseline.json .demo/repo\nNo secrets found",
            "eskit: commit blocked", "(commit blocked; HEAD is still: ",
        ] {
            #expect(out.contains(line), "demo output lacks: \(line)")
        }

        let revealed = try run(
            Fixtures.eskitBinary.path,
            [
                "scan", "--history", "--format", "json", "--show-secrets",
                folder.appendingPathComponent("repo").path,
            ])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(revealed.stdout.utf8)) as? [String: Any])
        let secrets = try #require(root["findings"] as? [[String: Any]]).compactMap { $0["secret"] as? String }
        #expect(secrets.count >= 10)
        for secret in secrets { #expect(!(out + demo.stderr).contains(secret), "the demo prints a secret value") }
    }
}
