import Foundation
import TestSupport
import Testing

/// What a pre-commit hook pays at every start, kept off by construction (speed itself is measured by
/// bench/scan-compare.sh, never asserted here).
@Suite struct StartupCostTests {
    /// ArgumentParser names a command without `commandName` by `String(describing:)` of its type, which walks the
    /// binary's protocol-conformance records several times per command on every run (about 1 ms in all).
    @Test func everyCommandNamesItself() throws {
        var missing: [String] = []
        for folder in ["Sources/eskit", "Sources/eskit-providers", "Sources/EskitCommandLine"] {
            let root = Fixtures.packageRoot.appendingPathComponent(folder)
            let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                if Self.unnamedConfigurations(in: text) > 0 { missing.append("\(folder)/\(file)") }
            }
        }
        #expect(missing.isEmpty, "CommandConfiguration without commandName in \(missing)")
    }

    /// The check above sees a configuration without a name.
    @Test func theNameCheckSeesAnUnnamedCommand() {
        #expect(Self.unnamedConfigurations(in: "CommandConfiguration(\n    abstract: \"x\")") == 1)
        #expect(Self.unnamedConfigurations(in: "CommandConfiguration(\n    commandName: \"x\", abstract: \"y\")") == 0)
        #expect(Self.unnamedConfigurations(in: "CommandConfiguration(commandName: \"plan\")") == 0)
    }

    /// How many `CommandConfiguration(` calls do not start with `commandName:`.
    static func unnamedConfigurations(in text: String) -> Int {
        var count = 0
        var rest = Substring(text)
        while let call = rest.range(of: "CommandConfiguration(") {
            rest = rest[call.upperBound...]
            if !rest.drop(while: { $0 == " " || $0 == "\n" }).hasPrefix("commandName:") { count += 1 }
        }
        return count
    }

    /// libgit2's mbedTLS set-up parses the system CA bundle at `git_libgit2_init`; the release binary defers it
    /// to the first TLS use (scripts/libgit2-lazy-tls.c), which a scan never makes.
    @Test(
        .enabled(if: ReleaseFolder.url != nil, "ESKIT_RELEASE_DIR is not set (run `make test`)"),
        .enabled(if: OptionalTools.executable("strace") != nil, "strace is not installed"))
    func aReleaseScanNeverReadsTheCABundle() throws {
        let archive = try ReleaseArchiveCLITests.archive()
        let prefix = try Fixtures.temporaryFolder("eskit-ca")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let install = try run(
            "/bin/sh",
            [Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path, archive.path, prefix.path])
        try #require(install.status == 0, "\(install.stderr)")
        let repo = try acmeRepository()
        try repo.commit("leak", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let trace = prefix.appendingPathComponent("trace.txt").path
        let strace = try #require(OptionalTools.executable("strace"))
        let scan = try run(
            strace,
            [
                "-f", "-e", "trace=openat,open,stat,newfstatat", "-o", trace, prefix.path + "/bin/eskit", "scan",
                "--history", "--no-progress", repo.root.path,
            ])
        #expect(scan.status == 1, "\(scan.stderr)")
        let calls = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(calls.contains(repo.root.path), "the trace holds the scan's own file opens")
        #expect(!calls.contains("ca-certificates") && !calls.contains("/etc/ssl/certs"), "the CA bundle was read")
    }
}
