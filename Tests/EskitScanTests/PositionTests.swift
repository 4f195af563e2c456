import EskitCore
import EskitScan
import Testing

/// Positions of many findings on one long line (minified JSON): columns in code points, each right.
@Suite struct PositionTests {
    @Test func manyFindingsOnOneLineHaveExactColumns() {
        let values = (0..<3000).map { Sample.string(32, from: Sample.hex, seed: UInt64(900 + $0)) }
        var line = "["
        var columns: [Int] = []
        for (i, v) in values.enumerated() {
            if i > 0 { line += "," }
            if i % 7 == 3 { line += "{\"note\":\"größe→\"}," }
            line += "{\"secret\":\""
            columns.append(line.unicodeScalars.count + 1)
            line += v + "\"}"
        }
        let text = "{\"x\": 1}\n" + line + "]\n"
        let expected = Dictionary(zip(values, columns), uniquingKeysWith: { a, _ in a })
        let found = Scan.run(text, path: "dump.json").filter { $0.ruleID == "generic-secret" }
        #expect(found.count >= values.count - 10, "\(found.count) of \(values.count)")
        let wrong = found.filter { f in
            let column = expected[f.secret.revealed] ?? -1
            return f.span.start.line != 2 || f.span.end.line != 2 || f.span.start.column != column
                || f.span.end.column != column + 32
        }
        #expect(
            wrong.isEmpty,
            "\(wrong.count) findings at a wrong position, first \(wrong.first.map { "\($0.span)" } ?? "")")
    }
}
