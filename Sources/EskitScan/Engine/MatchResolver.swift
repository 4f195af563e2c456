/// Turns the raw matches of one file into the reported set: drops generic matches inside ranges a structured
/// detector judged, keeps the most specific rule where matches overlap, removes duplicates, sorts by position.
enum MatchResolver {
    static func resolve(_ sink: MatchSink) -> [RawMatch] {
        var candidates = sink.matches.filter { m in
            m.priority > .generic || !sink.claimed.contains { $0.overlaps(m.range) || $0 == m.range }
        }
        candidates.sort {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.range.count != $1.range.count { return $0.range.count > $1.range.count }
            if $0.range.lowerBound != $1.range.lowerBound { return $0.range.lowerBound < $1.range.lowerBound }
            return $0.rule.id < $1.rule.id
        }
        var accepted: [RawMatch] = []
        for m in candidates {
            let blocked = accepted.contains { a in
                (a.range == m.range && a.secret == m.secret)
                    || (a.priority > m.priority && (a.range.overlaps(m.range) || a.range == m.range))
                    || (a.rule.id == m.rule.id && a.range.overlaps(m.range))
            }
            if !blocked { accepted.append(m) }
        }
        accepted.sort {
            if $0.range.lowerBound != $1.range.lowerBound { return $0.range.lowerBound < $1.range.lowerBound }
            return $0.rule.id < $1.rule.id
        }
        return accepted
    }
}
