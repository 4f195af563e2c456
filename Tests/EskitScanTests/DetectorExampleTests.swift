import EskitCore
import EskitScan
import Testing

@Suite struct DetectorExampleTests {
    static let scanner = try! Scanner()

    /// `a-b1-c`: lower-case ASCII letters and digits in words joined by single dashes.
    static func isKebabCase(_ id: String) -> Bool {
        let words = id.split(separator: "-", omittingEmptySubsequences: false)
        return !id.isEmpty
            && words.allSatisfy { word in
                !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            }
    }

    /// Problems of an id list: duplicates, order, shape (empty when the list is fine).
    static func idProblems(_ ids: [String]) -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted { problems.append("duplicate \(id)") }
        if ids != ids.sorted() { problems.append("not sorted") }
        for id in ids where !isKebabCase(id) { problems.append("not kebab-case: \(id)") }
        return problems
    }

    @Test func idsAreUniqueSortedAndKebabCase() {
        let ids = BuiltInDetectors.all.map(\.id)
        #expect(Self.idProblems(ids) == [])
        #expect(ids.count >= 40)
    }

    /// The check above fails on each kind of bad list.
    @Test func theIdCheckRejectsBadLists() {
        #expect(Self.idProblems(["a-b", "a-b"]) == ["duplicate a-b"])
        #expect(Self.idProblems(["b", "a"]) == ["not sorted"])
        for bad in ["Aws-key", "aws_key", "-aws", "aws-", "aws--key", "", "clé"] {
            #expect(!Self.isKebabCase(bad), "\(bad)")
        }
        #expect(Self.isKebabCase("aws-access-key-2"))
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
                #expect(
                    !hit.description.contains(raw) && !hit.secret.preview.contains(raw)
                        && !"\(hit.secret)".contains(raw))
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
