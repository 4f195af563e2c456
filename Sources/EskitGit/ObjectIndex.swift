/// An open-addressing map from object id to a 32-bit value. Object ids are uniformly random, so their first word
/// is the hash; cheaper than `Dictionary` (no SipHash) on the tree-walk hot path.
struct ObjectIndex {
    private var keys: [GitObjectID]
    private var values: [UInt32]
    private var used: [Bool]
    private(set) var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: GitObjectID.zero, count: size)
        values = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
    }

    /// The value stored for `key`, or `value` after storing it; `inserted` tells which.
    mutating func insert(_ key: GitObjectID, value: UInt32) -> (value: UInt32, inserted: Bool) {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key.a) & mask
        while used[slot] {
            if keys[slot] == key { return (values[slot], false) }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        used[slot] = true
        count += 1
        if count * 2 > keys.count { grow() }
        return (value, true)
    }

    /// The value stored for `key`, if any.
    func find(_ key: GitObjectID) -> UInt32? {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key.a) & mask
        while used[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldUsed = used
        keys = Array(repeating: GitObjectID.zero, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        used = Array(repeating: false, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for i in oldKeys.indices where oldUsed[i] {
            var slot = Int(truncatingIfNeeded: oldKeys[i].a) & mask
            while used[slot] { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
            used[slot] = true
        }
    }
}

/// An open-addressing set of (object id, path id) pairs: "this tree was walked at this path".
struct TreePathSet {
    private var keys: [GitObjectID]
    private var paths: [UInt32]
    private var used: [Bool]
    private var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: GitObjectID.zero, count: size)
        paths = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
    }

    /// Adds the pair; false when it was already there.
    mutating func insert(_ key: GitObjectID, _ path: UInt32) -> Bool {
        let mask = keys.count - 1
        var slot = Self.slot(key, path, mask)
        while used[slot] {
            if paths[slot] == path, keys[slot] == key { return false }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        paths[slot] = path
        used[slot] = true
        count += 1
        if count * 2 > keys.count { grow() }
        return true
    }

    private static func slot(_ key: GitObjectID, _ path: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: key.a ^ (UInt64(path) &* 0x9e37_79b9_7f4a_7c15)) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldPaths = paths, oldUsed = used
        keys = Array(repeating: GitObjectID.zero, count: oldKeys.count * 2)
        paths = Array(repeating: 0, count: oldKeys.count * 2)
        used = Array(repeating: false, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for i in oldKeys.indices where oldUsed[i] {
            var slot = Self.slot(oldKeys[i], oldPaths[i], mask)
            while used[slot] { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            paths[slot] = oldPaths[i]
            used[slot] = true
        }
    }
}

/// An open-addressing set of 64-bit keys (packed (blob index, path id) pairs). The key `UInt64.max` is reserved.
struct PackedPairSet {
    private var slots: [UInt64]
    private var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: .max, count: size)
    }

    /// Adds `key`; false when it was already there.
    mutating func insert(_ key: UInt64) -> Bool {
        let mask = slots.count - 1
        var slot = Self.slot(key, mask)
        while slots[slot] != .max {
            if slots[slot] == key { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = key
        count += 1
        if count * 2 > slots.count { grow() }
        return true
    }

    func contains(_ key: UInt64) -> Bool {
        let mask = slots.count - 1
        var slot = Self.slot(key, mask)
        while slots[slot] != .max {
            if slots[slot] == key { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let h = key &* 0x9e37_79b9_7f4a_7c15
        return Int(truncatingIfNeeded: h ^ (h >> 32)) & mask
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: .max, count: old.count * 2)
        let mask = slots.count - 1
        for key in old where key != .max {
            var slot = Self.slot(key, mask)
            while slots[slot] != .max { slot = (slot + 1) & mask }
            slots[slot] = key
        }
    }
}
