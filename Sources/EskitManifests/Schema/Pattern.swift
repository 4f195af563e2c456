/// A small backtracking regular-expression engine over UTF-8 bytes for the ECMA-262 subset that Kubernetes CRD
/// `pattern`s use: literals, `.`, classes (`[a-z0-9-]`, `[^\s]`), `\d \w \s \D \W \S`, escapes, groups `( )` and
/// `(?: )`, alternation `|`, anchors `^ $`, and the quantifiers `* + ? {n} {n,} {n,m}`. Matching is unanchored
/// (a search), as in JSON Schema.
public struct Pattern: Sendable, Hashable {
    public let source: String
    private let root: Node

    /// A pattern outside the supported subset.
    public struct Unsupported: Error, Sendable, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "unsupported pattern \(pattern): \(reason)" }
    }

    public init(_ source: String) throws(Unsupported) {
        self.source = source
        var parser = Parser(bytes: Array(source.utf8), source: source)
        root = try parser.parseAll()
    }

    /// True when some substring of `text` matches.
    public func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            let m = Matcher(input: buffer)
            for start in 0...buffer.count where m.match(root, start, { _ in true }) { return true }
            return false
        }
    }

    indirect enum Node: Sendable, Hashable {
        case set(ByteSet)
        case lineStart
        case lineEnd
        case sequence([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)
    }

    struct ByteSet: Sendable, Hashable {
        var bits: [UInt64] = [0, 0, 0, 0]
        mutating func insert(_ b: UInt8) { bits[Int(b >> 6)] |= 1 << UInt64(b & 63) }
        mutating func insert(_ r: ClosedRange<UInt8>) { for b in r { insert(b) } }
        mutating func formUnion(_ o: ByteSet) { for i in 0..<4 { bits[i] |= o.bits[i] } }
        func contains(_ b: UInt8) -> Bool { bits[Int(b >> 6)] & (1 << UInt64(b & 63)) != 0 }
        var inverted: ByteSet { var s = self; for i in 0..<4 { s.bits[i] = ~s.bits[i] }; return s }

        static func single(_ b: UInt8) -> ByteSet { var s = ByteSet(); s.insert(b); return s }
        static let digit: ByteSet = {
            var s = ByteSet(); s.insert(48...57); return s
        }()
        static let word: ByteSet = {
            var s = ByteSet(); s.insert(48...57); s.insert(65...90); s.insert(97...122); s.insert(95); return s
        }()
        static let space: ByteSet = {
            var s = ByteSet(); for b: UInt8 in [9, 10, 11, 12, 13, 32] { s.insert(b) }; return s
        }()
        static let anyButNewline: ByteSet = ByteSet.single(10).inverted
    }

    private struct Parser {
        let bytes: [UInt8]
        let source: String
        var i = 0

        func fail(_ reason: String) -> Unsupported { Unsupported(pattern: source, reason: reason) }

        mutating func parseAll() throws(Unsupported) -> Node {
            let node = try parseAlternation()
            if i < bytes.count { throw fail("unexpected `\(Character(UnicodeScalar(bytes[i])))` at \(i)") }
            return node
        }

        mutating func parseAlternation() throws(Unsupported) -> Node {
            var branches = [try parseSequence()]
            while i < bytes.count, bytes[i] == UInt8(ascii: "|") {
                i += 1
                branches.append(try parseSequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseSequence() throws(Unsupported) -> Node {
            var items: [Node] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "|"), bytes[i] != UInt8(ascii: ")") {
                var atom = try parseAtom()
                while i < bytes.count, let (lo, hi) = try parseQuantifier() {
                    atom = .repetition(atom, min: lo, max: hi)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func parseQuantifier() throws(Unsupported) -> (Int, Int?)? {
            let c = bytes[i]
            var result: (Int, Int?)
            switch c {
            case UInt8(ascii: "*"): result = (0, nil); i += 1
            case UInt8(ascii: "+"): result = (1, nil); i += 1
            case UInt8(ascii: "?"): result = (0, 1); i += 1
            case UInt8(ascii: "{"):
                var j = i + 1
                func number(_ j: inout Int) -> Int? {
                    var n: Int?
                    while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 {
                        n = (n ?? 0) * 10 + Int(bytes[j] - 48); j += 1
                    }
                    return n
                }
                guard let lo = number(&j) else { return nil }
                var hi: Int? = lo
                if j < bytes.count, bytes[j] == UInt8(ascii: ",") { j += 1; hi = number(&j) }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "}") else { return nil }
                i = j + 1
                result = (lo, hi)
            default:
                return nil
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "?") { i += 1 }
            return result
        }

        mutating func parseAtom() throws(Unsupported) -> Node {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "("):
                if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "?") {
                    guard bytes[i + 1] == UInt8(ascii: ":") else { throw fail("lookaround or named groups") }
                    i += 2
                }
                let inner = try parseAlternation()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ")") else { throw fail("unclosed group") }
                i += 1
                return inner
            case UInt8(ascii: "["): return .set(try parseClass())
            case UInt8(ascii: "."): return .set(.anyButNewline)
            case UInt8(ascii: "^"): return .lineStart
            case UInt8(ascii: "$"): return .lineEnd
            case UInt8(ascii: "\\"): return .set(try parseEscape())
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"): throw fail("nothing to repeat")
            default: return .set(.single(c))
            }
        }

        mutating func parseEscape() throws(Unsupported) -> ByteSet {
            guard i < bytes.count else { throw fail("trailing backslash") }
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "d"): return .digit
            case UInt8(ascii: "D"): return ByteSet.digit.inverted
            case UInt8(ascii: "w"): return .word
            case UInt8(ascii: "W"): return ByteSet.word.inverted
            case UInt8(ascii: "s"): return .space
            case UInt8(ascii: "S"): return ByteSet.space.inverted
            case UInt8(ascii: "n"): return .single(10)
            case UInt8(ascii: "t"): return .single(9)
            case UInt8(ascii: "r"): return .single(13)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): throw fail("word boundaries")
            default:
                if (c >= 48 && c <= 57) { throw fail("back-references") }
                return .single(c)
            }
        }

        mutating func parseClass() throws(Unsupported) -> ByteSet {
            var set = ByteSet()
            var negate = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "^") { negate = true; i += 1 }
            var first = true
            while true {
                guard i < bytes.count else { throw fail("unclosed class") }
                var c = bytes[i]
                if c == UInt8(ascii: "]"), !first { i += 1; break }
                first = false
                i += 1
                if c == UInt8(ascii: "\\") {
                    let escaped = try parseEscape()
                    let singles = (0...255).filter { escaped.contains(UInt8($0)) }
                    if singles.count != 1 { set.formUnion(escaped); continue }
                    c = UInt8(singles[0])
                }
                if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] != UInt8(ascii: "]") {
                    i += 1
                    var hi = bytes[i]
                    i += 1
                    if hi == UInt8(ascii: "\\") {
                        guard i < bytes.count else { throw fail("trailing backslash") }
                        hi = bytes[i]
                        i += 1
                    }
                    guard hi >= c else { throw fail("reversed range") }
                    set.insert(c...hi)
                } else {
                    set.insert(c)
                }
            }
            return negate ? set.inverted : set
        }
    }

    private struct Matcher {
        let input: UnsafeBufferPointer<UInt8>

        func match(_ node: Node, _ pos: Int, _ next: (Int) -> Bool) -> Bool {
            switch node {
            case .set(let set):
                return pos < input.count && set.contains(input[pos]) && next(pos + 1)
            case .lineStart:
                return pos == 0 && next(pos)
            case .lineEnd:
                return pos == input.count && next(pos)
            case .sequence(let items):
                return matchSequence(items, 0, pos, next)
            case .alternation(let branches):
                for b in branches where match(b, pos, next) { return true }
                return false
            case .repetition(let inner, let lo, let hi):
                return matchRepeat(inner, lo, hi, 0, pos, next)
            }
        }

        func matchSequence(_ items: [Node], _ k: Int, _ pos: Int, _ next: (Int) -> Bool) -> Bool {
            if k == items.count { return next(pos) }
            return match(items[k], pos) { p in matchSequence(items, k + 1, p, next) }
        }

        func matchRepeat(
            _ inner: Node, _ lo: Int, _ hi: Int?, _ count: Int, _ pos: Int,
            _ next: (Int) -> Bool
        ) -> Bool {
            if case .set(let set) = inner {
                var end = pos
                let limit = hi.map { min(input.count, pos + $0 - count) } ?? input.count
                while end < limit, set.contains(input[end]) { end += 1 }
                if end - pos + count < lo { return false }
                var p = end
                while p - pos + count >= lo {
                    if next(p) { return true }
                    if p == pos { break }
                    p -= 1
                }
                return false
            }
            if let hi, count >= hi { return next(pos) }
            let tryMore = match(inner, pos) { p in p != pos && matchRepeat(inner, lo, hi, count + 1, p, next) }
            if tryMore { return true }
            return count >= lo && next(pos)
        }
    }
}
