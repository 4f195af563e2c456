import struct Foundation.Date

/// Commits parsed straight from their raw bytes in the packs (a history walk reads thousands; libgit2 spends about
/// twice as long per commit). Only the plain shape is taken: no `encoding` header, `Name <email> seconds +zone`
/// signatures, a one-line first paragraph with single spaces. Anything else returns nil and is read through
/// libgit2, so the result is always what libgit2 gives (a test compares both on odd commits).
enum PackedCommit {
    /// The commit and its tree, or nil when the bytes are not of the plain shape.
    static func parse(id: GitObjectID, _ raw: UnsafeRawBufferPointer) -> (commit: GitCommit, tree: GitObjectID)? {
        let b = raw.bindMemory(to: UInt8.self)
        let n = b.count
        var p = 0
        guard let tree = hexLine(b, &p, key: treeKey) else { return nil }
        var parents: [GitObjectID] = []
        while let parent = hexLine(b, &p, key: parentKey) { parents.append(parent) }
        guard let author = signature(b, &p, key: authorKey), let committer = signature(b, &p, key: committerKey) else {
            return nil
        }
        while p < n, b[p] != 10 {
            if starts(b, p, encodingKey) { return nil }
            guard let end = lineEnd(b, from: p) else { return nil }
            p = end + 1
        }
        guard p < n else { return nil }
        p += 1
        while p < n, b[p] == 10 { p += 1 }
        let messageStart = p  // libgit2's message starts after leading blank lines too
        let summaryStart = p
        let summaryEnd = lineEnd(b, from: p) ?? n
        if summaryEnd < n {
            let next = summaryEnd + 1
            guard next == n || b[next] == 10 else { return nil }
        }
        guard summaryEnd > summaryStart, b[summaryStart] != 32, b[summaryEnd - 1] != 32 else { return nil }
        for i in summaryStart..<summaryEnd {
            let c = b[i]
            if c == 0 || c == 9 || c == 11 || c == 12 || c == 13 { return nil }
            if c == 32, b[i + 1] == 32 { return nil }
        }
        let commit = GitCommit(
            id: id, parents: parents, authorName: text(b, author.name),
            authorEmail: text(b, author.email),
            authorTime: Date(timeIntervalSince1970: Double(author.time)),
            committerTime: Date(timeIntervalSince1970: Double(committer.time)),
            summary: text(b, summaryStart..<summaryEnd), message: text(b, messageStart..<n),
            committerName: text(b, committer.name), committerEmail: text(b, committer.email))
        return (commit, tree)
    }

    private static let treeKey = Array("tree ".utf8)
    private static let parentKey = Array("parent ".utf8)
    private static let authorKey = Array("author ".utf8)
    private static let committerKey = Array("committer ".utf8)
    private static let encodingKey = Array("encoding ".utf8)

    private static func starts(_ b: UnsafeBufferPointer<UInt8>, _ p: Int, _ key: [UInt8]) -> Bool {
        guard p + key.count <= b.count else { return false }
        for (k, c) in key.enumerated() where b[p + k] != c { return false }
        return true
    }

    private static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, from p: Int) -> Int? {
        var i = p
        while i < b.count {
            if b[i] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// `key` + 40 lower-case hex digits + line feed.
    private static func hexLine(_ b: UnsafeBufferPointer<UInt8>, _ p: inout Int, key: [UInt8]) -> GitObjectID? {
        guard starts(b, p, key), p + key.count + 41 <= b.count, b[p + key.count + 40] == 10 else { return nil }
        var raw = [UInt8](repeating: 0, count: 20)
        for k in 0..<20 {
            let at = p + key.count + 2 * k
            guard let hi = nibble(b[at]), let lo = nibble(b[at + 1]) else { return nil }
            raw[k] = hi << 4 | lo
        }
        p += key.count + 41
        return raw.withUnsafeBytes { GitObjectID(raw: $0.baseAddress!) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        default: nil
        }
    }

    /// `key` + `Name <email> seconds +hhmm` + line feed: a non-empty name without surrounding or doubled blanks
    /// and exactly one `<` and `>` on the line.
    private static func signature(
        _ b: UnsafeBufferPointer<UInt8>, _ p: inout Int, key: [UInt8]
    )
        -> (name: Range<Int>, email: Range<Int>, time: Int64)?
    {
        guard starts(b, p, key), let end = lineEnd(b, from: p) else { return nil }
        let start = p + key.count
        var open = -1, close = -1
        for i in start..<end {
            let c = b[i]
            if c == 60 { guard open < 0 else { return nil }; open = i }
            if c == 62 { guard close < 0 else { return nil }; close = i }
            if c == 0 || c == 9 || c == 13 { return nil }
        }
        guard open > start + 1, close > open + 1, b[open - 1] == 32, b[start] != 32, b[open - 2] != 32,
            b[open + 1] != 32, b[close - 1] != 32
        else { return nil }
        for i in start..<(open - 1) where b[i] == 32 && b[i + 1] == 32 { return nil }
        var i = close + 1
        guard i < end, b[i] == 32 else { return nil }
        i += 1
        var time: Int64 = 0
        let digits = i
        while i < end, (48...57).contains(b[i]), i - digits < 18 {
            time = time * 10 + Int64(b[i] - 48)
            i += 1
        }
        guard i > digits, i + 6 == end, b[i] == 32, b[i + 1] == 43 || b[i + 1] == 45,
            (i + 2..<end).allSatisfy({ (48...57).contains(b[$0]) })
        else { return nil }
        p = end + 1
        return (start..<(open - 1), (open + 1)..<close, time)
    }

    private static func text(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }
}
