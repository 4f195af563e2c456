import Foundation

/// Builds real git repositories for tests with the `git` command line (deterministic dates and authors).
public final class GitRepoBuilder {
    public let root: URL
    private var tick = 0

    /// A new repository in a fresh temporary folder (`git init -b main`).
    public init(bare: Bool = false) throws {
        root = try Fixtures.temporaryFolder("eskit-repo")
        try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
    }

    /// Runs git in the repository; throws with stderr when it fails. Dates advance one minute per call
    /// that creates a commit, so commit ids are stable across runs.
    @discardableResult
    public func git(_ arguments: [String], in folder: URL? = nil) throws -> String {
        tick += 1
        let date = "2024-01-01T00:\(String(format: "%02d", tick / 60 % 60)):\(String(format: "%02d", tick % 60))Z"
        let env = [
            "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
            "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.invalid",
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        ]
        let result = try run("/usr/bin/git", arguments, in: folder ?? root, environment: env)
        guard result.status == 0 else {
            throw GitCommandError(arguments: arguments, status: result.status, stderr: result.stderr)
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a file (creating folders) relative to the work tree.
    public func write(_ path: String, _ contents: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Removes a file from the work tree.
    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    /// Writes the given files, stages everything and commits; returns the new commit id.
    @discardableResult
    public func commit(_ message: String, files: [String: String] = [:], removing: [String] = []) throws -> String {
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) { try write(path, contents) }
        for path in removing { try remove(path) }
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }

    /// The object id git computes for `contents` as a blob.
    public func blobID(_ contents: String) throws -> String {
        let url = root.appendingPathComponent(".git-hash-input-\(UUID().uuidString)")
        try Data(contents.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try git(["hash-object", "--no-filters", url.path])
    }
}

public struct GitCommandError: Error, CustomStringConvertible {
    public var arguments: [String]
    public var status: Int32
    public var stderr: String
    public var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
}
