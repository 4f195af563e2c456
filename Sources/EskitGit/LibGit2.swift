internal import CGit2

/// Lazy, exactly-once initialisation of libgit2 (never shut down: a CLI exits).
private let libgit2InitResult: Int32 = git_libgit2_init()

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
