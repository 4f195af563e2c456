import EskitGit

/// What `eskit scan` was asked to read.
enum ScanSource: Equatable {
    /// Tracked files of the work tree under the path (plus untracked-not-ignored ones); a folder outside any
    /// repository is read recursively.
    case workTree(path: String, untracked: Bool)
    /// What the next commit adds.
    case staged(path: String)
    /// Every distinct blob of the selected commits.
    case history(path: String, selection: CommitSelection)
    /// Standard input, reported as `-`.
    case standardInput
}

/// A failure that ends the command with exit status 2; `message` is printed as is after `eskit: `.
struct ScanCommandError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
