/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The closest candidate to `word` (case-insensitive Damerau-Levenshtein distance at most a third of the
    /// word's length, at least 1, at most 3; ties broken by candidate order), else the only candidate that
    /// starts with `word`, else the only candidate `word` starts with (`Periodically` -> `Periodic`); nil when none
    /// is close.
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let candidates = Array(candidates)
        let limit = max(1, min(3, word.utf8.count / 3))
        var best: (String, Int)?
        let w = Array(word.lowercased().utf8)
        for candidate in candidates {
            let d = distance(w, Array(candidate.lowercased().utf8))
            if d <= limit, best == nil || d < best!.1 { best = (candidate, d) }
        }
        if let best { return best.0 }
        let lower = word.lowercased()
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(lower) && !word.isEmpty }
        if prefixed.count == 1 { return prefixed[0] }
        let stems = candidates.filter { !$0.isEmpty && lower.hasPrefix($0.lowercased()) }
        return stems.count == 1 ? stems[0] : nil
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
    public static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], prev2[j - 2] + 1) }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }

    /// `; did you mean `x`?` or an empty string.
    public static func hint<S: Sequence>(_ word: String, _ candidates: S) -> String where S.Element == String {
        closest(to: word, in: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }
}
