import EskitCore
import EskitScan
import Foundation
import TestSupport
import Testing

/// The scan module's own sources and tests hold no secret-shaped literal: every sample is assembled at run time.
@Suite struct SelfScanTests {
    @Test func scanModuleSourcesAndTestsScanClean() throws {
        let root = Fixtures.packageRoot
        var scanned = 0
        for folder in ["Sources/EskitScan", "Tests/EskitScanTests"] {
            let base = root.appendingPathComponent(folder)
            let walker = try #require(FileManager.default.enumerator(atPath: base.path))
            while let entry = walker.nextObject() as? String {
                guard entry.hasSuffix(".swift") else { continue }
                let data = try Data(contentsOf: base.appendingPathComponent(entry))
                let result = Scan.scanner.scan(ScanInput(path: folder + "/" + entry, bytes: Array(data)))
                #expect(
                    result.findings.isEmpty, "\(folder)/\(entry): \(result.findings.map { "\($0.ruleID) \($0.span)" })")
                scanned += 1
            }
        }
        #expect(scanned > 30)
    }
}
