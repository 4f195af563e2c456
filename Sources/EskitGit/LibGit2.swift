internal import CGit2

/// Lazy, exactly-once initialisation of libgit2 (never shut down: a CLI exits). eskit only reads repositories to
/// scan them, so the per-read SHA-1 re-check is turned off here, like `git cat-file` (about 3x faster reads).
/// Pack files are mapped in windows of 4 MiB, at most 32 MiB at once (the defaults, 1 GiB and 8 GiB on 64-bit
/// systems, keep every page of a big pack a walk has touched resident until the end).
private let libgit2InitResult: Int32 = {
    let result = git_libgit2_init()
    _ = CGit2_enable_strict_hash_verification(0)
    _ = CGit2_enable_caching(0)
    _ = CGit2_set_mwindow_size(4 << 20)
    _ = CGit2_set_mwindow_mapped_limit(32 << 20)
    return result
}()

/// Process-wide libgit2 settings.
public enum LibGit2 {
    public static func initialize() { _ = libgit2InitResult }

    /// The linked libgit2 version, e.g. "1.5.1".
    public static var version: String {
        initialize()
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}

/// Throws a `GitError` naming `call` when a libgit2 return code is negative. Must run on the thread that made the
/// call, with no suspension point in between (`git_error_last()` is per thread).
@inline(__always)
func check(_ code: Int32, _ call: StaticString, _ subject: String? = nil) throws(GitError) {
    if code < 0 { throw GitError.last(call: call, code: code, subject: subject) }
}

extension GitError {
    static func last(call: StaticString, code: Int32, subject: String?) -> GitError {
        var message = "unknown error"
        if let error = git_error_last(), let text = error.pointee.message {
            message = String(cString: text)
        }
        return GitError(call: "\(call)", code: Int(code), message: message, subject: subject)
    }
}

func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

func bytes(_ pointer: UnsafePointer<CChar>?) -> [UInt8]? {
    guard let pointer else { return nil }
    let start = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
    var count = 0
    while start[count] != 0 { count += 1 }
    return Array(UnsafeBufferPointer(start: start, count: count))
}

func trimmingSlash(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
}
