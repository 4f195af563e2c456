/// A set of bytes as a 256-bit table.
struct ByteSet: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ ascii: String) {
        for b in ascii.utf8 { insert(b) }
    }

    init(ranges: [ClosedRange<UInt8>], extra: String = "") {
        for r in ranges { for b in r { insert(b) } }
        for b in extra.utf8 { insert(b) }
    }

    mutating func insert(_ b: UInt8) {
        switch b >> 6 {
        case 0: bits.0 |= 1 << UInt64(b & 63)
        case 1: bits.1 |= 1 << UInt64(b & 63)
        case 2: bits.2 |= 1 << UInt64(b & 63)
        default: bits.3 |= 1 << UInt64(b & 63)
        }
    }

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        switch b >> 6 {
        case 0: return bits.0 & (1 << UInt64(b & 63)) != 0
        case 1: return bits.1 & (1 << UInt64(b & 63)) != 0
        case 2: return bits.2 & (1 << UInt64(b & 63)) != 0
        default: return bits.3 & (1 << UInt64(b & 63)) != 0
        }
    }

    static let alnum = ByteSet(ranges: [48...57, 65...90, 97...122])
    static let upperAlnum = ByteSet(ranges: [48...57, 65...90])
    static let lowerAlnum = ByteSet(ranges: [48...57, 97...122])
    static let hex = ByteSet(ranges: [48...57, 97...102, 65...70])
    static let lowerHex = ByteSet(ranges: [48...57, 97...102])
    static let base64 = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+/=")
    static let base64URL = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-_")
    static let base64Any = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "+/=-_")
    static let tokenChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "-_")
    static let identifier = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_-.")
    static let word = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_")
    static let space = ByteSet(" \t")
    static let newline = ByteSet("\n\r")
}

/// ASCII lower-casing table.
let lowerTable: [UInt8] = (0...255).map { b in (65...90).contains(b) ? UInt8(b + 32) : UInt8(b) }

/// A borrowed view of the bytes being scanned, with the small matchers every detector uses.
struct ByteText {
    let base: UnsafeBufferPointer<UInt8>
    let path: String
    /// Source code (by extension): assignments count only with quoted values.
    let isCode: Bool

    /// Lockfiles and vendored package-manager releases (`yarn.lock`, `.yarn/releases/*.cjs`): generated, so
    /// keyword assignments in them (`"secret-handshake@npm:^1.0.0"`) are not judged; token formats still are.
    /// Computed when asked (before reporting a generic finding), not per document.
    var isGenerated: Bool { ByteText.isGeneratedFile(path) }

    init(base: UnsafeBufferPointer<UInt8>, path: String, isCode: Bool? = nil) {
        self.base = base
        self.path = path
        self.isCode = isCode ?? Assignment.isCodeFile(path)
    }

    private static let generatedNames: Set<Substring> = [
        "yarn.lock", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "Cargo.lock", "go.sum",
        "poetry.lock", "Gemfile.lock", "composer.lock", "Package.resolved", "flake.lock", ".terraform.lock.hcl",
        "Pipfile.lock", "uv.lock", "bun.lock", ".pnp.cjs", ".pnp.loader.mjs",
    ]

    static func isGeneratedFile(_ path: String) -> Bool {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? Substring(path)
        return generatedNames.contains(name) || path.contains(".yarn/releases/")
    }

    var count: Int { base.count }

    @inline(__always) subscript(i: Int) -> UInt8 { base[i] }

    @inline(__always) func byte(_ i: Int) -> UInt8? { i >= 0 && i < base.count ? base[i] : nil }

    func slice(_ range: Range<Int>) -> [UInt8] { Array(base[range]) }

    func string(_ range: Range<Int>) -> String { String(decoding: base[range], as: UTF8.self) }

    func hasPrefix(_ literal: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + literal.count <= base.count else { return false }
        for k in 0..<literal.count where base[i + k] != literal[k] { return false }
        return true
    }

    /// `literal` must be lower-case.
    func hasPrefixIgnoringCase(_ literal: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + literal.count <= base.count else { return false }
        for k in 0..<literal.count where lowerTable[Int(base[i + k])] != literal[k] { return false }
        return true
    }

