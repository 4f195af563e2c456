#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interned repository paths: each path is (parent path id, entry name), so walking a tree costs one hash of the
/// entry's name bytes and no String; full paths are built only when asked, then cached. Id 0 is the root ("").
struct PathTable {
    private var parents: [UInt32] = [0]
    private var nameStarts: [Int] = [0]
    private var nameLengths: [Int] = [0]
    private var hashes: [UInt64] = [0]
    private var arena: [UInt8] = []
    private var slots: [UInt32] = Array(repeating: .max, count: 1 << 12)
    private var strings: [String?] = [""]

    var count: Int { parents.count }

    /// The id of `parent`/`name` (`length` bytes), adding it when new.
    mutating func intern(parent: UInt32, name: UnsafePointer<CChar>, length: Int) -> UInt32 {
        let bytes = UnsafeRawBufferPointer(start: name, count: length)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(parent) &* 0x9e37_79b9_7f4a_7c15)
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let id = slots[slot]
            if id == .max { break }
            let i = Int(id)
            if hashes[i] == hash, parents[i] == parent, nameLengths[i] == length,
               arena.withUnsafeBytes({ memcmp($0.baseAddress! + nameStarts[i], name, length) }) == 0 {
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = UInt32(parents.count)
        parents.append(parent)
        nameStarts.append(arena.count)
        nameLengths.append(length)
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        strings.append(nil)
        slots[slot] = id
        if parents.count * 2 > slots.count { grow() }
        return id
    }

    /// The full slash-separated path of `id`.
    mutating func path(_ id: UInt32) -> String {
        if let cached = strings[Int(id)] { return cached }
        var chain: [Int] = []
        var i = Int(id)
        while i != 0 {
            chain.append(i)
            i = Int(parents[i])
        }
        var bytes: [UInt8] = []
        for (n, j) in chain.reversed().enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: "/")) }
            bytes.append(contentsOf: arena[nameStarts[j]..<nameStarts[j] + nameLengths[j]])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        strings[Int(id)] = text
        return text
    }

    private mutating func grow() {
        slots = Array(repeating: .max, count: slots.count * 2)
        let mask = slots.count - 1
        for i in 1..<parents.count {
            let hash = hashes[i]
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != .max { slot = (slot + 1) & mask }
            slots[slot] = UInt32(i)
        }
    }
}
