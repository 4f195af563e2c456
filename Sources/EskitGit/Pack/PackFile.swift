internal import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pack (`.pack` mapped, with its `.idx`): entry headers, inflation and the delta format, read directly
/// (git's pack format, Documentation/gitformat-pack.txt). Immutable; shared by all reader threads.
final class PackFile: @unchecked Sendable {
    let index: PackIndex
    private let file: MappedFile
    var path: String { file.path }

    /// What an entry header says.
    struct Entry {
        enum Kind: Equatable {
            /// A whole object of git type 1-4 (commit, tree, blob, tag).
            case whole(type: Int)
            /// A delta against the entry at this offset of the same pack.
            case offsetDelta(base: Int)
            /// A delta against the object with this id.
            case referenceDelta(base: GitObjectID)
        }

        var kind: Kind
        /// Inflated size of the entry's data (the object for a whole entry, the delta instructions otherwise).
        var size: Int
        /// Offset of the zlib stream.
        var dataOffset: Int
    }

    init?(packPath: String, indexPath: String) {
        guard let index = PackIndex(path: indexPath), let file = MappedFile(path: packPath) else { return nil }
        let size = file.bytes.count
        guard size >= 32, file.uint32(at: 0) == 0x5041_434B, [2, 3].contains(file.uint32(at: 4)),
            Int(file.uint32(at: 8)) == index.count,
            index.packChecksum.elementsEqual(file.bytes[(size - 20)...])
        else { return nil }
        self.index = index
        self.file = file
    }

    /// See `MappedFile.releaseResidentPages`.
    func releaseResidentPages() { file.releaseResidentPages() }

    /// Parses the entry header at `offset`; nil when it does not fit the file or is malformed, or when its size is
    /// more than the rest of the file could inflate to (deflate expands at most 1032:1), so damage is never an
    /// allocation.
    func entry(at offset: Int) -> Entry? {
        let bytes = file.bytes
        let end = bytes.count - 20
        guard offset >= 12, offset < end else { return nil }
        var p = offset
        var c = Int(bytes[p])
        p += 1
        let type = (c >> 4) & 7
        var size = c & 15
        var shift = 4
        while c & 0x80 != 0 {
            guard p < end, shift < 57 else { return nil }
            c = Int(bytes[p])
            p += 1
            size |= (c & 0x7F) << shift
            shift += 7
        }
        guard size <= (end - p) * 1032 else { return nil }
        switch type {
        case 1...4:
            return Entry(kind: .whole(type: type), size: size, dataOffset: p)
        case 6:
            guard p < end else { return nil }
            c = Int(bytes[p])
            p += 1
            var distance = c & 0x7F
            while c & 0x80 != 0 {
                guard p < end, distance < (1 << 48) else { return nil }
                c = Int(bytes[p])
                p += 1
                distance = ((distance + 1) << 7) | (c & 0x7F)
            }
            guard distance > 0, distance <= offset - 12 else { return nil }
            return Entry(kind: .offsetDelta(base: offset - distance), size: size, dataOffset: p)
        case 7:
            guard p + 20 <= end else { return nil }
            let base = GitObjectID(raw: bytes.baseAddress! + p)
            return Entry(kind: .referenceDelta(base: base), size: size, dataOffset: p + 20)
        default:
            return nil
        }
    }

    /// Inflates a delta entry into `inflater`'s scratch buffer: its instructions (valid until the inflater is used
    /// again) and the size of the object they build; nil when the entry is damaged.
    func delta(_ entry: Entry, using inflater: Inflater) -> (instructions: UnsafeRawBufferPointer, result: Int)? {
        let scratch = inflater.scratch(entry.size)
        guard inflate(entry, into: scratch, using: inflater),
            let header = Delta.header(UnsafeRawBufferPointer(scratch))
        else { return nil }
        return (UnsafeRawBufferPointer(scratch), header.result)
    }

    /// Inflates the entry's data into `output` (exactly `entry.size` bytes); false when the stream is damaged or
    /// of another length.
    func inflate(_ entry: Entry, into output: UnsafeMutableRawBufferPointer, using stream: Inflater) -> Bool {
        guard output.count == entry.size, entry.dataOffset < file.bytes.count else { return false }
        let input = UnsafeRawBufferPointer(rebasing: file.bytes[entry.dataOffset...])
        return stream.inflate(input, into: output)
    }
}

