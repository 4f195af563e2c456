import struct Foundation.Date

/// Which commits a history walk covers. Blobs already present in the commits just outside the selection (the
/// parents of selected commits that are not selected themselves) count as known and are not visited again.
public struct CommitSelection: Sendable, Equatable {
    public enum Revisions: Sendable, Equatable {
        /// Every commit reachable from any ref under `refs/` (branches, tags, remotes, `refs/pull/*`, notes,
        /// stash) and from HEAD.
        case all
        /// A revision range as `git rev-parse` reads it: `A..B`, `A...B`, or one revision (it and its ancestors).
        case range(String)
        /// Commits reachable from the refs (as `.all`) but not from this commit.
        case sinceCommit(String)
    }

    public var revisions: Revisions
    /// Keep only commits whose committer time is at or after this date.
    public var since: Date?

    public init(revisions: Revisions = .all, since: Date? = nil) {
        self.revisions = revisions
        self.since = since
    }

    /// Every commit reachable from all refs.
    public static let all = CommitSelection()
    /// A range such as `main..feature` (any revspec `git_revparse` accepts).
    public static func range(_ spec: String) -> CommitSelection { CommitSelection(revisions: .range(spec)) }
    /// Commits reachable from the refs but not from `commit`.
    public static func sinceCommit(_ commit: String) -> CommitSelection {
        CommitSelection(revisions: .sinceCommit(commit))
    }
    /// Commits of all refs committed at or after `date`.
    public static func since(_ date: Date) -> CommitSelection { CommitSelection(since: date) }
}
