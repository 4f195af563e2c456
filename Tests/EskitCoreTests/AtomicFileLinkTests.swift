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

    @Test func aSymlinkToARegularFileIsReplacedNeverWrittenThrough() throws {
        let dir = try Fixtures.temporaryFolder()
        let elsewhere = dir.appendingPathComponent("elsewhere.txt").path
        let link = dir.appendingPathComponent("out.yaml").path
        try AtomicFile.write("precious", to: elsewhere)
        #expect(symlink("elsewhere.txt", link) == 0)
        try AtomicFile.write("generated", to: link)
        #expect(!isSymlink(link))
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "generated")
        #expect(
            try String(contentsOfFile: elsewhere, encoding: .utf8) == "precious",
            "a planted link cannot redirect the write")
    }

    @Test func aSymlinkToAFIFOIsWrittenInPlace() throws {
        let dir = try Fixtures.temporaryFolder()
        let fifo = dir.appendingPathComponent("pipe").path
        let link = dir.appendingPathComponent("report").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(symlink("pipe", link) == 0)
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 64)
            _ = read(fd, &buffer, buffer.count)
            close(fd)
        }
        reader.start()
        try AtomicFile.write("through the link\n", to: link)
        #expect(isSymlink(link))
        var st = stat()
        #expect(stat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
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