/// libdeflate's whole-buffer zlib decompressor (about twice zlib's speed when the inflated size is known, as it is
/// for pack entries), loaded at run time when the system has it (`libdeflate0`, a dependency of libtiff and much
/// else); eskit needs no header or development package for it and falls back to zlib without it (or with
/// `ESKIT_NO_LIBDEFLATE` set).
struct LibDeflate: @unchecked Sendable {
    typealias Allocate = @convention(c) () -> UnsafeMutableRawPointer?
    typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias Decompress =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeRawPointer?, UInt, UnsafeMutableRawPointer?,
            UInt, UnsafeMutablePointer<UInt>?
        ) -> Int32
    let allocate: Allocate
    let free: Free
    let decompress: Decompress

    static let shared: LibDeflate? = {
        if getenv("ESKIT_NO_LIBDEFLATE") != nil { return nil }
        for name in ["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let a = dlsym(handle, "libdeflate_alloc_decompressor"),
                let f = dlsym(handle, "libdeflate_free_decompressor"),
                let d = dlsym(handle, "libdeflate_zlib_decompress")
            else { continue }
            return LibDeflate(
                allocate: unsafeBitCast(a, to: Allocate.self), free: unsafeBitCast(f, to: Free.self),
                decompress: unsafeBitCast(d, to: Decompress.self))
        }
        return nil
    }()
}

