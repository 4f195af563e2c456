import EskitCore
import EskitScan
import Testing

@Suite struct ScannerAPITests {
    @Test func binaryAndHugeFilesAreSkippedAndCounted() throws {
        let scanner = try Scanner(configuration: ScanConfiguration(maxFileSize: 64))
        #expect(scanner.scan(ScanInput(path: "a.bin", bytes: [1, 0, 2])).skippedBinary == 1)
        #expect(scanner.scan(ScanInput(path: "a.txt", bytes: [UInt8](repeating: 65, count: 65))).skippedHuge == 1)
        let ok = scanner.scan(ScanInput(path: "a.txt", text: "hello"))
        #expect(ok.skippedBinary == 0 && ok.skippedHuge == 0 && ok.bytesScanned == 5)
    }
}
