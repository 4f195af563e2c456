public import EskitGit

/// What a scan reads.
public enum ScanSource: Equatable, Sendable {
    /// Tracked files of the work tree under the path (plus untracked-not-ignored ones); a folder outside any
    /// repository is read recursively.
    case workTree(path: String, untracked: Bool)
    /// Exactly these files (and the tracked files of these folders), as the pre-commit framework passes them:
    /// a file named explicitly is scanned whether git tracks it or not. All in one repository, or none.
    case paths([String])
    /// What the next commit adds.
    case staged(path: String)
    /// Every distinct blob of the selected commits.
    case history(path: String, selection: CommitSelection)
    /// Bytes read from standard input (or given by the caller), reported as `-`.
    case standardInput

    /// The path the scan starts from (`.` for standard input).
    public var path: String {
        switch self {
        case .workTree(let path, _), .staged(let path), .history(let path, _): path
        case .paths(let paths): paths.first ?? "."
        case .standardInput: "."
        }
    }

    /// The flag that asked for a repository-only mode, for messages.
    var repositoryOption: String? {
        switch self {
        case .staged: return "--staged"
        case .history(_, let selection):
            switch selection.revisions {
            case .range: return "--range"
            case .sinceCommit: return "--since-commit"
            case .all: return "--history"
            }
        case .workTree, .paths, .standardInput: return nil
        }
    }
}

/// Progress of a long scan (history), drawn by the caller (the command line draws a bar on a terminal).
public protocol ScanProgress: Sendable {
    func start(phase: String, total: Int)
    /// Changes the phase text and the total without resetting the count.
    func update(phase: String, total: Int)
    /// One more item done.
    func advance()
    func finish()
}
