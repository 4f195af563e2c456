internal import CGit2

/// A 20-byte SHA-1 object id, stored inline (no allocation); hashable and ordered by bytes.
public struct GitObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let a: UInt64, b: UInt64, c: UInt32

    static let zero = GitObjectID(a: 0, b: 0, c: 0)

    private init(a: UInt64, b: UInt64, c: UInt32) {
        self.a = a
        self.b = b
        self.c = c
    }

    init(raw: UnsafeRawPointer) {
        a = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
        b = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        c = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    init(_ oid: UnsafePointer<git_oid>) { self.init(raw: UnsafeRawPointer(oid)) }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = Self.nibble(digits[2 * i]), let lo = Self.nibble(digits[2 * i + 1]) else { return nil }
            bytes[i] = hi << 4 | lo
        }
        self = bytes.withUnsafeBytes { GitObjectID(raw: $0.baseAddress!) }
    }

    /// The 40-digit lowercase hexadecimal form.
    public var hex: String {
        let table = Array("0123456789abcdef".utf8)
        let raw = oid
        return withUnsafeBytes(of: raw) { bytes in
            var out = [UInt8]()
            out.reserveCapacity(40)
            for byte in bytes.prefix(20) {
                out.append(table[Int(byte >> 4)])
                out.append(table[Int(byte & 15)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The first 12 hexadecimal digits.
    public var shortHex: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (l: GitObjectID, r: GitObjectID) -> Bool {
        (l.a, l.b, l.c) < (r.a, r.b, r.c)
    }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid) { raw in
            raw.storeBytes(of: a.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: b.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: c.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    private static func nibble(_ d: UInt8) -> UInt8? {
        switch d {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): d - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): d - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): d - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
