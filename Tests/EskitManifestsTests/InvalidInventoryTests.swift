import EskitCore
import EskitManifests
import Foundation
import TestSupport
import Testing

@Suite struct InvalidInventoryTests {
    static let folder = Fixtures.url("inventory/invalid")
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// Load and generate; the messages eskit prints (errors and warnings, sorted).
    static func messages(_ name: String) throws -> [String] {
        let bytes = try Fixtures.bytes("inventory/invalid/\(name)")
        do {
            let inventory = try InventoryLoader.load(bytes, file: name)
            let result = try ManifestGenerator.generate(inventory, inventoryName: name)
            return result.warnings.map(\.description) + ["(generated \(result.files.count) files without errors)"]
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func everyCaseHasAnExpectation() {
        #expect(Self.cases.count >= 12)
    }

    @Test(arguments: cases)
    func exactMessages(_ name: String) throws {
        let actual = try Self.messages(name).joined(separator: "\n") + "\n"
        #expect(!actual.contains("without errors"), "\(name) must be rejected")
        try Golden.check(
            actual,
            against: Self.folder.appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ".expected")))
    }
}
