import EskitCore
import EskitESO
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// ESO's own documentation examples (`fixtures/eso/upstream/`, copied from ESO's `docs/snippets/`) through the typed
/// model and ESO's CRDs (the catalog built into eskit): real manifests written by the people who wrote the API.
@Suite struct ESOUpstreamExamplesTests {
    static let folder = "eso/upstream"
    static let modelledKinds: Set = [
        "ExternalSecret", "ClusterExternalSecret", "SecretStore", "ClusterSecretStore", "PushSecret",
        "ClusterPushSecret",
    ]

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }()

    struct Outcome {
        var objects = 0
        var roundTripped = 0
        var rejectedByBoth = 0
        var problems: [String] = []
    }

    /// Each ESO document of a file: the CRDs' verdict, the model's own reading, and what `ESOManifests` (the CRDs,
    /// then the model: what lint, validate and migrate read through) makes of it.
    static func check(_ name: String, into outcome: inout Outcome) throws {
        let bytes = try Fixtures.bytes("\(folder)/\(name)")
        let documents = try YAML.parse(bytes, file: name).filter { $0.root != nil }
        let combined = try ESOManifests.read(bytes, file: name)
        try #require(combined.count == documents.count, "\(name)")
        for (document, through) in zip(documents, combined) {
            guard let root = document.root, let api = root["apiVersion"]?.scalarValue,
                api.hasPrefix("external-secrets.io/")
            else { continue }
            let kind = root["kind"]?.scalarValue ?? "?"
            let place = "\(name):\(root.start.line) \(kind)"
            let crdProblems = CRDCatalog.builtIn.validate(document, file: name).sorted()
            if case .other = through {
                // Kinds the model does not cover (generators and the like); never one of the modelled kinds.
                if Self.modelledKinds.contains(kind) { outcome.problems.append("\(place): not read as its kind") }
                continue
            }
            outcome.objects += 1
            guard crdProblems.isEmpty else {
                // The CRDs reject it: so does ESOManifests, with the CRDs' first mark.
                if case .invalid(let diagnostics) = through, diagnostics.first == crdProblems.first {
                    outcome.rejectedByBoth += 1
                } else {
                    outcome.problems.append("\(place): the CRDs reject it, ESOManifests does not say so")
                }
                continue
            }
            guard case .eso(let first) = ESOReader.read(root, file: name), case .eso = through else {
                outcome.problems.append("\(place): the CRDs accept it, the model rejects it")
                continue
            }
            let emitted = ESOEmitter.text(first.object)
            let again = try ESOReader.read(Array(emitted.utf8), file: "emitted")
            guard case .eso(let second)? = again.first else {
                outcome.problems.append("\(place): the emitted object does not read back")
                continue
            }
            if first.object != second.object {
                outcome.problems.append("\(place): read, emit, read differs")
            } else if ESOEmitter.text(second.object) != emitted {
                outcome.problems.append("\(place): emitting is not stable")
            } else if !CRDCatalog.builtIn.validate(text: Array(emitted.utf8), file: "emitted").isEmpty {
                outcome.problems.append("\(place): the emitted object is not valid against the CRDs")
            } else {
                outcome.roundTripped += 1
            }
        }
    }

    /// Every object the CRDs accept reads, emits and reads back equal; everything the model rejects, the CRDs
    /// reject too, and the other way round.
    @Test func everyUpstreamExampleRoundTripsOrIsRejectedByBoth() throws {
        #expect(Self.files.count > 150)
        var outcome = Outcome()
        for name in Self.files { try Self.check(name, into: &outcome) }
        print(
            "ESO upstream examples: \(Self.files.count) files, \(outcome.objects) objects, "
                + "\(outcome.roundTripped) round-tripped, \(outcome.rejectedByBoth) rejected by the CRDs and the model")
        #expect(outcome.problems.isEmpty, "\(outcome.problems.joined(separator: "\n"))")
        #expect(outcome.objects > 150)
        #expect(outcome.roundTripped > 140)
        // Outdated snippets (v1beta1 / v1alpha1 ExternalSecrets, placeholders where a string belongs) exist.
        #expect(outcome.rejectedByBoth > 0)
    }

    /// Every provider the model types appears in the examples and reads as its typed case, not `other`.
    @Test func typedProvidersReadAsTheirCase() throws {
        var seen: Set<String> = []
        for name in Self.files {
            for result in try ESOReader.read(try Fixtures.bytes("\(Self.folder)/\(name)"), file: name) {
                guard case .eso(let read) = result, case .secretStore(let store) = read.object else { continue }
                if case .other = store.spec.provider { continue }
                seen.insert(store.spec.provider.name)
            }
        }
        #expect(seen.isSuperset(of: ["vault", "aws", "azurekv", "gcpsm", "pulumi", "fake"]), "\(seen.sorted())")
    }
}
