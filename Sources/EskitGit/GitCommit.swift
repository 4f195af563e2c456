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
    /// The whole message (scanned like a file: a token pasted into a commit message is a leak too).
    public var message: String
    public var committerName: String
    public var committerEmail: String

    public init(
        id: GitObjectID, parents: [GitObjectID], authorName: String, authorEmail: String,
        authorTime: Date, committerTime: Date, summary: String, message: String? = nil,
        committerName: String? = nil, committerEmail: String? = nil
    ) {
        self.id = id
        self.parents = parents
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerTime = committerTime
        self.summary = summary
        self.message = message ?? summary
        self.committerName = committerName ?? authorName
        self.committerEmail = committerEmail ?? authorEmail
    }

    init(_ commit: OpaquePointer) {
        id = GitObjectID(git_commit_id(commit))
        parents = (0..<git_commit_parentcount(commit)).compactMap { i in
            git_commit_parent_id(commit, i).map { GitObjectID($0) }
        }
        let encoding = CommitTextEncoding(name: string(git_commit_message_encoding(commit)))
        let author = git_commit_author(commit)
        authorName = encoding.decode(author?.pointee.name)
        authorEmail = encoding.decode(author?.pointee.email)
        authorTime = Date(timeIntervalSince1970: Double(author?.pointee.when.time ?? 0))
        committerTime = Date(timeIntervalSince1970: Double(git_commit_time(commit)))
        summary = encoding.decode(git_commit_summary(commit))
        message = encoding.decode(git_commit_message(commit))
        let committer = git_commit_committer(commit)
        committerName = encoding.decode(committer?.pointee.name)
        committerEmail = encoding.decode(committer?.pointee.email)
    }
}
