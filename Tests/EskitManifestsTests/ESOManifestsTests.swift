import EskitCore
import EskitESO
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// The validating reader: the model rejects what ESO's CRD schemas reject (here the built-in copy), with the same
/// `file:line:col` messages, and reads what they accept.
@Suite struct ESOManifestsTests {
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("manifests/invalid").path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test(arguments: cases)
    func whatTheCRDsRejectTheModelRejectsWithTheSameMarks(_ name: String) throws {
        let bytes = try Fixtures.bytes("manifests/invalid/\(name)")
        let results = try ESOManifests.read(bytes, file: name)
        var messages: [String] = []
        for result in results {
            switch result {
            case .invalid(let diagnostics): messages += diagnostics.map(\.description)
            case .eso(let object):
                Issue.record("\(name): \(object.object.kind) \(object.object.metadata.name) was accepted")
            case .other: break
            }
        }
        let expected = try String(
            contentsOf: Fixtures.url("manifests/invalid/\(name.dropLast(5)).expected"),
            encoding: .utf8)
        #expect(messages.joined(separator: "\n") + "\n" == expected, "\(name)")
    }

    @Test func everyGeneratedManifestAndTheKindsFixtureAreAccepted() throws {
        var files = ["eso/all-kinds.yaml"]
        let enumerator = FileManager.default.enumerator(atPath: Fixtures.url("expected/generate").path)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yaml") { files.append("expected/generate/\(path)") }
        }
        var accepted = 0
        for file in files {
            for result in try ESOManifests.read(try Fixtures.bytes(file), file: file) {
                switch result {
                case .eso: accepted += 1
                case .invalid(let diagnostics): Issue.record("\(file): \(diagnostics)")
                case .other: break
                }
            }
        }
        #expect(accepted > 20)
    }

    @Test func aV1beta1ManifestIsNotServed() throws {
        let text =
            "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: a}\n"
            + "spec:\n  data: [{secretKey: a, remoteRef: {key: b}}]\n"
        let results = try ESOManifests.read(Array(text.utf8), file: "old.yaml")
        guard case .invalid(let diagnostics)? = results.first else { Issue.record("accepted"); return }
        #expect(
            diagnostics.map(\.description) == [
                "old.yaml:1:13: error: apiVersion: external-secrets.io/v1beta1 is not served for ExternalSecret "
                    + "(served: external-secrets.io/v1)"
            ])
    }
}
