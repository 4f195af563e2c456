import EskitYAML
import Foundation
import TestSupport
import Testing

/// Each `fixtures/yaml/invalid/NAME.yaml` fails with exactly the message in `NAME.expected`.
/// `ESKIT_RECORD=1 swift test --filter YAMLErrorFixtureTests` rewrites the expected files (and fails).
@Suite struct YAMLErrorFixtureTests {
    static let names: [String] = {
        let folder = Fixtures.url("yaml/invalid")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func fixturesExist() {
        #expect(Self.names.count >= 11)
    }

    @Test(arguments: names)
    func malformedInputGivesDocumentedMessage(name: String) throws {
        let bytes = try Fixtures.bytes("yaml/invalid/\(name).yaml")
        var message: String?
        do {
            let documents = try YAML.parse(bytes, file: "\(name).yaml")
            Issue.record("\(name).yaml parsed into \(documents.count) documents; expected an error")
        } catch {
            message = error.description
        }
        let actual = try #require(message) + "\n"
        try Golden.check(actual, against: Fixtures.url("yaml/invalid/\(name).expected"))
    }
}
