import EskitCore
import EskitScanning
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder scan outside a repository walks trees deeper than PATH_MAX (each folder opened relative to its parent)
/// and keeps the walker's other rules there: links are not followed, binary files are counted, nothing goes
/// unnamed.
@Suite struct LongPathScanTests {
    /// Assembled at run time so the repository holds no token.
    static let token = "acme_" + String(repeating: "x7w4", count: 8)
    static let config = """
        rules:
          - id: acme-token
            description: ACME API token
            severity: high
            pattern: 'acme_[a-z0-9]{32}'
            keywords: [acme_]

        """

    /// `depth` folders of 200-character names below `root`, made with `mkdirat` / `openat` (a shell or
    /// FileManager cannot reach past PATH_MAX); `files` are written into the deepest one, then `links` (name,
    /// target) are made there. Returns the deepest folder's path relative to `root`.
    static func deepTree(
        at root: String, depth: Int, files: [(String, [UInt8])], links: [(String, String)]
    ) throws -> String {
        var fd = open(root, O_RDONLY | O_DIRECTORY)
        try #require(fd >= 0)
        defer { close(fd) }
        var components: [String] = []
        for level in 0..<depth {
            let name = String(format: "%03d", level) + String(repeating: "d", count: 197)
            try #require(mkdirat(fd, name, 0o755) == 0, "mkdirat: \(String(cString: strerror(errno)))")
            let next = openat(fd, name, O_RDONLY | O_DIRECTORY)
            try #require(next >= 0)
            close(fd)
            fd = next
            components.append(name)
        }
        for (name, bytes) in files {
            let file = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try #require(file >= 0)
            let written = bytes.withUnsafeBytes { write(file, $0.baseAddress!, $0.count) }
            close(file)
            try #require(written == bytes.count)
        }
        for (name, target) in links { try #require(symlinkat(target, fd, name) == 0) }
        return components.joined(separator: "/")
    }

    /// Removes `name` in the folder `parent` and everything below it, relative to each parent folder.
    static func removeTree(_ parent: Int32, _ name: String) {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        if fd >= 0, let dir = fdopendir(fd) {
            var children: [(String, Bool)] = []
            while let entry = readdir(dir) {
                let child = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if child != "." && child != ".." { children.append((child, entry.pointee.d_type == DT_DIR)) }
            }
            for (child, isFolder) in children {
                if isFolder { removeTree(dirfd(dir), child) } else { unlinkat(dirfd(dir), child, 0) }
            }
            closedir(dir)
        }
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    @Test func aFolderScanFindsASecretDeeperThanPathMax() throws {
        let base = try Fixtures.temporaryFolder()
        defer {
            Self.removeTree(AT_FDCWD, base.path)
            try? FileManager.default.removeItem(at: base)
        }
        let configFile = base.appendingPathComponent("eskit.yaml")
        try Self.config.write(to: configFile, atomically: true, encoding: .utf8)
        let root = base.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let binary = Array("\0\0binary ".utf8) + Array("TOKEN=\(Self.token)\n".utf8)
        let deepest = try Self.deepTree(
            at: root.path, depth: 24,
            files: [("secret.env", Array("TOKEN=\(Self.token)\n".utf8)), ("data.txt", binary)],
            links: [("link.env", "secret.env"), ("up", "..")])
        #expect(deepest.utf8.count > Int(PATH_MAX))
        #expect(root.path.utf8.count + 1 + deepest.utf8.count + "/secret.env".utf8.count > Int(PATH_MAX))

        let outcome = try ScanPipeline.run(
            ScanRequest(
                source: .workTree(path: root.path, untracked: false), configFile: configFile.path, workers: 2))
        #expect(outcome.findings.map(\.file) == [deepest + "/secret.env"])
        #expect(outcome.findings.map(\.secret.sha256) == [SHA256.hex(Array(Self.token.utf8))])
        #expect(outcome.summary.notRead.isEmpty, "\(outcome.summary.notRead)")
        #expect(outcome.summary.skippedBinary == 1)
        #expect(outcome.summary.scanned == 1)
        #expect(outcome.warnings.allSatisfy { !$0.contains(Self.token) })
    }

    /// Inside a repository, `--untracked` finds an untracked file past PATH_MAX (libgit2, like git, cannot open its
    /// folders and leaves it out silently) unless `.gitignore` ignores it.
    @Test func anUntrackedScanFindsASecretDeeperThanPathMax() throws {
        let repo = try GitRepoBuilder()
        try repo.commit("config", files: [".eskit.yaml": Self.config])
        let top = String(format: "%03d", 0) + String(repeating: "d", count: 197)
        defer { Self.removeTree(AT_FDCWD, repo.root.appendingPathComponent(top).path) }
        let parent = repo.root.path
        let deepest = try Self.deepTree(
            at: parent, depth: 24, files: [("secret.env", Array("TOKEN=\(Self.token)\n".utf8))], links: [])
        let untracked = try ScanPipeline.run(
            ScanRequest(source: .workTree(path: repo.root.path, untracked: true), workers: 2))
        #expect(untracked.findings.map(\.file) == [deepest + "/secret.env"])
        #expect(untracked.summary.notRead.isEmpty, "\(untracked.summary.notRead)")

        try repo.write(".gitignore", "/\(top)/\n")
        let ignored = try ScanPipeline.run(
            ScanRequest(source: .workTree(path: repo.root.path, untracked: true), workers: 2))
        #expect(ignored.findings.isEmpty)
        #expect(ignored.summary.notRead.isEmpty, "\(ignored.summary.notRead)")
    }
}
