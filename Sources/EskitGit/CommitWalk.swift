internal import CGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What refs point to (see `GitRepository.refTargets`).
public struct RefTargets: Sendable {
    /// Commits, annotated tags peeled.
    public var commits: [GitObjectID] = []
    /// Blobs a ref points to directly, with the ref's name.
    public var blobs: [(ref: String, id: GitObjectID)] = []
    /// Trees a ref points to directly, with the ref's name.
    public var trees: [(ref: String, id: GitObjectID)] = []
}

/// The commits of a selection in walk order (oldest first, parents before children), the commits just outside it,
/// and what could not be read.
struct CommitWalk {
    var commits: [GitCommit] = []
    var trees: [GitObjectID] = []
    var boundary: [GitObjectID] = []
    var boundaryTrees: [GitObjectID] = []
    var warnings: [GitWarning] = []
    /// Blobs and trees refs point to directly (`.all` and `.sinceCommit` selections).
    var refObjects = RefTargets()
}

extension GitRepository {
    /// The selected commits, oldest first: a parent always comes before its children, otherwise by committer time.
    /// In a shallow clone the walk stops at the shallow boundary.
    public func commits(_ selection: CommitSelection = .all) throws(GitError) -> [GitCommit] {
        try walkCommits(selection).commits
    }

    func walkCommits(_ selection: CommitSelection) throws(GitError) -> CommitWalk {
        var walk = CommitWalk()
        let (tips, hides) = try endpoints(selection.revisions, &walk.warnings, &walk.refObjects)
        let shallow = shallowCommits()
        let hidden = try ancestors(of: hides, shallow: shallow, &walk.warnings)
        let graph = try CommitGraph(tips: tips, hidden: hidden, shallow: shallow, repository: self, &walk.warnings)
        let since = selection.since?.timeIntervalSince1970
        let selected = graph.nodes.map { node in
            since.map { node.commit.committerTime.timeIntervalSince1970 >= $0 } ?? true
        }

        var boundary = Set<GitObjectID>()
        for (node, isSelected) in zip(graph.nodes, selected) where isSelected {
            for parent in node.parents {
                let outside = graph.index[parent].map { !selected[$0] } ?? hidden.contains(parent)
                if outside { boundary.insert(parent) }
            }
        }
        for id in boundary.sorted() {
            if let p = graph.index[id] {
                walk.boundary.append(id)
                walk.boundaryTrees.append(graph.nodes[p].tree)
            } else if let node = try lookupCommit(id, child: nil, &walk.warnings, quiet: true) {
                walk.boundary.append(id)
                walk.boundaryTrees.append(node.tree)
            }
        }
        for i in graph.topologicalOrder() where selected[i] {
            walk.commits.append(graph.nodes[i].commit)
            walk.trees.append(graph.nodes[i].tree)
        }
        return walk
    }

    /// The commits to start from and the commits whose history is left out.
    private func endpoints(
        _ revisions: CommitSelection.Revisions, _ warnings: inout [GitWarning],
        _ refObjects: inout RefTargets
    ) throws(GitError) -> (tips: [GitObjectID], hides: [GitObjectID]) {
        switch revisions {
        case .all:
            let targets = try refTips(&warnings)
            refObjects = targets
            return (targets.commits, [])
        case .sinceCommit(let spec):
            let targets = try refTips(&warnings)
            refObjects = targets
            return (targets.commits, [try resolveCommit(spec)])
        case .range(let spec):
            var revspec = git_revspec()
            try check(git_revparse(&revspec, pointer, spec), "git_revparse", spec)
            defer {
                git_object_free(revspec.from)
                git_object_free(revspec.to)
            }
            if revspec.flags & UInt32(GIT_REVSPEC_SINGLE.rawValue) != 0 {
                return ([try peelCommit(revspec.from, spec)], [])
            }
            let from = try peelCommit(revspec.from, spec)
            let to = try peelCommit(revspec.to, spec)
            guard revspec.flags & UInt32(GIT_REVSPEC_MERGE_BASE.rawValue) != 0 else { return ([to], [from]) }
            var a = from.oid, b = to.oid, base = git_oid()
            let rc = git_merge_base(&base, pointer, &a, &b)
            if rc == GIT_ENOTFOUND.rawValue { return ([to, from], []) }
            try check(rc, "git_merge_base", spec)
            return ([to, from], [GitObjectID(&base)])
        }
    }

