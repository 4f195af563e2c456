/// Deterministic pseudo-random sample values for detector examples and tests: realistic-looking secrets are
/// generated at run time, so the source tree holds none.
public enum Sample {
    public static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    public static let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    public static let digits = Array("0123456789".utf8)
    public static let alnum = upper + lower + digits
    public static let lowerAlnum = lower + digits
    public static let upperAlnum = upper + digits
    public static let hex = Array("0123456789abcdef".utf8)
    public static let base64 = alnum + Array("+/".utf8)
    public static let base64URL = alnum + Array("-_".utf8)

    /// `count` characters drawn from `alphabet` by a generator seeded with `seed` (same inputs, same output).
    public static func string(_ count: Int, from alphabet: [UInt8] = alnum, seed: UInt64 = 1) -> String {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out.append(alphabet[Int(state % UInt64(alphabet.count))])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 of a string.
    public static func base64(of text: String) -> String { Base64.encode(Array(text.utf8)) }
}
