/// Where the documents of a YAML stream start (offset 0, then every line that begins with `---` followed by a
/// blank, a line break or the end of the text: the cuts `ManifestFile.documentSlices` makes), found for a version
/// built by copying runs of an earlier version whose starts are known.
enum DocumentStarts {
    /// A cut depends only on the byte before a position and the four from it, so inside a copied run, at least one
    /// byte from its start and four from its end, the cuts are the earlier version's, shifted; everywhere else (the
    /// inserted bytes and the edges of the runs) each position is tested on `buffer` itself.
    static func find(in buffer: UnsafeBufferPointer<UInt8>, earlier: DocumentTable, copies: [CopiedRun]) -> [Int] {
        let n = buffer.count
        var starts = [0]
        var position = 0
        for run in copies {
            let interiorStart = run.target + 1
            let interiorEnd = run.target + run.length - 3
            guard interiorStart < interiorEnd else { continue }
            test(buffer, from: position, to: interiorStart, into: &starts)
            var d = earlier.firstStart(atOrAfter: run.source + 1)
            let sourceEnd = run.source + run.length - 3
            while d < earlier.starts.count, earlier.starts[d] < sourceEnd {
                starts.append(earlier.starts[d] - run.source + run.target)
                d += 1
            }
            position = interiorEnd
        }
        test(buffer, from: position, to: n, into: &starts)
        return starts
    }

    /// Appends the cuts at positions `from ..< to` (skipping 0, always a start).
    private static func test(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into starts: inout [Int]) {
        let n = b.count
        var t = max(from, 1)
        while t < min(to, n - 2) {
            if b[t - 1] == 10, b[t] == 45, b[t + 1] == 45, b[t + 2] == 45 {
                let after = t + 3 < n ? b[t + 3] : 10
                if after == 10 || after == 13 || after == 32 || after == 9 { starts.append(t) }
            }
            t += 1
        }
    }
}
