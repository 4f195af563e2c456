import Foundation

/// Branch, merge and ref helpers for history tests (added by the Git layer).
extension GitRepoBuilder {
    /// Switches to `branch`, creating it at `from` (default: the current commit) when `create` is set.
    public func checkout(_ branch: String, create: Bool = false, from start: String? = nil) throws {
        try git(["checkout", "-q"] + (create ? ["-b", branch] : [branch]) + (start.map { [$0] } ?? []))
    }

    /// Starts a new branch with no history (`git checkout --orphan`) and an empty index and work tree.
    public func orphan(_ branch: String) throws {
        try git(["checkout", "-q", "--orphan", branch])
        try git(["rm", "-rfq", "--ignore-unmatch", "."])
    }

    /// Merges `branch` into the current branch with a merge commit; returns its id.
    @discardableResult
    public func merge(_ branch: String, message: String) throws -> String {
        try git(["merge", "-q", "--no-ff", "-m", message, branch])
        return try git(["rev-parse", "HEAD"])
    }

    /// Points `ref` (a full name such as `refs/pull/1/head`) at `commit`.
    public func updateRef(_ ref: String, to commit: String) throws {
        try git(["update-ref", ref, commit])
    }

    /// Moves a tracked file or folder with `git mv` (staged, not committed).
    public func move(_ from: String, to destination: String) throws {
        let target = root.appendingPathComponent(destination).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try git(["mv", from, destination])
    }

    /// Writes raw bytes (for binary files) relative to the work tree.
    public func write(_ path: String, bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}
