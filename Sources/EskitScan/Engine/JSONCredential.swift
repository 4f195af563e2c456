/// Does a JSON object hold a secret? For values that are JSON documents themselves: a Secret's `data` entry
/// holding a credentials file (1Password Connect's `1password-credentials.json`), a token that is base64 of a
/// JSON object (a Cloudflare tunnel token is base64 of `{"a": account, "t": tunnel, "s": secret}`).
enum JSONCredential {
    /// True when `bytes` is a JSON object with a string member that is a secret: under a secret or password key
    /// by `ValueJudge`, or a random string of 32+ bytes under any key (`"s"`, `"localHash"`).
    static func holdsSecret(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        guard i < bytes.count, bytes[i] == 123, bytes.contains(125) else { return false }
        var strings: [[UInt8]] = []
        while i < bytes.count {
            guard bytes[i] == 34 else { i += 1; continue }
            var j = i + 1
            var s: [UInt8] = []
            while j < bytes.count, bytes[j] != 34 {
                if bytes[j] == 92 { j += 1 }
                if j < bytes.count { s.append(bytes[j]) }
                j += 1
            }
            var k = j + 1
            while k < bytes.count, bytes[k] == 32 || bytes[k] == 9 || bytes[k] == 10 || bytes[k] == 13 { k += 1 }
            if k < bytes.count, bytes[k] == 58 {
                strings.append(s)  // a key: the next string, if it follows directly, is its value
                var v = k + 1
                while v < bytes.count, bytes[v] == 32 || bytes[v] == 9 || bytes[v] == 10 || bytes[v] == 13 { v += 1 }
                if v < bytes.count, bytes[v] == 34 {
                    var e = v + 1
                    var value: [UInt8] = []
                    while e < bytes.count, bytes[e] != 34 {
                        if bytes[e] == 92 { e += 1 }
                        if e < bytes.count { value.append(bytes[e]) }
                        e += 1
                    }
                    if isSecret(key: s, value: value) { return true }
                    i = e + 1
                    continue
                }
            }
            i = j + 1
        }
        return false
    }

    private static func isSecret(key: [UInt8], value: [UInt8]) -> Bool {
        let keyClass = KeyName.classify(key)
        if keyClass != .none, ValueJudge.judge(value, keyClass: keyClass) == .secret { return true }
        guard value.count >= 32, !value.contains(32), !ValueJudge.isPlaceholder(value) else { return false }
        return Entropy.shannon(value) >= 4.0 && Entropy.classes(value) >= 2 && !ValueJudge.looksLikeIdentifier(value)
    }
}
