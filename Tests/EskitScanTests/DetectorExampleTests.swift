import EskitCore
import EskitScan
import Testing

@Suite struct DetectorExampleTests {
    static let scanner = try! Scanner()

    @Test func idsAreUniqueSortedAndKebabCase() {
        let ids = BuiltInDetectors.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for id in ids { #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id)") }
        #expect(ids.count >= 40)
    }

    @Test func everyDetectorHasExamples() {
        for d in BuiltInDetectors.all {
            #expect(!d.positiveExamples.isEmpty, "\(d.id) has no positive example")
            #expect(!d.negativeExamples.isEmpty, "\(d.id) has no negative example")
        }
    }

    @Test(arguments: BuiltInDetectors.all.map(\.id))
    func positiveExamplesAreFound(id: String) {
        let detector = BuiltInDetectors.all.first { $0.id == id }!
        for (i, example) in detector.positiveExamples.enumerated() {
            let result = Self.scanner.scan(ScanInput(path: example.path, text: example.text))
            let hits = result.findings.filter { $0.ruleID == id }
            #expect(!hits.isEmpty, "\(id) positive #\(i) not found; got \(result.findings.map(\.ruleID))")
            for hit in hits {
                #expect(hit.kind == detector.kind)
                #expect(hit.severity == detector.severity)
                let raw = hit.secret.revealed
                #expect(!hit.description.contains(raw) && !hit.secret.preview.contains(raw) && !"\(hit.secret)".contains(raw))
            }
        }
    }

    @Test(arguments: BuiltInDetectors.all.map(\.id))
    func negativeExamplesAreNotFound(id: String) {
        let detector = BuiltInDetectors.all.first { $0.id == id }!
        for (i, example) in detector.negativeExamples.enumerated() {
            let result = Self.scanner.scan(ScanInput(path: example.path, text: example.text))
            let hits = result.findings.filter { $0.ruleID == id }
            #expect(hits.isEmpty, "\(id) negative #\(i) reported: \(hits.map { "\($0.span)" })")
        }
    }
}