    /// End of the run of bytes in `set` starting at `i` (at most `limit` bytes).
    func run(from i: Int, in set: ByteSet, limit: Int = Int.max) -> Int {
        var j = i
        let end = min(base.count, i &+ limit < i ? Int.max : i + limit)
        while j < end, set.contains(base[j]) { j += 1 }
        return j
    }

    /// Start of the run of bytes in `set` ending just before `i`.
    func runBackward(from i: Int, in set: ByteSet, limit: Int = Int.max) -> Int {
        var j = i
        var n = 0
        while j > 0, n < limit, set.contains(base[j - 1]) { j -= 1; n += 1 }
        return j
    }

    /// True when the byte before `i` is not in `set` (or `i` is the start).
    func boundaryBefore(_ i: Int, _ set: ByteSet = .alnum) -> Bool {
        i == 0 || !set.contains(base[i - 1])
    }

    func boundaryAfter(_ i: Int, _ set: ByteSet = .alnum) -> Bool {
        i >= base.count || !set.contains(base[i])
    }

    /// Longest stretch a line lookup walks: minified files with very long lines stay linear.
    static let lineLookLimit = 4096

    /// Start of the line holding `i` (at most `lineLookLimit` bytes back).
    func lineStart(_ i: Int) -> Int {
        var j = min(i, base.count)
        let stop = max(0, j - ByteText.lineLookLimit)
        while j > stop, base[j - 1] != 10 { j -= 1 }
        return j
    }

    /// End of the line holding `i`, before `\r\n` (at most `lineLookLimit` bytes ahead).
    /// Never past the end of the text, also when `i` is (`lineEnd(lineEnd(x) + 1)` on the last line).
    func lineEnd(_ i: Int) -> Int {
        var j = min(i, base.count)
        let stop = min(base.count, i + ByteText.lineLookLimit)
        while j < stop, base[j] != 10 { j += 1 }
        if j > i, j > 0, base[j - 1] == 13 { return j - 1 }
        return j
    }

    /// The offset of `literal` in `range`, or nil.
    func find(_ literal: [UInt8], in range: Range<Int>, ignoringCase: Bool = false) -> Int? {
        guard let first = literal.first, range.count >= literal.count else { return nil }
        let last = min(range.upperBound, base.count) - literal.count
        var i = max(0, range.lowerBound)
        while i <= last {
            let b = ignoringCase ? lowerTable[Int(base[i])] : base[i]
            if b == first, ignoringCase ? hasPrefixIgnoringCase(literal, at: i) : hasPrefix(literal, at: i) { return i }
            i += 1
        }
        return nil
    }

    func hasPrefix(_ literal: StaticString, at i: Int) -> Bool {
        literal.withUTF8Buffer { lit in
            guard i >= 0, i + lit.count <= base.count else { return false }
            for k in 0..<lit.count where base[i + k] != lit[k] { return false }
            return true
        }
    }

    func find(_ literal: StaticString, in range: Range<Int>) -> Int? {
        literal.withUTF8Buffer { lit in
            guard let first = lit.first, range.count >= lit.count else { return nil }
            let last = min(range.upperBound, base.count) - lit.count
            var i = max(0, range.lowerBound)
            while i <= last {
                if base[i] == first {
                    var k = 1
                    while k < lit.count, base[i + k] == lit[k] { k += 1 }
                    if k == lit.count { return i }
                }
                i += 1
            }
            return nil
        }
    }

    func contains(_ literal: String, ignoringCase: Bool = false) -> Bool {
        find(Array(literal.utf8), in: 0..<base.count, ignoringCase: ignoringCase) != nil
    }

    /// Offset just past `i` after spaces and tabs.
    func skipSpaces(_ i: Int) -> Int { run(from: i, in: .space) }

    /// The window `[i - before, i + after)` clamped to the text.
    func window(_ i: Int, before: Int, after: Int) -> Range<Int> {
        max(0, i - before)..<min(base.count, i + after)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

extension ByteSet {
    func without(_ b: UInt8) -> ByteSet {
        var copy = ByteSet("")
        for c in 0...255 where contains(UInt8(c)) && UInt8(c) != b { copy.insert(UInt8(c)) }
        return copy
    }
}
