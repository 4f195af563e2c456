/// Whether the body of a PEM private key block is a key: its base64 decodes to a DER structure of the kind its
/// label names (an ASN.1 SEQUENCE whose length covers exactly the decoded bytes, starting with the version INTEGER,
/// or a SEQUENCE for `ENCRYPTED PRIVATE KEY`), or to `openssh-key-v1` for OpenSSH keys. A fabricated example (`...`,
/// `MIIEv...`, random letters of the right length) does not parse. Encrypted legacy PEM (`Proc-Type: 4,ENCRYPTED`)
/// and PGP blocks are taken as keys.
enum PEMKey {
    static func parses(label: String, body: [UInt8]) -> Bool {
        if label == "PGP PRIVATE KEY BLOCK" { return true }
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(body.count)
        var i = 0
        var lineHasColon = false
        var line: [UInt8] = []
        func flush() {
            if !lineHasColon { cleaned += line }
            line.removeAll(keepingCapacity: true)
            lineHasColon = false
        }
        while i < body.count {
            let b = body[i]
            if b == 92, i + 1 < body.count, body[i + 1] == 110 || body[i + 1] == 114 {  // JSON `\\n` / `\\r`
                flush()
                i += 2
                continue
            }
            if b == 10 || b == 13 {
                flush()
            } else if b == 58 {
                lineHasColon = true
            } else if b != 32, b != 9, b != 34, b != 44 {
                line.append(b)
            }
            i += 1
        }
        flush()
        if ValueJudge.contains(body, Array("ENCRYPTED".utf8)), body.contains(58) { return true }
        while cleaned.last == 61 { cleaned.removeLast() }
        let padded = cleaned + [UInt8](repeating: 61, count: (4 - cleaned.count % 4) % 4)
        guard let der = Base64.decode(padded), der.count >= 16 else { return false }
        if label == "OPENSSH PRIVATE KEY" { return der.starts(with: Array("openssh-key-v1\u{0}".utf8)) }
        guard der[0] == 0x30, let (length, header) = length(der, at: 1), header + length == der.count else {
            return false
        }
        let first = header
        guard first < der.count else { return false }
        return label == "ENCRYPTED PRIVATE KEY" ? der[first] == 0x30 : der[first] == 0x02
    }

    /// The DER length field at `i` (just after a one-byte tag): its value, and the size of tag + length field.
    static func length(_ der: [UInt8], at i: Int) -> (Int, Int)? {
        guard i < der.count else { return nil }
        let b = der[i]
        if b < 0x80 { return (Int(b), 2) }
        let n = Int(b & 0x7F)
        guard n >= 1, n <= 3, i + n < der.count else { return nil }
        var value = 0
        for k in 1...n { value = value << 8 | Int(der[i + k]) }
        return (value, 2 + n)
    }
}