    /// `commits` and all their ancestors (stopping at shallow and missing commits).
    private func ancestors(
        of commits: [GitObjectID], shallow: Set<GitObjectID>,
        _ warnings: inout [GitWarning]
    ) throws(GitError) -> Set<GitObjectID> {
        var out = Set<GitObjectID>()
        var stack = commits
        while let id = stack.popLast() {
            guard out.insert(id).inserted else { continue }
            guard let node = try lookupCommit(id, child: nil, &warnings, quiet: true) else { continue }
            if !shallow.contains(id) { stack.append(contentsOf: node.commit.parents) }
        }
        return out
    }

    /// Every blob of a tree, recursively, with its path (submodules skipped). Errors name the tree.
    public func blobs(inTree tree: GitObjectID) throws(GitError) -> [(path: String, id: GitObjectID)] {
        var out: [(path: String, id: GitObjectID)] = []
        var stack: [(String, GitObjectID)] = [("", tree)]
        while let (prefix, id) = stack.popLast() {
            var oid = id.oid
            var object: OpaquePointer?
            try check(git_tree_lookup(&object, pointer, &oid), "git_tree_lookup", id.hex)
            defer { git_tree_free(object) }
            for i in 0..<git_tree_entrycount(object) {
                guard let entry = git_tree_entry_byindex(object, i) else { continue }
                let name = String(cString: git_tree_entry_name(entry))
                let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
                let child = GitObjectID(git_tree_entry_id(entry))
                switch git_tree_entry_type(entry) {
                case GIT_OBJECT_BLOB: out.append((path, child))
                case GIT_OBJECT_TREE: stack.append((path, child))
                default: break
                }
            }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// What the refs under `refs/` and HEAD point to: commits (annotated tags peeled), and the blobs and trees
    /// some refs point to directly (`git tag v1 <blob>`, `refs/keep/*`), each once. A ref whose target cannot be
    /// read becomes an `.unreadableRef` warning: the caller reports the scan as incomplete, never clean.
    public func refTargets(_ warnings: inout [GitWarning]) throws(GitError) -> RefTargets {
        var iterator: OpaquePointer?
        try check(
            git_reference_iterator_glob_new(&iterator, pointer, "refs/*"), "git_reference_iterator_glob_new", "refs/*")
        defer { git_reference_iterator_free(iterator) }
        var targets = RefTargets()
        var seen = Set<GitObjectID>()
        var ref: OpaquePointer?
        while true {
            let rc = git_reference_next(&ref, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            if rc != 0 {
                let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "error \(rc)"
                warnings.append(
                    GitWarning(
                        kind: .unreadableRef, object: GitObjectID.zero, commit: nil, path: nil,
                        message: "git_reference_next: \(message)", ref: "refs/*"))
                break
            }
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            var object: OpaquePointer?
            guard git_reference_peel(&object, ref, GIT_OBJECT_ANY) == 0, let object else {
                let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "cannot be resolved"
                var resolved: OpaquePointer?
                var target = GitObjectID.zero
                if git_reference_resolve(&resolved, ref) == 0, let oid = git_reference_target(resolved) {
                    target = GitObjectID(oid)
                }
                git_reference_free(resolved)
                // A symbolic ref to a branch that does not exist yet (an unborn HEAD) is not damage.
                if git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, target == GitObjectID.zero { continue }
                warnings.append(
                    GitWarning(
                        kind: .unreadableRef, object: target, commit: nil, path: nil,
                        message: message, ref: name))
                continue
            }
            defer { git_object_free(object) }
            let id = GitObjectID(git_object_id(object))
            guard seen.insert(id).inserted else { continue }
            switch git_object_type(object) {
            case GIT_OBJECT_COMMIT: targets.commits.append(id)
            case GIT_OBJECT_BLOB: targets.blobs.append((name, id))
            case GIT_OBJECT_TREE: targets.trees.append((name, id))
            default: break
            }
        }
        if let head = try? head().commit, seen.insert(head).inserted { targets.commits.append(head) }
        return targets
    }

    func refTips(_ warnings: inout [GitWarning]) throws(GitError) -> RefTargets { try refTargets(&warnings) }

    /// The commits listed in `shallow` (their parents are not in this clone).
    func shallowCommits() -> Set<GitObjectID> {
        guard let file = fopen(commonDir + "/shallow", "r") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        var out = Set<GitObjectID>()
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            if let id = GitObjectID(hex: String(decoding: line.prefix(40), as: UTF8.self)) { out.insert(id) }
        }
        return out
    }

    func lookupCommit(
        _ id: GitObjectID, child: GitObjectID?, _ warnings: inout [GitWarning],
        quiet: Bool, packed: Bool = true
    ) throws(GitError) -> (commit: GitCommit, tree: GitObjectID)? {
        if packed {
            switch packedCommits.lookup(id) {
            case .object(let object) where object.type == 1:
                if let parsed = PackedCommit.parse(id: id, object.bytes) { return parsed }
            case .looping:
                warnings.append(.deltaLoop(id, commit: child, path: nil))
                return nil
            default:
                break
            }
        }
        var oid = id.oid
        var commit: OpaquePointer?
        let rc = git_commit_lookup(&commit, pointer, &oid)
        if rc == GIT_ENOTFOUND.rawValue {
            if !quiet {
                let error = GitError.last(call: "git_commit_lookup", code: rc, subject: id.hex)
                warnings.append(
                    GitWarning(kind: .missingCommit, object: id, commit: child, path: nil, message: error.message))
            }
            return nil
        }
        try check(rc, "git_commit_lookup", id.hex)
        defer { git_commit_free(commit) }
        return (GitCommit(commit!), GitObjectID(git_commit_tree_id(commit)))
    }

    private func peelCommit(_ object: OpaquePointer?, _ spec: String) throws(GitError) -> GitObjectID {
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel", spec)
        defer { git_object_free(commit) }
        return GitObjectID(git_object_id(commit))
    }
}

/// The commits reachable from the tips without passing through hidden commits, with their parents inside the walk.
struct CommitGraph {
    struct Node {
        var commit: GitCommit
        var tree: GitObjectID
        /// The parents the walk follows (none for a shallow commit).
        var parents: [GitObjectID]
    }

    var nodes: [Node] = []
    var index: [GitObjectID: Int] = [:]

    init(
        tips: [GitObjectID], hidden: Set<GitObjectID>, shallow: Set<GitObjectID>, repository: GitRepository,
        _ warnings: inout [GitWarning]
    ) throws(GitError) {
        var pending: [(GitObjectID, GitObjectID?)] = tips.map { ($0, nil) }
        while let (id, child) = pending.popLast() {
            guard index[id] == nil, !hidden.contains(id) else { continue }
            guard let found = try repository.lookupCommit(id, child: child, &warnings, quiet: false) else { continue }
            index[id] = nodes.count
            let parents = shallow.contains(id) ? [] : found.commit.parents
            nodes.append(Node(commit: found.commit, tree: found.tree, parents: parents))
            for parent in parents.reversed() { pending.append((parent, id)) }
        }
    }

    /// Node indexes with every parent before its children, otherwise oldest committer time first.
    func topologicalOrder() -> [Int] {
        var children = [[Int]](repeating: [], count: nodes.count)
        var waiting = [Int](repeating: 0, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            for parent in node.parents {
                guard let p = index[parent] else { continue }
                children[p].append(i)
                waiting[i] += 1
            }
        }
        var ready = CommitHeap()
        for i in nodes.indices where waiting[i] == 0 { ready.push(i, time(i)) }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let i = ready.pop() {
            order.append(i)
            for c in children[i] {
                waiting[c] -= 1
                if waiting[c] == 0 { ready.push(c, time(c)) }
            }
        }
        return order
    }

    private func time(_ i: Int) -> Double { nodes[i].commit.committerTime.timeIntervalSince1970 }
}

/// A min-heap of commit indexes ordered by committer time, then by discovery order.
struct CommitHeap {
    private var items: [(time: Double, index: Int)] = []

    mutating func push(_ index: Int, _ time: Double) {
        items.append((time, index))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard less(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, less(items[l], items[m]) { m = l }
                if r < items.count, less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first.index
    }

    private func less(_ a: (time: Double, index: Int), _ b: (time: Double, index: Int)) -> Bool {
        a.time != b.time ? a.time < b.time : a.index > b.index
    }
}
