import Foundation
import TestSupport
import Testing

/// Every way `eskit scan` can be called wrongly: exit status 2, nothing on stdout, one line on stderr that names
/// the problem.
@Suite struct ScanUsageCLITests {
    /// Arguments (`{repo}`, `{plain}`, `{bare}` stand for the fixtures' paths) and a fragment the message must hold.
    static let cases: [(arguments: [String], names: String)] = [
        (["scan", "--bogus"], "Unknown option '--bogus'"),
        (["scan", "{repo}", "extra"], "extra: no such file or folder"),
        (["scan", "--format", "xml", "{repo}"], "'xml' is invalid for '--format"),
        (["scan", "{repo}", "--format"], "Missing value for '--format"),
        (["scan", "--color", "sometimes", "{repo}"], "'sometimes' is invalid for '--color"),
        (["scan", "--jobs", "abc", "{repo}"], "'abc' is invalid for '--jobs'"),
        (["scan", "--jobs", "0", "{repo}"], "--jobs must be at least 1"),
        (["scan", "--staged", "--history", "{repo}"], "--staged cannot be combined with --history"),
        (["scan", "--staged", "--range", "HEAD~1..HEAD", "{repo}"], "--staged cannot be combined"),
        (
            ["scan", "--range", "a..b", "--since-commit", "c", "{repo}"],
            "--range and --since-commit exclude each other"
        ),
        (["scan", "-", "--history"], "standard input (`-`) cannot be combined"),
        (["scan", "--untracked", "--history", "{repo}"], "--untracked applies to work tree scans only"),
        (["scan", ""], "PATH is empty"),
        (["scan", "{plain}", "--history"], "--history needs a git repository: {plain} is not in one"),
        (
            ["scan", "{plain}/notes.txt", "--staged"],
            "--staged needs a git repository: {plain}/notes.txt is not in one"
        ),
        (["scan", "{plain}", "--range", "HEAD~1..HEAD"], "--range needs a git repository"),
        (["scan", "{plain}", "--since-commit", "HEAD"], "--since-commit needs a git repository"),
        (["scan", "{plain}/missing"], "{plain}/missing: no such file or folder"),
        (["scan", "{bare}"], "is a bare repository: scan it with --history"),
        (["scan", "{bare}", "--staged"], "it has no staged change"),
        (["scan", "{repo}/.git"], "is inside the git folder"),
        (["scan", "{repo}", "--range", "nope..HEAD"], "nope"),
        (["scan", "{repo}", "--config", "{plain}/missing.yaml"], "{plain}/missing.yaml"),
        (["scan", "{repo}", "--baseline", "{plain}/missing.json"], "{plain}/missing.json"),
        (["scan", "{repo}", "--ignore-file", "{plain}/missing-ignore"], "{plain}/missing-ignore"),
        (["scan", "{repo}", "--output", "{plain}/no/dir/report.json"], "{plain}/no/dir/report.json"),
        (
            ["scan", "{repo}", "--baseline-out", "{plain}"],
            "eskit: {plain}: error: cannot write baseline: open failed: Is a directory\n"
        ),
        (["generate", "--bogus"], "Unknown option '--bogus' (see 'eskit generate --help')"),
    ]

    @Test func everyUsageErrorIsOneLineAndExitsTwo() throws {
        let repo = try GitRepoBuilder()
        try repo.commit("init", files: ["a.yaml": "clean: true\n"])
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: plain) }
        try Data("nothing here\n".utf8).write(to: plain.appendingPathComponent("notes.txt"))
        let bare = plain.appendingPathComponent("bare.git")
        _ = try run("/usr/bin/env", ["git", "init", "-q", "--bare", bare.path])

        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{repo}", with: repo.root.path)
                .replacingOccurrences(of: "{plain}", with: plain.path)
                .replacingOccurrences(of: "{bare}", with: bare.path)
        }
        for c in Self.cases {
            let arguments = c.arguments.map(fill)
            let result = try eskit(arguments, in: plain)
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let shown = "eskit \(arguments.joined(separator: " ")): \(result.stderr)"
            #expect(result.status == 2, "\(shown)")
            #expect(result.stdout.isEmpty, "\(shown)")
            #expect(lines.count == 1 && result.stderr.hasSuffix("\n"), "one line: \(shown)")
            #expect(result.stderr.hasPrefix("eskit: "), "\(shown)")
            #expect(result.stderr.contains(fill(c.names)), "names the problem: \(shown)")
        }
    }

    @Test func helpAndVersionStillExitZero() throws {
        let help = try eskit(["scan", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: eskit scan"))
        #expect(try eskit(["--version"]).status == 0)
    }
}
