/// Interned repository paths: each path is (parent path id, entry name), so walking a tree costs one hash of the
/// entry's name bytes and no String; full paths are built only when asked, then cached. Id 0 is the root ("").
/// Storage is manually managed (word-wise hashing and comparison, no exclusivity checks on the hot path).
final class PathTable {
    private struct Record {
        var parent: UInt32
        var length: UInt32
        var start: Int
        var hash: UInt64
    }

    private var records: UnsafeMutablePointer<Record>
    private var recordCapacity = 1 << 12
    private(set) var count = 1
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity = 1 << 16
    private var arenaUsed = 0
    private var slots: UnsafeMutablePointer<UInt32>
    private var slotCount = 1 << 13
    private var strings: [UInt32: String] = [0: ""]

    init() {
        records = .allocate(capacity: recordCapacity)
        records[0] = Record(parent: 0, length: 0, start: 0, hash: 0)
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .max, count: slotCount)
    }

    deinit {
        records.deallocate()
        arena.deallocate()
        slots.deallocate()
    }

    /// The id of `parent`/`name` (`length` bytes), adding it when new.
    func intern(parent: UInt32, name: UnsafePointer<CChar>, length: Int) -> UInt32 {
        let bytes = UnsafeRawPointer(name)
        let hash = Self.hash(bytes, length, seed: UInt64(parent))
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id == .max { break }
            let record = records[Int(id)]
            if record.hash == hash, record.parent == parent, Int(record.length) == length,
                Self.equal(UnsafeRawPointer(arena + record.start), bytes, length)
            {
                return id
            }
            slot = (slot + 1) & mask
        }
        if arenaUsed + length > arenaCapacity {
            while arenaUsed + length > arenaCapacity { arenaCapacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
            grown.copyMemory(from: arena, byteCount: arenaUsed)
            arena.deallocate()
            arena = grown
        }
        (arena + arenaUsed).copyMemory(from: bytes, byteCount: length)
        if count == recordCapacity {
            let grown = UnsafeMutablePointer<Record>.allocate(capacity: recordCapacity * 2)
            grown.moveInitialize(from: records, count: count)
            records.deallocate()
            records = grown
            recordCapacity *= 2
        }
        let id = UInt32(count)
        records[count] = Record(parent: parent, length: UInt32(length), start: arenaUsed, hash: hash)
        arenaUsed += length
        count += 1
        slots[slot] = id
        if count * 2 > slotCount { grow() }
        return id
    }

    /// The id `other` gave path `id`, in this table; nil when this table never saw that path. `memo` caches
    /// translations between the same two tables.
    func translate(_ id: UInt32, from other: PathTable, memo: inout [UInt32: UInt32]) -> UInt32? {
        if id == 0 { return 0 }
        if let known = memo[id] { return known == .max ? nil : known }
        let record = other.records[Int(id)]
        var found: UInt32?
        if let parent = translate(record.parent, from: other, memo: &memo) {
            found = find(parent: parent, name: UnsafeRawPointer(other.arena + record.start), length: Int(record.length))
        }
        memo[id] = found ?? .max
        return found
    }

    private func find(parent: UInt32, name: UnsafeRawPointer, length: Int) -> UInt32? {
        let hash = Self.hash(name, length, seed: UInt64(parent))
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id == .max { return nil }
            let record = records[Int(id)]
            if record.hash == hash, record.parent == parent, Int(record.length) == length,
                Self.equal(UnsafeRawPointer(arena + record.start), name, length)
            {
                return id
            }
            slot = (slot + 1) & mask
        }
    }

    /// The full slash-separated path of `id`.
    func path(_ id: UInt32) -> String {
        if let cached = strings[id] { return cached }
        var chain: [Int] = []
        var i = Int(id)
        while i != 0 {
            chain.append(i)
            i = Int(records[i].parent)
        }
        var bytes: [UInt8] = []
        for (n, j) in chain.reversed().enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: "/")) }
            let record = records[j]
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: arena + record.start, count: Int(record.length)))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        strings[id] = text
        return text
    }

    private func grow() {
        slots.deallocate()
        slotCount *= 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .max, count: slotCount)
        let mask = slotCount - 1
        for i in 1..<count {
            var slot = Int(truncatingIfNeeded: records[i].hash) & mask
            while slots[slot] != .max { slot = (slot + 1) & mask }
            slots[slot] = UInt32(i)
        }
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var h = x &* 0x9e37_79b9_7f4a_7c15
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeRawPointer, _ length: Int, seed: UInt64) -> UInt64 {
        var h = mix(seed &+ 0x632b_e59b_d9b4_e019)
        var i = 0
        while i + 8 <= length {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail = UInt64(length) << 56
        var shift: UInt64 = 0
        while i < length {
            tail ^= UInt64(bytes.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail)
    }

    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ length: Int) -> Bool {
        var i = 0
        while i + 8 <= length {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            {
                return false
            }
            i += 8
        }
        while i < length {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}
