/// Lenient base64 / base64url decoding (padding optional, whitespace and line breaks ignored).
enum Base64 {
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            t[Int(c)] = Int8(i)
        }
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// Decoded bytes, or nil when the input holds a non-base64 byte or has an impossible length.
    static func decode<C: Collection>(_ input: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        var seen = 0
        var padding = false
        for c in input {
            if c == 10 || c == 13 || c == 32 || c == 9 { continue }
            if c == 61 { padding = true; continue }
            if padding { return nil }
            let v = table[Int(c)]
            if v < 0 { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            seen += 1
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        if seen % 4 == 1 { return nil }
        return out
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(chars[Int(n >> 18 & 63)])
            out.append(chars[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? chars[Int(n >> 6 & 63)] : 61)
            out.append(i + 2 < bytes.count ? chars[Int(n & 63)] : 61)
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when every byte is printable text (tab, line breaks, ASCII ≥ 0x20 or UTF-8).
    static func isText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        for b in bytes where b < 32 && b != 9 && b != 10 && b != 13 { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
