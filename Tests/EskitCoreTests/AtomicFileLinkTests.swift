import EskitCore
import Foundation
import TestSupport
import Testing

/// Symlinks and descriptor paths: `--output /dev/stdout` with stdout redirected to a file once replaced the
/// machine's `/dev/stdout` link with a regular file (as root).
@Suite struct AtomicFileLinkTests {
    private func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func symlinkToARegularFileReplacesTheFileAndKeepsTheLink() throws {
        let dir = try Fixtures.temporaryFolder()
        let real = dir.appendingPathComponent("real.json").path
        let link = dir.appendingPathComponent("link.json").path
        try AtomicFile.write("old", to: real)
        #expect(symlink("real.json", link) == 0)
        try AtomicFile.write("new", to: link)
        #expect(isSymlink(link))
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["link.json", "real.json"])
    }

    @Test func linkIntoProcFdWritesTheDescriptorNeverReplacingTheLink() throws {
        let dir = try Fixtures.temporaryFolder()
        let file = dir.appendingPathComponent("stdout.txt").path
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        var before = stat()
        #expect(stat(file, &before) == 0)
        let link = dir.appendingPathComponent("stdout-link").path
        #expect(symlink("/proc/self/fd/\(fd)", link) == 0)

        try AtomicFile.write("via link\n", to: link)
        try AtomicFile.write("via dev fd\n", to: "/dev/fd/\(fd)")

        #expect(isSymlink(link), "the link to /proc/self/fd is not replaced")
        var after = stat()
        #expect(stat(file, &after) == 0)
        #expect(after.st_ino == before.st_ino, "the file behind the descriptor is written, not renamed over")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "via link\nvia dev fd\n")
        #expect(isSymlink("/dev/stdout"), "/dev/stdout is still the system's link")
    }
}
