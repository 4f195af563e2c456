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

    /// The base64 body (64-character lines) of a structurally valid RSA private key (PKCS#1 DER: a SEQUENCE of
    /// the version and eight INTEGERs), random and deterministic by `seed`: it parses as a key without being one.
    public static func privateKeyBody(seed: UInt64 = 1) -> String {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        func random(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            }
        }
        func length(_ n: Int) -> [UInt8] {
            n < 128 ? [UInt8(n)] : n < 256 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
        }
        func integer(_ bytes: [UInt8]) -> [UInt8] {
            var b = bytes
            b[0] &= 0x7F
            b[0] |= 0x40
            return [0x02] + length(b.count) + b
        }
        var content: [UInt8] = [0x02, 0x01, 0x00]
        content += integer(random(128)) + integer([0x01, 0x00, 0x01]) + integer(random(128))
        for _ in 0..<5 { content += integer(random(64)) }
        let der = [0x30] + length(content.count) + content
        let text = Base64.encode(der)
        return stride(from: 0, to: text.count, by: 64).map { start in
            let a = text.index(text.startIndex, offsetBy: start)
            let b = text.index(a, offsetBy: min(64, text.count - start))
            return String(text[a..<b])
        }.joined(separator: "\n")
    }
}
