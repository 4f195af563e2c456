import Testing

@testable import EskitScan

/// The registry lists the text detectors apart (the scanner runs them without a protocol cast, which costs every
/// hook run a walk over the binary's conformance records); a text detector listed among the rule-only ones would
/// never run.
@Suite struct DetectorRegistryTests {
    @Test func ruleOnlyDetectorsAreNotTextDetectorsAndEveryTextDetectorRuns() {
        for detector in BuiltInDetectors.reportedByWorkers {
            #expect(!(detector is any TextDetector), "\(detector.id) is a text detector listed as rule-only")
        }
        let scanner = try? Scanner()
        let running = Set(scanner?.engine.detectors.map(\.id) ?? [])
        for detector in BuiltInDetectors.text { #expect(running.contains(detector.id), "\(detector.id) never runs") }
        #expect(BuiltInDetectors.all.count == BuiltInDetectors.text.count + BuiltInDetectors.reportedByWorkers.count)
    }

    @Test func aDisabledTextDetectorDoesNotRun() throws {
        var configuration = ScanConfiguration()
        configuration.disabledRules = ["jwt"]
        let running = Set(try Scanner(configuration: configuration).engine.detectors.map(\.id))
        #expect(!running.contains("jwt"))
        #expect(running.contains("aws-access-key-id"))
    }
}
