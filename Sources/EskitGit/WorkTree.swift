internal import CGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitRepository {
    /// The files in the index (tracked files) under `prefix` (a folder or file path relative to the work tree;
    /// "" for all), relative to the work tree, sorted, each once. Submodules are left out. A tracked file may be
    /// missing from the work tree (deleted but not staged): callers reading it from disk should expect that.
    /// A name that is not UTF-8 comes back decoded with U+FFFD: use `trackedPaths(under:)` to open such files.
    public func trackedFiles(under prefix: String = "") throws(GitError) -> [String] {
        try trackedPaths(under: prefix).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// Untracked files that `.gitignore` does not ignore, under `prefix` (as in `trackedFiles(under:)`), with
    /// untracked folders listed file by file; relative to the work tree, sorted. Empty for a bare repository.
    public func untrackedFiles(under prefix: String = "") throws(GitError) -> [String] {
        try untrackedPaths(under: prefix).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// `trackedFiles(under:)` with each path's exact bytes, sorted by bytes.
    public func trackedPaths(under prefix: String = "") throws(GitError) -> [GitPath] {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        let normalized = Array(Self.normalize(prefix).utf8)
        var out: [GitPath] = []
        for i in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, i)?.pointee,
                entry.mode != GIT_FILEMODE_COMMIT.rawValue, let path = bytes(entry.path)
            else { continue }
            if Self.isUnder(path, normalized), out.last?.bytes != path { out.append(GitPath(bytes: path)) }
        }
        return out
    }

    /// True when the repository's ignore rules (`.gitignore` files, `info/exclude`, `core.excludesFile`) ignore
    /// `path`, relative to the work tree; a folder's path ends with `/`. False when libgit2 cannot tell.
    public func isIgnored(_ path: String) -> Bool {
        var ignored: Int32 = 0
        guard git_ignore_path_is_ignored(&ignored, pointer, path) == 0 else { return false }
        return ignored != 0
    }

    /// `untrackedFiles(under:)` with each path's exact bytes, sorted by bytes.
    public func untrackedPaths(under prefix: String = "") throws(GitError) -> [GitPath] {
        guard !isBare else { return [] }
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_WORKDIR_ONLY
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, pointer, &options), "git_status_list_new")
        defer { git_status_list_free(list) }
        let normalized = Array(Self.normalize(prefix).utf8)
        var out: [GitPath] = []
        for i in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, i)?.pointee,
                entry.status.rawValue & GIT_STATUS_WT_NEW.rawValue != 0,
                let path = bytes(entry.index_to_workdir?.pointee.new_file.path)
            else { continue }
            if Self.isUnder(path, normalized) { out.append(GitPath(bytes: path)) }
        }
        return out.sorted()
    }

    /// `path` (absolute, or relative to the current folder) relative to the work tree, or nil when it lies outside.
    public func workTreeRelativePath(_ path: String) -> String? {
        guard let workdir else { return nil }
        var absolute = path
        if !absolute.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            guard getcwd(&buffer, buffer.count) != nil else { return nil }
            absolute =
                String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
        }
        if let resolved = realpath(absolute, nil) {
            absolute = String(cString: resolved)
            free(resolved)
        }
        let root = realpathString(workdir) ?? workdir
        if absolute == root { return "" }
        guard absolute.hasPrefix(root + "/") else { return nil }
        return String(absolute.dropFirst(root.count + 1))
    }

    private func realpathString(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func normalize(_ prefix: String) -> String {
        var p = prefix
        while p.hasPrefix("./") { p.removeFirst(2) }
        while p.hasSuffix("/") { p.removeLast() }
        return p == "." ? "" : p
    }

    static func isUnder(_ path: [UInt8], _ prefix: [UInt8]) -> Bool {
        prefix.isEmpty || path == prefix
            || (path.starts(with: prefix) && path.count > prefix.count && path[prefix.count] == UInt8(ascii: "/"))
    }
}
