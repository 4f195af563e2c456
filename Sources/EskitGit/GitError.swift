/// A failed libgit2 call: which call, on what, and libgit2's own message (`git_error_last()`).
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libgit2 function that failed, e.g. `git_repository_open_ext`.
    public var call: String
    /// The libgit2 return code (`GIT_ENOTFOUND` is -3).
    public var code: Int
    /// libgit2's message for the failure.
    public var message: String
    /// What the call was about: a path, a revision or an object id.
    public var subject: String?

    public init(call: String, code: Int, message: String, subject: String? = nil) {
        self.call = call
        self.code = code
        self.message = message
        self.subject = subject
    }

    /// True when the object or reference does not exist (`GIT_ENOTFOUND`).
    public var isNotFound: Bool { code == -3 }

    public var description: String {
        let on = subject.map { " (\($0))" } ?? ""
        return "\(call) failed\(on): \(message)"
    }
}
