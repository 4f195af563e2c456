import Foundation
import TestSupport
import Testing

/// Runs eskit under a pseudo-terminal (util-linux `script`) to check what only happens on a TTY.
@Suite struct TerminalCLITests {
    static let script = "/usr/bin/script"

    private func onTerminal(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> String
    {
        let unset = environment["NO_COLOR"] == nil ? ["env", "-u", "NO_COLOR"] : []
        let command = (unset + [Fixtures.eskitBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let terminal = ["TERM": "xterm-256color"].merging(environment) { $1 }
        return try run(Self.script, ["-qec", command, "/dev/null"], in: folder, environment: terminal).stdout
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script), "needs util-linux script"))
    func progressAndColourOnlyOnATerminal() throws {
        let repo = try acmeRepository()
        for i in 0..<40 { try repo.commit("c\(i)", files: ["f\(i % 7).yaml": "n: \(i)\n"]) }
        try repo.commit("leak", files: ["leak.yaml": "t: \(TestSecrets.acmeA)\n"])

        let tty = try onTerminal(["scan", "--history"], in: repo.root)
        #expect(tty.contains("eskit: walking commits"), "progress on a terminal")
        #expect(tty.contains("\u{1B}[1;31m"), "colour on a terminal")
        #expect(!tty.contains(TestSecrets.acmeA))

        let quiet = try onTerminal(["scan", "--history", "--no-progress"], in: repo.root)
        #expect(!quiet.contains("eskit: walking commits"))
        let noColour = try onTerminal(
            ["scan", "--history", "--no-progress"], in: repo.root, environment: ["NO_COLOR": "1"])
        #expect(!noColour.contains("\u{1B}["))
        #expect(noColour.contains("leak.yaml"))
        let never = try onTerminal(["scan", "--color", "never"], in: repo.root)
        #expect(!never.contains("\u{1B}[") && never.contains("leak.yaml"))
    }
}
