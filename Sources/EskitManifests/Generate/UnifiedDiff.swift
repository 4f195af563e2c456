/// Line diffs in unified format (Myers' O(ND) algorithm, 3 lines of context).
public enum UnifiedDiff {
    enum Edit: Equatable { case keep(Int, Int), delete(Int), insert(Int) }

    /// The unified diff from `old` to `new` with `---`/`+++` headers; empty when equal. Nil text means the file
    /// does not exist on that side (`/dev/null`).
    public static func diff(old: String?, new: String?, oldLabel: String, newLabel: String, context: Int = 3) -> String
    {
        if old == new { return "" }
        let a = lines(old ?? "")
        let b = lines(new ?? "")
        let edits = script(a, b)
        var out = "--- \(old == nil ? "/dev/null" : oldLabel)\n+++ \(new == nil ? "/dev/null" : newLabel)\n"
        let changes = edits.indices.filter {
            if case .keep = edits[$0] { return false }; return true
        }
        var g = 0
        while g < changes.count {
            var last = g
            while last + 1 < changes.count, changes[last + 1] - changes[last] - 1 <= 2 * context { last += 1 }
            let from = max(0, changes[g] - context)
            let to = min(edits.count, changes[last] + context + 1)
            out += hunk(Array(edits[from..<to]), a, b)
            g = last + 1
        }
        return out
    }

    static func lines(_ text: String) -> [Substring] {
        if text.isEmpty { return [] }
        var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { result.removeLast() }
        return result
    }

    static func hunk(_ edits: [Edit], _ a: [Substring], _ b: [Substring]) -> String {
        var aStart = -1, bStart = -1, aCount = 0, bCount = 0
        var body = ""
        for e in edits {
            switch e {
            case .keep(let x, let y):
                if aStart < 0 { aStart = x }
                if bStart < 0 { bStart = y }
                aCount += 1; bCount += 1
                body += " \(a[x])\n"
            case .delete(let x):
                if aStart < 0 { aStart = x }
                aCount += 1
                body += "-\(a[x])\n"
            case .insert(let y):
                if bStart < 0 { bStart = y }
                bCount += 1
                body += "+\(b[y])\n"
            }
        }
        if aStart < 0 { aStart = positionBefore(edits, a: true) }
        if bStart < 0 { bStart = positionBefore(edits, a: false) }
        func range(_ start: Int, _ count: Int) -> String {
            count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
        }
        return "@@ -\(range(aStart, aCount)) +\(range(bStart, bCount)) @@\n" + body
    }

    static func positionBefore(_ edits: [Edit], a: Bool) -> Int {
        for e in edits {
            switch e {
            case .delete(let x) where a: return x
            case .insert(let y) where !a: return y
            default: continue
            }
        }
        return 0
    }

    /// The shortest edit script turning `a` into `b`: the common head and tail are kept as they are and only the
    /// middle goes through Myers' search.
    static func script(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        var edits = (0..<head).map { Edit.keep($0, $0) }
        let middleA = Array(a[head..<(a.count - tail)]), middleB = Array(b[head..<(b.count - tail)])
        if middleA.isEmpty {
            edits += middleB.indices.map { .insert(head + $0) }
        } else if middleB.isEmpty {
            edits += middleA.indices.map { .delete(head + $0) }
        } else {
            edits += myers(middleA, middleB).map { edit in
                switch edit {
                case .keep(let x, let y): .keep(head + x, head + y)
                case .delete(let x): .delete(head + x)
                case .insert(let y): .insert(head + y)
                }
            }
        }
        edits += (0..<tail).map { .keep(a.count - tail + $0, b.count - tail + $0) }
        return edits
    }

    static func myers(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        let n = a.count, m = b.count
        let maxD = n + m
        if maxD == 0 { return [] }
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        for d in 0...maxD {
            trace.append(v)
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { found = true; break }
                k += 2
            }
            if found { break }
        }
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1])) ? k + 1 : k - 1
            let prevX = d == 0 ? 0 : vd[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX, y > prevY { x -= 1; y -= 1; edits.append(.keep(x, y)) }
            if d > 0 {
                if x == prevX { y -= 1; edits.append(.insert(y)) } else { x -= 1; edits.append(.delete(x)) }
            }
        }
        while x > 0, y > 0 { x -= 1; y -= 1; edits.append(.keep(x, y)) }
        return edits.reversed()
    }
}
