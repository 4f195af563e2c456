import Foundation
import TestSupport
import Testing

/// `eskit generate` writes only below its output root, through real folders, one run at a time, and cleans up
/// after a killed run.
@Suite struct GenerateSafetyCLITests {
    static var binary: String { Fixtures.eskitBinary.path }

    func demoCopy() throws -> URL {
        let root = try Fixtures.temporaryFolder("eskit-safety")
        try FileManager.default.copyItem(
            at: Fixtures.url("demo/eskit.yaml"), to: root.appendingPathComponent("eskit.yaml"))
        return root
    }

    @Test func aSymlinkedOutputFolderIsRefusedAndNothingIsWrittenThroughIt() throws {
        let root = try demoCopy()
        let outside = try Fixtures.temporaryFolder("eskit-outside")
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("out"), withIntermediateDirectories: true)
        #expect(symlink(outside.path, root.appendingPathComponent("out/staging").path) == 0)
        let result = try run(Self.binary, ["generate"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.contains("out/staging: a symbolic link in an output folder"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func aSymlinkBelowTheOutputFolderIsRefusedToo() throws {
        let root = try demoCopy()
        let outside = try Fixtures.temporaryFolder("eskit-outside")
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: outside) }
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        let harbor = root.appendingPathComponent("out/staging/harbor-staging")
        try FileManager.default.removeItem(at: harbor)
        #expect(symlink(outside.path, harbor.path) == 0)
        for arguments in [["generate"], ["generate", "--check"]] {
            let result = try run(Self.binary, arguments, in: root)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("harbor-staging: a symbolic link"), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func temporaryFilesOfAKilledRunAreReportedThenRemoved() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        let stray = root.appendingPathComponent("out/production/.kustomization.yaml.tmp-a1b2c3")
        try Data("half writ".utf8).write(to: stray)
        let check = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(check.status == 1)
        #expect(
            check.stderr.contains(".kustomization.yaml.tmp-a1b2c3: temporary file left by an interrupted eskit run"))
        let fix = try run(Self.binary, ["generate"], in: root)
        #expect(fix.status == 0)
        #expect(fix.stdout.contains("removed 1 temporary file"))
        #expect(!FileManager.default.fileExists(atPath: stray.path))
        #expect(try run(Self.binary, ["generate", "--check"], in: root).status == 0)
    }

    /// A second run waits for the first (here: the test holds the lock) instead of reading half-applied output.
    @Test func aConcurrentRunWaitsForTheLock() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let fd = open(root.path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["generate"]
        process.currentDirectoryURL = root
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 0.8)
        #expect(process.isRunning, "generate must wait while another run holds the folder")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
        flock(fd, LOCK_UN)
        close(fd)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("waiting for another eskit run"))
    }
}
