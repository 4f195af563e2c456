/// Where HEAD points.
public struct GitHead: Sendable, Equatable {
    /// The commit HEAD names; nil when HEAD is unborn (an empty repository or a new orphan branch).
    public var commit: GitObjectID?
    /// The branch HEAD is on (`main`), also when unborn; nil when detached.
    public var branch: String?
    /// True when HEAD names a commit directly rather than a branch.
    public var isDetached: Bool
    /// True when HEAD's branch has no commit yet.
    public var isUnborn: Bool { commit == nil }
}
