/// An object's bytes, owned: freed with the last reference.
final class ObjectBytes {
    /// Git object type (1 commit, 2 tree, 3 blob, 4 tag).
    let type: Int
    let bytes: UnsafeRawBufferPointer
    private let storage: UnsafeMutableRawBufferPointer?
    private let release: (() -> Void)?

    /// Takes ownership of `storage` (allocated with `UnsafeMutableRawBufferPointer.allocate`).
    init(type: Int, storage: UnsafeMutableRawBufferPointer, count: Int) {
        self.type = type
        self.storage = storage
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<count])
        release = nil
    }

    /// Borrows `bytes` until `release` is called (on deinit).
    init(type: Int, borrowing bytes: UnsafeRawBufferPointer, release: @escaping () -> Void) {
        self.type = type
        self.bytes = bytes
        storage = nil
        self.release = release
    }

    deinit {
        storage?.deallocate()
        release?()
    }
}

/// Objects read straight from the packs, every rebuilt object kept (up to `limit` bytes) so a delta chain is
/// applied once however often its members are read. Meant for trees and commits: a history walk reads each
/// version once, but the versions are deltas of one another, and together they are small. One per thread.
final class PackObjectCache {
    private let store: PackStore
    private let inflater = Inflater()
    private var cache: [Int: ObjectBytes] = [:]
    private var cachedBytes = 0
    private let limit: Int
    private var noCopies: [BlobDelta.Copy] = []

    /// Whether whole objects are kept too (trees: yes, every version is read again as the walk goes; commits: no,
    /// each is read once, only delta bases are worth keeping).
    private let keepsWholeObjects: Bool

    init(store: PackStore, limit: Int = 64 << 20, keepsWholeObjects: Bool = true) {
        self.store = store
        self.limit = limit
        self.keepsWholeObjects = keepsWholeObjects
    }

    /// What a lookup found.
    enum Lookup {
        case object(ObjectBytes)
        /// No pack holds the object: read it another way.
        case notPacked
        /// Its entry or a base's is damaged: read it another way (another copy may exist), which reports the damage.
        case damaged
        /// Its chain of delta bases comes back to an entry already in it: no reader can rebuild it (libgit2 would
        /// loop forever), so it must not be read another way.
        case looping
    }

    /// The object's type and bytes, or why there are none.
    func lookup(_ id: GitObjectID) -> Lookup {
        guard let (pack, offset) = store.locate(id) else { return .notPacked }
        return resolve(pack: pack, offset: offset)
    }

    /// Bytes inflated since the packs' pages were last dropped from resident memory (see `PackFile`).
    private var inflatedSinceRelease = 0

    private func resolve(pack: Int, offset: Int) -> Lookup {
        if inflatedSinceRelease > 64 << 20 {
            for pack in store.packs { pack.releaseResidentPages() }
            inflatedSinceRelease = 0
        }
        var chain: [(pack: Int, entry: PackFile.Entry, key: Int)] = []
        var current = (pack, offset)
        var object: ObjectBytes
        while true {
            let key = current.0 << 48 | current.1
            if let hit = cache[key] {
                object = hit
                break
            }
            if chain.contains(where: { $0.key == key }) { return .looping }
            guard chain.count < 10_000 else { return .damaged }
            guard let entry = store.packs[current.0].entry(at: current.1) else { return .damaged }
            inflatedSinceRelease += entry.size
            switch entry.kind {
            case .whole(let type):
                let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, entry.size), alignment: 16)
                let view = UnsafeMutableRawBufferPointer(rebasing: storage[0..<entry.size])
                guard store.packs[current.0].inflate(entry, into: view, using: inflater) else {
                    storage.deallocate()
                    return .damaged
                }
                object = ObjectBytes(type: type, storage: storage, count: entry.size)
                if keepsWholeObjects || !chain.isEmpty { remember(object, key) }
            case .offsetDelta(let base):
                chain.append((current.0, entry, key))
                current = (current.0, base)
                continue
            case .referenceDelta(let base):
                guard let located = store.locate(base) else { return .damaged }
                chain.append((current.0, entry, key))
                current = located
                continue
            }
            break
        }
        for link in chain.reversed() {
            guard let next = apply(link.entry, in: store.packs[link.pack], to: object) else { return .damaged }
            remember(next, link.key)
            object = next
        }
        return .object(object)
    }

    private func apply(_ entry: PackFile.Entry, in pack: PackFile, to base: ObjectBytes) -> ObjectBytes? {
        guard let (delta, result) = pack.delta(entry, using: inflater),
            Delta.admits(delta, baseCount: base.bytes.count, claimed: result)
        else { return nil }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, result), alignment: 16)
        guard
            Delta.apply(
                delta, base: base.bytes, into: UnsafeMutableRawBufferPointer(rebasing: storage[0..<result]),
                record: false, copies: &noCopies)
        else {
            storage.deallocate()
            return nil
        }
        return ObjectBytes(type: base.type, storage: storage, count: result)
    }

    private func remember(_ object: ObjectBytes, _ key: Int) {
        if cachedBytes + object.bytes.count > limit {
            cache.removeAll(keepingCapacity: true)
            cachedBytes = 0
        }
        cache[key] = object
        cachedBytes += object.bytes.count
    }
}
