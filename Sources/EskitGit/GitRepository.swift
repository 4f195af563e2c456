internal import CGit2

/// An open Git repository: one libgit2 handle, freed with this object.
///
/// Not `Sendable`: use one `GitRepository` per thread or task. Parallel readers open their own handles.
public final class GitRepository {
    let pointer: OpaquePointer

    /// The work tree folder (absolute, no trailing slash); nil for a bare repository.
    public let workdir: String?
    /// The repository's own git folder: `.git`, the bare folder, or `.git/worktrees/<name>` for a linked worktree.
    public let gitDir: String
    /// The folder that holds objects and refs shared by all worktrees (equals `gitDir` except in linked worktrees).
    public let commonDir: String
    /// True for a bare repository (no work tree).
    public let isBare: Bool

    /// Opens the repository that contains `path`: any folder inside a work tree, a `.git` folder, a bare
    /// repository, or a linked worktree; searches the parent folders like `git` does.
    public convenience init(discoveringFrom path: String) throws(GitError) {
        try self.init(path: path, search: true)
    }

    /// Opens exactly the repository at `path` (a work tree root, a git folder or a bare repository), no search.
    public convenience init(path: String) throws(GitError) {
        try self.init(path: path, search: false)
    }

    private init(path: String, search: Bool) throws(GitError) {
        LibGit2.initialize()
        var repo: OpaquePointer?
        let flags = search ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        try check(git_repository_open_ext(&repo, path, flags, nil), "git_repository_open_ext", path)
        guard let repo else {
            throw GitError(call: "git_repository_open_ext", code: -1, message: "no repository", subject: path)
        }
        pointer = repo
        workdir = string(git_repository_workdir(repo)).map(trimmingSlash)
        gitDir = trimmingSlash(string(git_repository_path(repo)) ?? path)
        commonDir = trimmingSlash(string(git_repository_commondir(repo)) ?? gitDir)
        isBare = git_repository_is_bare(repo) == 1
    }

    deinit { git_repository_free(pointer) }

    /// The packs of the object database, mapped once per handle and read directly (see `Pack/`).
    private(set) lazy var packStore = PackStore(objectsDirectory: commonDir + "/objects")

    /// Commits read straight from the packs (see `PackedCommit`); objects kept up to 4 MiB (delta bases).
    private(set) lazy var packedCommits = PackObjectCache(store: packStore, limit: 4 << 20, keepsWholeObjects: false)

    /// True for a shallow clone: history stops at the commits listed in `shallow`.
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// Where HEAD points now.
    public func head() throws(GitError) -> GitHead {
        if git_repository_head_unborn(pointer) == 1 {
            var ref: OpaquePointer?
            try check(git_reference_lookup(&ref, pointer, "HEAD"), "git_reference_lookup", "HEAD")
            defer { git_reference_free(ref) }
            let target = string(git_reference_symbolic_target(ref))
            return GitHead(commit: nil, branch: target.map(Self.shortBranch), isDetached: false)
        }
        var ref: OpaquePointer?
        try check(git_repository_head(&ref, pointer), "git_repository_head")
        defer { git_reference_free(ref) }
        var peeled: OpaquePointer?
        try check(git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT), "git_reference_peel", "HEAD")
        defer { git_object_free(peeled) }
        let commit = GitObjectID(git_object_id(peeled))
        let detached = git_repository_head_detached(pointer) == 1
        let branch = detached ? nil : string(git_reference_name(ref)).map(Self.shortBranch)
        return GitHead(commit: commit, branch: branch, isDetached: detached)
    }

    /// Resolves a revision (`HEAD~2`, a branch, a tag, an abbreviated id) to the commit it names.
    public func resolveCommit(_ revision: String) throws(GitError) -> GitObjectID {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, revision), "git_revparse_single", revision)
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel", revision)
        defer { git_object_free(commit) }
        return GitObjectID(git_object_id(commit))
    }

    /// The commit `id`, copied into a value.
    public func commit(_ id: GitObjectID) throws(GitError) -> GitCommit {
        var oid = id.oid
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup", id.hex)
        defer { git_commit_free(commit) }
        return GitCommit(commit!)
    }

    /// The bytes of blob `id`.
    public func blob(_ id: GitObjectID) throws(GitError) -> [UInt8] {
        var oid = id.oid
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup", id.hex)
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let data = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: size))
    }

    static func shortBranch(_ ref: String) -> String {
        ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : ref
    }
}
