/// Turns the raw matches of one file into the reported set: drops generic matches inside ranges a structured
/// detector judged, keeps the most specific rule where matches overlap, removes duplicates, sorts by position.
enum MatchResolver {
    static func resolve(_ sink: MatchSink) -> [RawMatch] {
        guard !sink.matches.isEmpty else { return [] }
        let claims = IntervalSet(sink.claimed)
        var candidates = sink.matches.filter { m in m.priority > .generic || !claims.overlaps(m.range) }
        candidates.sort {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.range.count != $1.range.count { return $0.range.count > $1.range.count }
            if $0.range.lowerBound != $1.range.lowerBound { return $0.range.lowerBound < $1.range.lowerBound }
            return $0.rule.id < $1.rule.id
        }
        var accepted: [RawMatch] = []
        var index = IntervalIndex()
        for m in candidates {
            let blocked = index.neighbours(of: m.range).contains { k in
                let a = accepted[k]
                return (a.range == m.range && a.secret == m.secret)
                    || (a.priority > m.priority && (a.range.overlaps(m.range) || a.range == m.range))
                    || (a.rule.id == m.rule.id && (a.range.overlaps(m.range) || a.range == m.range))
            }
            if !blocked {
                index.insert(m.range, id: accepted.count)
                accepted.append(m)
            }
        }
        accepted.sort {
            if $0.range.lowerBound != $1.range.lowerBound { return $0.range.lowerBound < $1.range.lowerBound }
            return $0.rule.id < $1.rule.id
        }
        return accepted
    }
}

/// Ranges sorted by start, for overlap queries.
struct IntervalSet {
    private let starts: [Int]
    private let ends: [Int]
    private let maxLength: Int

    init(_ ranges: [Range<Int>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        starts = sorted.map(\.lowerBound)
        ends = sorted.map(\.upperBound)
        maxLength = sorted.map(\.count).max() ?? 0
    }

    /// True when a range overlaps `r` or equals it (empty ranges included).
    func overlaps(_ r: Range<Int>) -> Bool {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] < r.upperBound || (r.isEmpty && starts[mid] == r.lowerBound) {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        var k = lo - 1
        while k >= 0, starts[k] + maxLength >= r.lowerBound {
            let other = starts[k]..<ends[k]
            if other.overlaps(r) || other == r { return true }
            k -= 1
        }
        return false
    }
}

/// Accepted match ranges kept sorted by start; yields the ids of ranges that may overlap a query.
private struct IntervalIndex {
    private var entries: [(start: Int, end: Int, id: Int)] = []
    private var maxLength = 0

    mutating func insert(_ r: Range<Int>, id: Int) {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].start <= r.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        entries.insert((r.lowerBound, r.upperBound, id), at: lo)
        maxLength = max(maxLength, r.count)
    }

    func neighbours(of r: Range<Int>) -> [Int] {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].start <= r.upperBound { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var k = lo - 1
        while k >= 0, entries[k].start + maxLength >= r.lowerBound {
            out.append(entries[k].id)
            k -= 1
        }
        return out
    }
}
