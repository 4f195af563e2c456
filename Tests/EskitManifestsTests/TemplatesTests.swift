import EskitManifests
import Foundation
import TestSupport
import Testing

@Suite struct TemplatesTests {
    @Test func embeddedTemplatesMatchTheTemplatesFolder() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("templates")
        var onDisk: [String] = []
        let e = FileManager.default.enumerator(atPath: folder.path)
        while let item = e?.nextObject() as? String {
            if item.hasSuffix(".yaml") || item.hasSuffix(".yml") { onDisk.append(item) }
        }
        #expect(EmbeddedTemplates.files.map(\.path) == onDisk.sorted(), "run scripts/embed-templates.sh")
        for (path, text) in EmbeddedTemplates.files {
            let disk = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            #expect(disk == text, "templates/\(path) differs from its embedded copy: run scripts/embed-templates.sh")
        }
    }

    @Test(arguments: StarterFiles.providers)
    func starterInventoriesGenerateCleanly(_ provider: String) throws {
        let text = try #require(StarterFiles.files(provider: provider)?.first { $0.path == "eskit.yaml" }?.text)
        let inventory = try InventoryLoader.load(Array(text.utf8), file: "eskit.yaml")
        let result = try ManifestGenerator.generate(inventory, inventoryName: "eskit.yaml")
        #expect(result.warnings.isEmpty)
        #expect(result.outputFolders == ["out/staging", "out/production"])
    }

    @Test(
        .enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"),
        arguments: StarterFiles.providers)
    func starterInventoriesPassTheESOCRDs(_ provider: String) throws {
        let text = try #require(StarterFiles.files(provider: provider)?.first { $0.path == "eskit.yaml" }?.text)
        let inventory = try InventoryLoader.load(Array(text.utf8), file: "eskit.yaml")
        let result = try ManifestGenerator.generate(inventory, inventoryName: "eskit.yaml")
        let catalog = try CRDCatalog(folder: try #require(OptionalTools.esoCRDs).path)
        for file in result.files where file.isManifest {
            let problems = catalog.validate(text: Array(file.contents.utf8), file: file.path)
            #expect(problems.isEmpty, "\(provider): \(problems.map(\.description))")
        }
        #expect(!result.files.isEmpty)
    }

    @Test func jsonSchemaIsCommittedAndCurrent() throws {
        let committed = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/eskit-inventory.schema.json"), encoding: .utf8
        )
        #expect(committed == JSONSchemaWriter.inventory(), "run: eskit schema > docs/eskit-inventory.schema.json")
        let parsed = try JSONSerialization.jsonObject(with: Data(committed.utf8)) as? [String: Any]
        #expect((parsed?["required"] as? [String]) == ["apiVersion", "kind", "environments", "stores"])
    }

    @Test func theDocumentedExampleInventoryGenerates() throws {
        let doc = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/inventory.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "## A complete example\n\n```yaml\n"))
        let end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
        let yaml = String(doc[start.upperBound..<end.lowerBound])
        let inventory = try InventoryLoader.load(Array(yaml.utf8), file: "eskit.yaml")
        let result = try ManifestGenerator.generate(inventory, inventoryName: "eskit.yaml")
        #expect(result.warnings.isEmpty)
        #expect(result.files.count > 20)
    }
}
