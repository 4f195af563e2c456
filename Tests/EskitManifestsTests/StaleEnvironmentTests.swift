import EskitCore
import EskitManifests
import Foundation
import TestSupport
import Testing

/// Removing or renaming an environment leaves its old output folder behind; `generate` removes the files eskit
/// generated there from the same inventory and `--check` reports them, while hand-written files and files from other
/// inventories stay.
@Suite struct StaleEnvironmentTests {
    static func inventory(_ environments: [(name: String, output: String?)]) -> String {
        var text = "apiVersion: eskit/v1alpha1\nkind: Inventory\nenvironments:\n"
        for env in environments {
            text += "  - name: \(env.name)\n    store: vault\n"
            if let output = env.output { text += "    output: \(output)\n" }
        }
        text += """
            stores:
              - name: vault
                provider: {vault: {server: "https://vault.example.internal:8200", path: secret, version: v2}}
            secrets:
              - name: harbor-admin
                namespace: harbor
                data:
                  - {secretKey: password, remoteRef: {key: harbor/admin, property: password}}

            """
        return text
    }

    static func generate(_ text: String, only: [String] = [], name: String = "eskit.yaml") throws -> GenerationResult {
        try ManifestGenerator.generate(
            try InventoryLoader.load(Array(text.utf8), file: name), only: only, inventoryName: name)
    }

    func write(_ text: String, _ root: URL, _ path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func exists(_ root: URL, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    @Test func removedEnvironmentFolderIsStaleAndRemovedButForeignFilesStay() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try OutputSync.compare(try Self.generate(Self.inventory([("dev", nil), ("staging", nil)])), root: root.path)
            .apply()
        #expect(exists(root, "out/staging/harbor/externalsecret-harbor-admin.yaml"))
        try write("kind: ConfigMap\n", root, "out/staging/notes/hand-written.yaml")
        try write(
            ManifestGenerator.header("other.yaml") + "kind: ConfigMap\n", root, "out/staging/harbor/from-other.yaml")
        try OutputSync.compare(try Self.generate(Self.inventory([("qa", nil)]), name: "other.yaml"), root: root.path)
            .apply()

        let next = try Self.generate(Self.inventory([("dev", nil)]))
        let sync = try OutputSync.compare(next, root: root.path)
        #expect(sync.orphanFolders == ["out/staging"])
        #expect(
            sync.changes.map(\.path) == [
                "out/staging/eso-helm-values.yaml",
                "out/staging/harbor/externalsecret-harbor-admin.yaml",
                "out/staging/harbor/secretstore-vault.yaml",
                "out/staging/kustomization.yaml",
            ])
        #expect(sync.changes.allSatisfy { if case .stale = $0 { true } else { false } })
        #expect(sync.diff.contains("--- a/out/staging/kustomization.yaml\n+++ /dev/null\n"))

        try sync.apply()
        #expect(!exists(root, "out/staging/kustomization.yaml"))
        #expect(!exists(root, "out/staging/harbor/externalsecret-harbor-admin.yaml"))
        #expect(exists(root, "out/staging/notes/hand-written.yaml"))
        #expect(exists(root, "out/staging/harbor/from-other.yaml"))
        #expect(exists(root, "out/qa/kustomization.yaml"), "another inventory's environment folder is not ours")
        #expect(exists(root, "out/dev/kustomization.yaml"))
        #expect(try OutputSync.compare(next, root: root.path).isCurrent)
    }

    @Test func renamedEnvironmentWithTheNameInsideTheOutputPath() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Self.generate(
            Self.inventory([("prod", "deploy/prod/secrets"), ("stage", "deploy/stage/secrets")]))
        try OutputSync.compare(before, root: root.path).apply()
        let after = try Self.generate(
            Self.inventory([("prod", "deploy/prod/secrets"), ("staging", "deploy/staging/secrets")]))
        let sync = try OutputSync.compare(after, root: root.path)
        #expect(sync.orphanFolders == ["deploy/stage/secrets"])
        #expect(sync.changes.filter { if case .stale = $0 { true } else { false } }.count == 4)
        #expect(sync.changes.filter { if case .missing = $0 { true } else { false } }.count == 4)
        try sync.apply()
        #expect(!exists(root, "deploy/stage"), "emptied folders are removed")
        #expect(exists(root, "deploy/staging/secrets/kustomization.yaml"))
        #expect(try OutputSync.compare(after, root: root.path).isCurrent)
    }

    @Test func selectingEnvironmentsLeavesOtherFoldersAlone() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try OutputSync.compare(try Self.generate(Self.inventory([("dev", nil), ("staging", nil)])), root: root.path)
            .apply()
        let sync = try OutputSync.compare(
            try Self.generate(Self.inventory([("dev", nil)]), only: ["dev"]), root: root.path)
        #expect(sync.isCurrent)
        #expect(sync.orphanFolders.isEmpty)
    }

    @Test func aNestedInventoryOfTheSameNameKeepsItsOutput() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = Self.inventory([("team", "team")])
        try write(nested, root, "deploy/eskit.yaml")
        try OutputSync.compare(try Self.generate(nested), root: root.appendingPathComponent("deploy").path).apply()
        #expect(exists(root, "deploy/team/kustomization.yaml"))
        let outer = try Self.generate(Self.inventory([("staging", "deploy/staging")]))
        let sync = try OutputSync.compare(outer, root: root.path)
        #expect(sync.orphanFolders.isEmpty, "deploy/team is the nested inventory's output, not an old environment")
        try sync.apply()
        #expect(exists(root, "deploy/team/kustomization.yaml"))
    }

    @Test func aFolderWithoutThisInventorysKustomizationIsNotAnEnvironment() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let header = ManifestGenerator.header("eskit.yaml")
        try write(header + "kind: ConfigMap\n", root, "out/copied/configmap.yaml")
        try write("resources: [configmap.yaml]\n", root, "out/copied/kustomization.yaml")
        let sync = try OutputSync.compare(try Self.generate(Self.inventory([("dev", nil)])), root: root.path)
        #expect(sync.orphanFolders.isEmpty)
        #expect(!sync.changes.contains { $0.path.hasPrefix("out/copied/") })
    }
}