/// Inflates pack entries: with libdeflate when the system has it, else with a zlib stream reset per entry. Not
/// thread-safe: one per reader thread.
final class Inflater {
    private let deflate: LibDeflate?
    private let decompressor: UnsafeMutableRawPointer?
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var streamReady = false
    private var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)

    /// `libDeflate: false` always uses zlib (tests compare both).
    init(libDeflate: Bool = true) {
        deflate = libDeflate ? LibDeflate.shared : nil
        decompressor = deflate?.allocate()
        stream.initialize(to: z_stream())
        if decompressor == nil { streamReady = CZlib_inflateInit(stream) == Z_OK }
    }

    deinit {
        if let decompressor { deflate?.free(decompressor) }
        if streamReady { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        buffer.deallocate()
    }

    /// True when libdeflate does the work.
    var usesLibDeflate: Bool { decompressor != nil }

    /// A reusable buffer of `size` bytes (grown when needed), valid until the next call.
    func scratch(_ size: Int) -> UnsafeMutableRawBufferPointer {
        if buffer.count < size {
            buffer.deallocate()
            buffer = .allocate(byteCount: size, alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
    }

    /// Inflates one complete zlib stream from the start of `input` into exactly `output.count` bytes (trailing
    /// input is ignored); false when the stream is damaged or inflates to another size.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard let source = input.baseAddress else { return false }
        var scratch: UInt8 = 0
        return withUnsafeMutableBytes(of: &scratch) { scratchBytes in
            let target = output.count == 0 ? scratchBytes.baseAddress! : output.baseAddress!
            if let deflate, let decompressor {
                return deflate.decompress(decompressor, source, UInt(input.count), target, UInt(output.count), nil) == 0
            }
            guard streamReady, inflateReset(stream) == Z_OK else { return false }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(min(input.count, Int(UInt32.max)))
            stream.pointee.next_out = target.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(max(output.count, 1))
            let rc = CZlib.inflate(stream, Z_FINISH)
            return rc == Z_STREAM_END && Int(stream.pointee.total_out) == output.count
        }
    }
}

/// Git's delta format: two sizes, then copy (from the base) and insert (literal) instructions.
enum Delta {
    /// The base and result sizes at the start of `delta`, and where the instructions begin; nil when the result is
    /// more than the instructions could write (under 4 MiB per instruction byte).
    static func header(_ delta: UnsafeRawBufferPointer) -> (base: Int, result: Int, start: Int)? {
        var p = 0
        guard let base = varint(delta, &p), let result = varint(delta, &p),
            result <= (delta.count - p) << 22
        else { return nil }
        return (base, result, p)
    }

    /// The size of the object `delta` builds on a base of `baseCount` bytes, checked before anything is allocated
    /// for it: nil unless the header names that base size and the instructions, read once (every copy inside the
    /// base, every insert inside the delta), write exactly the result size the header states. The header alone is
    /// only bounded by the delta's length (4 MiB per instruction byte), so a damaged or hostile delta of a few
    /// kilobytes could otherwise make the reader allocate gigabytes it will never fill.
    /// Whether the `claimed` result size of `delta` may be allocated: at once when it is no larger than the base and
    /// the delta together (what a real delta needs: the memory already held bounds it), else only when the
    /// instructions, read once, write exactly that size (`resultSize`). So a hostile header cannot make the reader
    /// allocate gigabytes, and ordinary deltas are not read twice. `apply` still checks every instruction.
    static func admits(_ delta: UnsafeRawBufferPointer, baseCount: Int, claimed: Int) -> Bool {
        claimed <= baseCount + delta.count || resultSize(delta, baseCount: baseCount) == claimed
    }

    static func resultSize(_ delta: UnsafeRawBufferPointer, baseCount: Int) -> Int? {
        guard let (baseSize, resultSize, start) = header(delta), baseSize == baseCount else { return nil }
        var p = start
        var out = 0
        while p < delta.count {
            switch instruction(delta, &p) {
            case .copy(let offset, let length):
                guard offset + length <= baseSize else { return nil }
                out += length
            case .insert(let length):
                p += length
                out += length
            case .invalid:
                return nil
            }
            guard out <= resultSize else { return nil }
        }
        return out == resultSize ? resultSize : nil
    }

    enum Instruction {
        /// Copy `length` bytes from `offset` in the base.
        case copy(offset: Int, length: Int)
        /// Insert the next `length` bytes of the delta (checked to be inside it; `p` still points at them).
        case insert(Int)
        case invalid
    }

    /// The instruction at `p` (which moves past its opcode and arguments, not past inserted bytes): the one decoder
    /// of git's delta format, for `resultSize` and `apply`.
    @inline(__always)
    static func instruction(_ delta: UnsafeRawBufferPointer, _ p: inout Int) -> Instruction {
        let d = delta.baseAddress!
        let n = delta.count
        let op = Int(d.load(fromByteOffset: p, as: UInt8.self))
        p += 1
        if op & 0x80 != 0 {
            var offset = 0
            var length = 0
            for bit in 0..<4 where op & (1 << bit) != 0 {
                guard p < n else { return .invalid }
                offset |= Int(d.load(fromByteOffset: p, as: UInt8.self)) << (8 * bit)
                p += 1
            }
            for bit in 0..<3 where op & (0x10 << bit) != 0 {
                guard p < n else { return .invalid }
                length |= Int(d.load(fromByteOffset: p, as: UInt8.self)) << (8 * bit)
                p += 1
            }
            return .copy(offset: offset, length: length == 0 ? 0x10000 : length)
        }
        guard op != 0, p + op <= n else { return .invalid }
        return .insert(op)
    }

    /// Applies `delta` to `base` into `output` (sized from the header). With `record`, appends the copied runs to
    /// `copies` in target order, joining a copy instruction that continues the previous one. False when an
    /// instruction reads outside the base or the result does not come out at its stated size.
    static func apply(
        _ delta: UnsafeRawBufferPointer, base: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer,
        record: Bool, copies: inout [BlobDelta.Copy]
    ) -> Bool {
        guard let (baseSize, resultSize, start) = header(delta), baseSize == base.count,
            resultSize == output.count
        else { return false }
        let d = delta.baseAddress!
        var p = start
        var out = 0
        while p < delta.count {
            switch instruction(delta, &p) {
            case .copy(let offset, let length):
                guard offset + length <= baseSize, out + length <= resultSize else { return false }
                memcpy(output.baseAddress! + out, base.baseAddress! + offset, length)
                if record {
                    if let last = copies.last, last.source + last.length == offset, last.target + last.length == out {
                        copies[copies.count - 1].length += length
                    } else {
                        copies.append(BlobDelta.Copy(source: offset, target: out, length: length))
                    }
                }
                out += length
            case .insert(let length):
                guard out + length <= resultSize else { return false }
                memcpy(output.baseAddress! + out, d + p, length)
                p += length
                out += length
            case .invalid:
                return false
            }
        }
        return out == resultSize
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ p: inout Int) -> Int? {
        var value = 0
        var shift = 0
        while p < bytes.count {
            let c = Int(bytes[p])
            p += 1
            value |= (c & 0x7F) << shift
            if c & 0x80 == 0 { return value }
            shift += 7
            if shift > 56 { return nil }
        }
        return nil
    }
}
