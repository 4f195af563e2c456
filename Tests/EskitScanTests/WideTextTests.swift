import EskitCore
import EskitScan
import Foundation
import Testing

/// UTF-16 and UTF-32 files (PowerShell writes UTF-16 LE with a BOM) are decoded and scanned, not skipped as
/// binary; real binary stays skipped.
@Suite struct WideTextTests {
    static let token = "ghp_" + String(repeating: "Wq8zR4nT", count: 4) + "Ab12"
    static let text = "# settings\n$env:GITHUB_TOKEN = \"\(token)\"\n"

    static func encoded(_ encoding: String.Encoding, bom: [UInt8]) -> [UInt8] {
        bom + Array(text.data(using: encoding)!)
    }

    @Test(arguments: [
        ("utf-16le bom", encoded(.utf16LittleEndian, bom: [0xFF, 0xFE])),
        ("utf-16be bom", encoded(.utf16BigEndian, bom: [0xFE, 0xFF])),
        ("utf-32le bom", encoded(.utf32LittleEndian, bom: [0xFF, 0xFE, 0, 0])),
        ("utf-32be bom", encoded(.utf32BigEndian, bom: [0, 0, 0xFE, 0xFF])),
        ("utf-16le", encoded(.utf16LittleEndian, bom: [])),
        ("utf-16be", encoded(.utf16BigEndian, bom: [])),
    ])
    func wideTextIsDecodedAndScanned(_ name: String, _ bytes: [UInt8]) throws {
        let result = try Scanner().scan(ScanInput(path: "settings.ps1", bytes: bytes))
        #expect(result.skippedBinary == 0, "\(name)")
        let finding = try #require(result.findings.first { $0.ruleID == "github-pat" }, "\(name)")
        #expect(finding.secret.revealed == Self.token)
        #expect(finding.span.start.line == 2, "positions are those of the decoded text")
    }

    @Test func binaryStaysBinary() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
        png += (0..<256).map { UInt8($0) }
        let result = try Scanner().scan(ScanInput(path: "x.bin", bytes: png))
        #expect(result.skippedBinary == 1)
    }
}
