import Foundation
import TestSupport
import Testing

/// `--output` targets a platform engineer actually uses: stdout redirected to a file, links, folders that cannot
/// hold the report.
@Suite struct ScanOutputCLITests {
    private func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// `--output /dev/stdout > report.json` once renamed a temporary file over `/dev/stdout` (a link into
    /// /proc/self/fd); a link of the same shape in a temporary folder shows the fix without risking the real one.
    @Test func outputThroughAProcFdLinkWritesTheRedirectedStdout() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let out = try Fixtures.temporaryFolder("eskit-out")
        let link = out.appendingPathComponent("stdout-link")
        let report = out.appendingPathComponent("report.json")
        #expect(symlink("/proc/self/fd/1", link.path) == 0)
        let command = "'\(Fixtures.eskitBinary.path)' scan --format json --output '\(link.path)' > '\(report.path)'"
        let result = try run("/bin/sh", ["-c", command], in: repo.root)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(isSymlink(link.path), "the link is written through, never replaced")
        #expect(try jsonFindings(String(contentsOf: report, encoding: .utf8)).count == 1)
        #expect(isSymlink("/dev/stdout"))
    }

    /// A report written to a file still says on stderr what was found; the JSON report (which keeps secret hashes)
    /// and the baseline are readable by their owner only, the SARIF report by anyone.
    @Test func outputToAFileKeepsASummaryOnStderrAndJSONIsPrivate() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let out = try Fixtures.temporaryFolder("eskit-out")
        defer { try? FileManager.default.removeItem(at: out) }
        for (format, mode) in [("json", 0o600), ("sarif", 0o644)] {
            let report = out.appendingPathComponent("report.\(format)")
            let result = try eskit(
                ["scan", "--format", format, "--output", report.path], in: repo.root,
                reports: [report])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("1 finding in 1 file"), "\(result.stderr)")
            #expect(result.stderr.contains("Report: \(report.path)"))
            let attributes = try FileManager.default.attributesOfItem(atPath: report.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(format)")
        }
        let baseline = out.appendingPathComponent("base.json")
        _ = try eskit(["scan", "--baseline-out", baseline.path], in: repo.root)
        let attributes = try FileManager.default.attributesOfItem(atPath: baseline.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func outputOverALinkToAFileReplacesTheLinkNotTheFile() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let out = try Fixtures.temporaryFolder("eskit-out")
        let other = out.appendingPathComponent("other.txt")
        try Data("keep".utf8).write(to: other)
        let link = out.appendingPathComponent("report.json")
        #expect(symlink("other.txt", link.path) == 0)
        let result = try eskit(["scan", "--format", "json", "--output", link.path], in: repo.root, reports: [link])
        #expect(result.status == 1)
        #expect(!isSymlink(link.path))
        #expect(try jsonFindings(String(contentsOf: link, encoding: .utf8)).count == 1)
        #expect(try String(contentsOf: other, encoding: .utf8) == "keep")
    }

    @Test func outputUnderAFileIsOneClearErrorAndExit2() throws {
        let repo = try acmeRepository()
        let out = try Fixtures.temporaryFolder("eskit-out")
        let file = out.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let result = try eskit(["scan", "--output", file.appendingPathComponent("report.txt").path], in: repo.root)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("eskit: \(file.path)/report.txt: create a temporary file in") == true)
        #expect(result.stderr.contains("Not a directory"))
    }
}
