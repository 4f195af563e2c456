internal import CGit2
import struct Foundation.Date

/// A commit, copied out of libgit2 (no C pointer inside).
public struct GitCommit: Sendable, Hashable {
    public var id: GitObjectID
    public var parents: [GitObjectID]
    public var authorName: String
    public var authorEmail: String
    public var authorTime: Date
    public var committerTime: Date
    /// The first paragraph of the message, on one line.
    public var summary: String

    public init(id: GitObjectID, parents: [GitObjectID], authorName: String, authorEmail: String,
                authorTime: Date, committerTime: Date, summary: String) {
        self.id = id
        self.parents = parents
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerTime = committerTime
        self.summary = summary
    }

    init(_ commit: OpaquePointer) {
        id = GitObjectID(git_commit_id(commit))
        parents = (0..<git_commit_parentcount(commit)).compactMap { i in
            git_commit_parent_id(commit, i).map { GitObjectID($0) }
        }
        let author = git_commit_author(commit)
        authorName = string(author?.pointee.name) ?? ""
        authorEmail = string(author?.pointee.email) ?? ""
        authorTime = Date(timeIntervalSince1970: Double(author?.pointee.when.time ?? 0))
        committerTime = Date(timeIntervalSince1970: Double(git_commit_time(commit)))
        summary = string(git_commit_summary(commit)) ?? ""
    }
}

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
    public static func sinceCommit(_ commit: String) -> CommitSelection { CommitSelection(revisions: .sinceCommit(commit)) }
    /// Commits of all refs committed at or after `date`.
    public static func since(_ date: Date) -> CommitSelection { CommitSelection(since: date) }
}

