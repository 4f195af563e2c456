import EskitCore
import Foundation
import TestSupport
import Testing

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let dir = try Fixtures.temporaryFolder()
        let path = dir.appendingPathComponent("a/b/out.txt").path
        try AtomicFile.write("one", to: path, createFolders: true)
        try AtomicFile.write("two", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a/b").path) == ["out.txt"])
    }

    @Test func nonRegularTargetIsWrittenInPlace() throws {
        // /dev/null stays a character device: it is written, never replaced.
        try AtomicFile.write("x", to: "/dev/null")
        var st = stat()
        #expect(stat("/dev/null", &st) == 0)
        #expect((st.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func missingFolderIsAnErrorNamingThePath() {
        #expect(throws: FileError.self) { try AtomicFile.write("x", to: "/nonexistent-eskit/dir/file") }
    }
}

@Suite struct AtomicFileNewFileTests {
    @Test func newFilesGetTheRequestedModeWhateverTheUmask() throws {
        let dir = try Fixtures.temporaryFolder()
        let old = umask(0o077)
        defer { umask(old) }
        let path = dir.appendingPathComponent("new.yaml").path
        try AtomicFile.write("a: 1\n", to: path, sync: false)
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o644)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a: 1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["new.yaml"])
    }
}
