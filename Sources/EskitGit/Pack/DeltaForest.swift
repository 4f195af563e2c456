/// The pack entries needed to rebuild a set of blobs: each wanted blob's entry and the chain of delta bases under
/// it, as trees rooted at whole objects. Rebuilding a tree depth first inflates every entry once and applies each
/// delta to its base's bytes still in memory, so no base is inflated twice however long the chains are (libgit2
/// and `git cat-file` re-inflate a chain whenever its bases left their cache).
struct DeltaForest {
    struct Node {
        var pack: Int32
        var entry: PackFile.Entry
        /// Index of the base node; -1 for a whole object.
        var base: Int32 = -1
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// Index of the wanted blob this entry holds; -1 for a base that is only needed for its deltas.
        var wanted: Int32 = -1
        /// Nodes in this node's tree (itself included); set on roots.
        var weight: Int32 = 1
    }

    private(set) var nodes: [Node] = []
    /// Whole-object nodes, heaviest tree first (reader threads take them in this order).
    private(set) var roots: [Int32] = []
    /// Wanted blobs (by index) that no pack holds or whose chain is damaged: read them another way.
    private(set) var unpacked: [Int] = []
    /// Wanted blobs whose chain of delta bases loops back on itself (a damaged or hostile pack): neither this
    /// reader nor libgit2 (which would loop forever) can rebuild them.
    private(set) var looping: [Int] = []

    /// Plans the rebuild of `ids` from `store`'s packs.
    init(ids: [GitObjectID], store: PackStore) {
        var byLocation: [Int: Int32] = [:]
        byLocation.reserveCapacity(ids.count * 2)
        var broken: [Int32] = []
        for (i, id) in ids.enumerated() {
            guard let (pack, offset) = store.locate(id) else {
                unpacked.append(i)
                continue
            }
            let key = pack << 48 | offset
            if let existing = byLocation[key] {
                if nodes[Int(existing)].wanted < 0 {
                    nodes[Int(existing)].wanted = Int32(i)
                } else {
                    unpacked.append(i)
                }
                continue
            }
            guard let entry = store.packs[pack].entry(at: offset) else {
                unpacked.append(i)
                continue
            }
            var current = Int32(nodes.count)
            nodes.append(Node(pack: Int32(pack), entry: entry, wanted: Int32(i)))
            byLocation[key] = current
            var depth = 0
            while true {
                let node = nodes[Int(current)]
                var located: (Int, Int)?
                switch node.entry.kind {
                case .whole: located = nil
                case .offsetDelta(let base): located = (Int(node.pack), base)
                case .referenceDelta(let base): located = store.locate(base)
                }
                if case .whole = node.entry.kind { break }
                depth += 1
                guard let (basePack, baseOffset) = located, depth < 100_000 else {
                    broken.append(current)
                    break
                }
                let baseKey = basePack << 48 | baseOffset
                if let existing = byLocation[baseKey] {
                    nodes[Int(current)].base = existing
                    break
                }
                guard let baseEntry = store.packs[basePack].entry(at: baseOffset) else {
                    broken.append(current)
                    break
                }
                let next = Int32(nodes.count)
                nodes.append(Node(pack: Int32(basePack), entry: baseEntry))
                byLocation[baseKey] = next
                nodes[Int(current)].base = next
                current = next
            }
        }
        link(broken: broken)
    }

    /// Links children to bases, moves the wanted blobs of broken chains to `unpacked` and those on or above a loop
    /// to `looping`, weighs and orders roots.
    private mutating func link(broken: [Int32]) {
        var isBroken = [Bool](repeating: false, count: nodes.count)
        for b in broken { isBroken[Int(b)] = true }
        for i in nodes.indices.reversed() where nodes[i].base >= 0 {
            let base = Int(nodes[i].base)
            nodes[i].nextSibling = nodes[base].firstChild
            nodes[base].firstChild = Int32(i)
        }
        var reached = [Bool](repeating: false, count: nodes.count)
        var underRoot = [Bool](repeating: false, count: nodes.count)
        for i in nodes.indices where nodes[i].base < 0 {
            let root = Int32(i)
            var stack = [root]
            var weight: Int32 = 0
            let damaged = isBroken[i]
            while let n = stack.popLast() {
                weight += 1
                reached[Int(n)] = !damaged
                underRoot[Int(n)] = true
                var child = nodes[Int(n)].firstChild
                while child >= 0 {
                    stack.append(child)
                    child = nodes[Int(child)].nextSibling
                }
            }
            nodes[i].weight = weight
            if !damaged { roots.append(root) }
        }
        for i in nodes.indices where !reached[i] && nodes[i].wanted >= 0 {
            if underRoot[i] { unpacked.append(Int(nodes[i].wanted)) } else { looping.append(Int(nodes[i].wanted)) }
        }
        roots.sort { nodes[Int($0)].weight > nodes[Int($1)].weight }
        unpacked.sort()
        looping.sort()
    }
}
