/// A path glob: `*` matches within one path segment, `**` across segments, `?` one byte, `[abc]` a byte set.
/// A pattern without `/` matches the file name in any folder; a pattern ending in `/` matches everything below.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let bytes: [UInt8]
    private let anchored: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        anchored = p.contains("/")
        if p.hasPrefix("/") { p.removeFirst() }
        bytes = Array(p.utf8)
    }

    /// True when `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        var p = Array(path.utf8)
        if p.starts(with: Array("./".utf8)) { p.removeFirst(2) }
        if anchored { return Glob.match(bytes[...], p[...]) }
        let name = p.lastIndex(of: 47).map { p[($0 + 1)...] } ?? p[...]
        return Glob.match(bytes[...], name)
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var pi = pattern.startIndex, ti = text.startIndex
        while pi < pattern.endIndex {
            let c = pattern[pi]
            if c == 42 {
                let doubleStar = pi + 1 < pattern.endIndex && pattern[pi + 1] == 42
                var rest = pi + (doubleStar ? 2 : 1)
                if doubleStar, rest < pattern.endIndex, pattern[rest] == 47 {
                    if match(pattern[(rest + 1)...], text[ti...]) { return true }
                    rest += 1
                }
                var k = ti
                while true {
                    if match(pattern[rest...], text[k...]) { return true }
                    if k >= text.endIndex || (!doubleStar && text[k] == 47) { return false }
                    k += 1
                }
            }
            guard ti < text.endIndex else { return false }
            if c == 63 {
                if text[ti] == 47 { return false }
            } else if c == 91, let close = pattern[(pi + 1)...].firstIndex(of: 93) {
                var set = pattern[(pi + 1)..<close]
                let negate = set.first == 33 || set.first == 94
                if negate { set = set.dropFirst() }
                var found = false
                var k = set.startIndex
                while k < set.endIndex {
                    if k + 2 < set.endIndex, set[k + 1] == 45 {
                        if set[k] <= text[ti] && text[ti] <= set[k + 2] { found = true }
                        k += 3
                    } else {
                        if set[k] == text[ti] { found = true }
                        k += 1
                    }
                }
                if found == negate { return false }
                pi = close
            } else if c != text[ti] {
                return false
            }
            pi += 1
            ti += 1
        }
        return ti == text.endIndex
    }
}
