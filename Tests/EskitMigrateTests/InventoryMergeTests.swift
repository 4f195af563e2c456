import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// `apply` into the inventory: entries appended to `secrets` (every other byte kept), Secret documents removed
/// with their `---` lines, a file left empty deleted and dropped from its kustomization.
@Suite struct InventoryMergeTests {
    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")

    static func secret(_ name: String, namespace: String? = "apps", seed: UInt64) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \(name)\n" + (namespace.map { "  namespace: \($0)\n" } ?? "")
            + "stringData:\n  password: \(Sample.string(24, seed: seed))\n"
    }

    static let inventory = """
        apiVersion: eskit/v1alpha1
        kind: Inventory
        environments:
          - {name: home, store: openbao}
          - {name: lab, store: openbao}
        stores:
          - name: openbao
            provider:
              vault: {server: "https://bao.example.org", path: secret, auth: {tokenSecretRef: {name: t, key: t}}}
        secrets:
            # indented four spaces, with a comment after the last entry
            - name: existing
              namespace: apps
              data: [{secretKey: a, remoteRef: {key: a}}]
            # trailing comment
        # end

        """

    static func merge(_ text: String = inventory) -> InventoryMerge {
        InventoryMerge(path: "eskit.yaml", bytes: Array(text.utf8), environments: ["home", "lab"])
    }

    @Test func entriesFollowTheLastItemInItsIndentationAndNeighbouringDocumentsGo() throws {
        let kept = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
        let files = [
            MigrationFile(
                path: "apps/all.yaml",
                bytes: Array(
                    (Self.secret("one", seed: 1) + "---\n" + Self.secret("two", seed: 2) + "---\n" + kept).utf8)),
            MigrationFile(path: "apps/only.yaml", bytes: Array(Self.secret("three", seed: 3).utf8)),
            MigrationFile(
                path: "apps/kustomization.yaml",
                bytes: Array("resources:\n  - all.yaml\n  - ./only.yaml\n  - other.yaml\n".utf8)),
        ]
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        #expect(plan.items.map(\.name) == ["one", "two", "three"])
        let prepared = try MigrationApplier.prepare(plan, files: files, inventory: Self.merge())
        func text(_ path: String) throws -> String {
            String(decoding: try #require(prepared.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        let all = try text("apps/all.yaml")
        #expect(all == kept, "both Secrets and both `---` lines go: \(all)")
        #expect(prepared.removed == ["apps/only.yaml"])
        #expect(try text("apps/kustomization.yaml") == "resources:\n  - all.yaml\n  - other.yaml\n")
        let merged = try text("eskit.yaml")
        let head = Self.inventory.components(separatedBy: "    # trailing comment")[0]
        #expect(merged.hasPrefix(head.dropLast() + "\n    - name: one\n      namespace: apps\n"), "\(merged)")
        #expect(merged.hasSuffix("          property: password\n    # trailing comment\n# end\n"), "\(merged)")
        #expect(merged.contains("      environments: [home]\n"), "several environments: limited to the plan's")
        #expect(merged.contains("          key: apps/three\n"), "keys relative to the key prefix")
        #expect(prepared.inventoryEntries.map(\.name) == ["one", "two", "three"])
        for seed in 1...3 { #expect(!merged.contains(Sample.string(24, seed: UInt64(seed)))) }
    }

    @Test func aMissingSecretsKeyIsAddedAndAFlowListIsRefused() throws {
        let files = [MigrationFile(path: "a.yaml", bytes: Array(Self.secret("one", seed: 4).utf8))]
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        let bare = "apiVersion: eskit/v1alpha1\nkind: Inventory\n# no secrets yet"
        let added = try MigrationApplier.prepare(plan, files: files, inventory: Self.merge(bare))
        let text = String(decoding: try #require(added.files.first { $0.path == "eskit.yaml" }).bytes, as: UTF8.self)
        #expect(text.hasPrefix(bare + "\nsecrets:\n  - name: one\n"), "\(text)")
        let flow = "secrets: [{name: x, namespace: y, data: []}]\n"
        #expect(throws: EskitError.self) {
            try MigrationApplier.prepare(plan, files: files, inventory: Self.merge(flow))
        }
        do { _ = try MigrationApplier.prepare(plan, files: files, inventory: Self.merge(flow)) } catch {
            #expect(error.message.contains("eskit.yaml:1:10: `secrets` is a flow list"), "\(error.message)")
        }
    }

    @Test func clashesAndMissingNamespacesAreErrorsReruns() throws {
        let files = [MigrationFile(path: "a.yaml", bytes: Array(Self.secret("existing", seed: 5).utf8))]
        let plan = try MigrationPlanner.plan(files, target: Self.target)
        do {
            _ = try MigrationApplier.prepare(plan, files: files, inventory: Self.merge())
            Issue.record("a clash with an existing entry must be refused")
        } catch {
            #expect(error.message.contains("already declares secret `existing` in namespace `apps`"))
        }
        let bare = [MigrationFile(path: "b.yaml", bytes: Array(Self.secret("loose", namespace: nil, seed: 6).utf8))]
        let loose = try MigrationPlanner.plan(bare, target: Self.target)
        do {
            _ = try MigrationApplier.prepare(loose, files: bare, inventory: Self.merge())
            Issue.record("an entry needs a namespace")
        } catch {
            #expect(error.message.contains("names no namespace"), "\(error.message)")
        }
        // Once applied (file gone, entry declared), the plan is a no-op.
        var moved = plan
        moved.items[0].externalSecret = "existing"
        let rerun = try MigrationApplier.prepare(moved, files: [], inventory: Self.merge())
        #expect(rerun.applied.isEmpty && rerun.alreadyApplied.count == 1 && rerun.files.isEmpty)
    }
}
