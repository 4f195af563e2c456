internal import CGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One index entry that differs from HEAD: what the next commit adds at `path`.
public struct StagedChange: Sendable, Equatable {
    public enum Status: String, Sendable {
        case added, modified, renamed, copied, typeChanged
    }

    public var status: Status
    /// The path in the index, relative to the work tree.
    public var path: String
    /// The path in HEAD for a rename or copy; nil otherwise.
    public var oldPath: String?
    /// The staged blob.
    public var blobID: GitObjectID
    /// The whole staged content.
    public var content: [UInt8]
    /// True when git treats the change as binary (then `addedLines` is empty).
    public var isBinary: Bool
    /// The 1-based line numbers of the staged file that `git diff --cached` shows with `+`, ascending.
    public var addedLines: [Int]
}

extension GitRepository {
    /// The index entries that differ from HEAD (an unborn HEAD compares with the empty tree), with renames found as
    /// `git diff --cached` finds them. Deleted entries and submodules are left out: they add nothing to scan.
    ///
    /// `indexFile` is the index to read (relative to the current folder); nil means `$GIT_INDEX_FILE` when set, as
    /// git does, else the repository's index. A pre-commit hook of `git commit -a` or `git commit <paths>` sees the
    /// index being committed only through `$GIT_INDEX_FILE` (`.git/index.lock`, `.git/next-index-*.lock`).
    public func stagedChanges(indexFile: String? = nil) throws(GitError) -> [StagedChange] {
        var index: OpaquePointer?
        if let file = indexFile ?? Self.environmentIndexFile {
            try check(git_index_open(&index, file), "git_index_open", file)
        } else {
            try check(git_repository_index(&index, pointer), "git_repository_index")
        }
        defer { git_index_free(index) }
        var headTree: OpaquePointer?
        if git_repository_head_unborn(pointer) != 1 {
            try check(git_revparse_single(&headTree, pointer, "HEAD^{tree}"), "git_revparse_single", "HEAD^{tree}")
        }
        defer { git_object_free(headTree) }

        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.context_lines = 0
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var diff: OpaquePointer?
        try check(git_diff_tree_to_index(&diff, pointer, headTree, index, &options), "git_diff_tree_to_index")
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        try check(
            git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(diff, &find), "git_diff_find_similar")

        var changes: [StagedChange] = []
        for i in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, i)?.pointee else { continue }
            let status: StagedChange.Status
            switch delta.status {
            case GIT_DELTA_ADDED: status = .added
            case GIT_DELTA_MODIFIED: status = .modified
            case GIT_DELTA_RENAMED: status = .renamed
            case GIT_DELTA_COPIED: status = .copied
            case GIT_DELTA_TYPECHANGE: status = .typeChanged
            default: continue
            }
            guard UInt32(delta.new_file.mode) != GIT_FILEMODE_COMMIT.rawValue else { continue }
            let path = string(delta.new_file.path) ?? ""
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, diff, i), "git_patch_from_diff", path)
            defer { git_patch_free(patch) }
            var added: [Int] = []
            for h in 0..<git_patch_num_hunks(patch) {
                let lines = git_patch_num_lines_in_hunk(patch, h)
                guard lines > 0 else { continue }
                for l in 0..<Int(lines) {
                    var line: UnsafePointer<git_diff_line>?
                    try check(git_patch_get_line_in_hunk(&line, patch, h, l), "git_patch_get_line_in_hunk", path)
                    if let line, line.pointee.origin == CChar(GIT_DIFF_LINE_ADDITION.rawValue) {
                        added.append(Int(line.pointee.new_lineno))
                    }
                }
            }
            let flags = git_patch_get_delta(patch)?.pointee.flags ?? delta.flags
            let binary = flags & GIT_DIFF_FLAG_BINARY.rawValue != 0
            var oid = delta.new_file.id
            var blob: OpaquePointer?
            try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup", path)
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            let content = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
            changes.append(
                StagedChange(
                    status: status, path: path,
                    oldPath: status == .renamed || status == .copied ? string(delta.old_file.path) : nil,
                    blobID: GitObjectID(&oid), content: content, isBinary: binary, addedLines: binary ? [] : added))
        }
        return changes
    }
}

extension GitRepository {
    /// `$GIT_INDEX_FILE` when set and not empty.
    static var environmentIndexFile: String? {
        guard let value = getenv("GIT_INDEX_FILE") else { return nil }
        let file = String(cString: value)
        return file.isEmpty ? nil : file
    }
}
