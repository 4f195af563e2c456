/// Something the walk could not read and skipped (a missing or damaged object); the walk went on.
public struct GitWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case missingTree = "missing tree"
        case missingBlob = "missing blob"
        case missingCommit = "missing commit"
        case unreadableObject = "unreadable object"
        /// A ref whose target cannot be read (a missing tip commit, a damaged pack or index).
        case unreadableRef = "unreadable ref"
    }

    public var kind: Kind
    /// The object that could not be read.
    public var object: GitObjectID
    /// The commit whose history led to it (nil when unknown).
    public var commit: GitObjectID?
    /// The path of the object in that commit ("" for a root tree, nil when unknown).
    public var path: String?
    /// libgit2's message.
    public var message: String
    /// The ref that led to it, for `.unreadableRef`.
    public var ref: String?

    public init(
        kind: Kind, object: GitObjectID, commit: GitObjectID?, path: String?, message: String,
        ref: String? = nil
    ) {
        self.kind = kind
        self.object = object
        self.commit = commit
        self.path = path
        self.message = message
        self.ref = ref
    }

    /// An object whose chain of pack delta bases loops back on itself (no reader can rebuild it; libgit2 would loop
    /// forever, so it is never asked).
    static func deltaLoop(_ object: GitObjectID, commit: GitObjectID?, path: String?) -> GitWarning {
        GitWarning(
            kind: .unreadableObject, object: object, commit: commit, path: path,
            message: "its chain of pack delta bases loops back on itself")
    }

    public var description: String {
        if kind == .unreadableRef { return "unreadable ref \(ref ?? "?") (\(object.shortHex)): \(message)" }
        var text = "\(kind.rawValue) \(object)"
        if let commit { text += " in commit \(commit.shortHex)" }
        if let path { text += path.isEmpty ? " (root tree)" : " at \(path)" }
        return text + ": \(message)"
    }
}
