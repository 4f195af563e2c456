import EskitGit

/// `eskit-bench git-blobs REPO [--workers N]` (owned by the Git layer; replace this body).
func benchGitBlobs(_ arguments: [String]) -> Int32 {
    print("git-blobs: not implemented yet")
    return 2
}
