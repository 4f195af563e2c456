#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pack's `.idx` file (version 1 or 2), mapped: object id -> offset of its entry in the `.pack` file.
final class PackIndex: @unchecked Sendable {
    private let file: MappedFile
    /// Number of objects in the pack.
    let count: Int
    private let version: Int
    private let idsStart: Int
    private let offsetsStart: Int
    private let largeOffsetsStart: Int

    /// Maps and checks the index; nil when it is missing, truncated or of an unknown version.
    init?(path: String) {
        guard let file = MappedFile(path: path) else { return nil }
        self.file = file
        let size = file.bytes.count
        let v2 = size >= 8 && file.uint32(at: 0) == 0xFF74_4F63
        if v2 {
            guard file.uint32(at: 4) == 2, size >= 8 + 1024 + 40 else { return nil }
            version = 2
            count = Int(file.uint32(at: 8 + 255 * 4))
            idsStart = 8 + 1024
            offsetsStart = idsStart + count * 24
            largeOffsetsStart = offsetsStart + count * 4
            guard largeOffsetsStart + 40 <= size else { return nil }
        } else {
            guard size >= 1024 + 40 else { return nil }
            version = 1
            count = Int(file.uint32(at: 255 * 4))
            idsStart = 1024 + 4
            offsetsStart = 1024
            largeOffsetsStart = 0
            guard 1024 + count * 24 + 40 <= size else { return nil }
        }
        file.adviseRandom()
    }

    /// The trailer of the pack this index was written for (the pack's SHA-1 checksum).
    var packChecksum: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[(file.bytes.count - 40)..<(file.bytes.count - 20)])
    }

    /// The pack offset of `id`, or nil when this pack does not hold it.
    func offset(of id: GitObjectID) -> Int? {
        let first = Int(id.a >> 56)
        let fanout = version == 2 ? 8 : 0
        var low = first == 0 ? 0 : Int(file.uint32(at: fanout + (first - 1) * 4))
        var high = Int(file.uint32(at: fanout + first * 4))
        guard high <= count else { return nil }
        let stride = version == 2 ? 20 : 24
        let base = file.bytes.baseAddress!
        while low < high {
            let mid = (low + high) / 2
            let candidate = GitObjectID(raw: base + idsStart + mid * stride)
            if candidate == id { return entryOffset(mid) }
            if candidate < id { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    private func entryOffset(_ index: Int) -> Int? {
        if version == 1 { return Int(file.uint32(at: offsetsStart + index * 24)) }
        let small = file.uint32(at: offsetsStart + index * 4)
        guard small & 0x8000_0000 != 0 else { return Int(small) }
        let at = largeOffsetsStart + Int(small & 0x7FFF_FFFF) * 8
        guard at + 8 <= file.bytes.count - 40 else { return nil }
        // A damaged or hostile index can hold any 64-bit value here: one past Int.max is no offset (and must not
        // trap), like any other offset outside the pack (PackFile.entry(at:) checks those).
        return Int(exactly: UInt64(bigEndian: file.bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
    }
}
