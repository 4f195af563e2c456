import Foundation
import TestSupport
import Testing

/// `eskit generate`, `eskit schema` and `eskit init` run as the built binary.
@Suite struct GenerateCLITests {
    static var binary: String { Fixtures.eskitBinary.path }

    func demoCopy() throws -> URL {
        let root = try Fixtures.temporaryFolder("eskit-cli")
        try FileManager.default.copyItem(
            at: Fixtures.url("demo/eskit.yaml"), to: root.appendingPathComponent("eskit.yaml"))
        return root
    }

    @Test func generateThenCheckThenDetectEdits() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try run(Self.binary, ["generate"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("34 files for 2 environments: 34 new"))
        let check = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(check.status == 0)
        #expect(check.stdout == "eskit: 34 generated files are current\n")

        let es = root.appendingPathComponent("out/staging/ci-staging/externalsecret-github-runner-token.yaml")
        let text = try String(contentsOf: es, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "refreshInterval: 15m", with: "refreshInterval: 1m").utf8).write(to: es)
        let stale = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("-  refreshInterval: 1m\n+  refreshInterval: 15m\n"))
        #expect(stale.stderr.contains("generated output is not current (0 new, 1 changed, 0 removed, 33 unchanged)"))

        let again = try run(Self.binary, ["generate", "-f", "eskit.yaml", "--env", "staging"], in: root)
        #expect(again.status == 0)
        #expect(again.stdout.contains("1 changed"))
        #expect(try run(Self.binary, ["generate", "--check"], in: root).status == 0)
    }

    @Test func theESOHelmValuesAreGeneratedAndCheckedLikeEveryGeneratedFile() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        let values = root.appendingPathComponent("out/production/eso-helm-values.yaml")
        let text = try String(contentsOf: values, encoding: .utf8)
        #expect(text.contains("  serviceAccountTokenCreate: false\n"))
        let kustomization = try String(
            contentsOf: root.appendingPathComponent("out/production/kustomization.yaml"), encoding: .utf8)
        #expect(!kustomization.contains("eso-helm-values.yaml"), "not a Kubernetes object")
        try Data(
            text.replacingOccurrences(of: "serviceAccountTokenCreate: false", with: "serviceAccountTokenCreate: true")
                .utf8
        ).write(to: values)
        let stale = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("-  serviceAccountTokenCreate: true\n+  serviceAccountTokenCreate: false\n"))
        try FileManager.default.removeItem(at: values)
        #expect(try run(Self.binary, ["generate", "--check"], in: root).status == 1, "a missing values file is stale")
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        #expect(try String(contentsOf: values, encoding: .utf8) == text)
    }

    @Test func renamedEnvironmentLeavesNoStaleFolder() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        let path = root.appendingPathComponent("eskit.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "production", with: "prod").utf8).write(to: path)
        let check = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(check.status == 1)
        #expect(check.stdout.contains("--- a/out/production/kustomization.yaml\n+++ /dev/null\n"))
        #expect(
            check.stderr.contains(
                "eskit: out/production: generated from eskit.yaml for an environment it no longer has; `eskit "
                    + "generate` removes these files\n"
            ))
        let write = try run(Self.binary, ["generate"], in: root)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(
            write.stdout.contains(
                "eskit: removed the generated files of out/production (an environment no longer in eskit.yaml)\n"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/production").path))
        #expect(try run(Self.binary, ["generate", "--check"], in: root).status == 0)
    }

    @Test func handWrittenManifestsInOutputFoldersAreNamed() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(Self.binary, ["generate", "--quiet"], in: root).status == 0)
        let old = root.appendingPathComponent("out/staging/harbor-staging/old-externalsecret.yaml")
        try Data("apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n".utf8).write(to: old)
        let result = try run(Self.binary, ["generate", "--check"], in: root)
        #expect(result.status == 0)
        #expect(
            result.stderr
                == "eskit: warning: out/staging/harbor-staging/old-externalsecret.yaml: not generated by eskit, so "
                + "left alone and not listed in the generated kustomization.yaml; it uses an external-secrets.io "
                + "API version ESO no longer serves: declare it in the inventory instead (generated as "
                + "external-secrets.io/v1)\n"
        )
        #expect(FileManager.default.fileExists(atPath: old.path))
    }

    @Test func fileFlagFromAnotherFolderGivesTheSameBytes() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(
            Self.binary, ["generate", "-f", root.appendingPathComponent("eskit.yaml").path, "--quiet"])
        #expect(result.status == 0)
        let check = try run(Self.binary, ["generate", "--check", "-f", "eskit.yaml"], in: root)
        #expect(check.status == 0, "\(check.stdout)")
        let committed = try run(Self.binary, ["generate", "--check", "-f", Fixtures.url("demo/eskit.yaml").path])
        #expect(committed.status == 0, "\(committed.stdout)")
    }

    /// Two separate processes (each with its own hashing seed, thread timing and allocation) write the same bytes,
    /// for every golden inventory.
    @Test func twoProcessesGenerateByteIdenticalTrees() throws {
        let inventories = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("inventory/valid").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(inventories.count >= 5)
        for name in inventories {
            var trees: [[String: Data]] = []
            for _ in 0..<2 {
                let root = try Fixtures.temporaryFolder("eskit-rerun")
                defer { try? FileManager.default.removeItem(at: root) }
                try FileManager.default.copyItem(
                    at: Fixtures.url("inventory/valid/\(name)"),
                    to: root.appendingPathComponent("eskit.yaml"))
                let result = try run(Self.binary, ["generate", "--quiet"], in: root)
                #expect(result.status == 0, "\(name): \(result.stderr)")
                var tree: [String: Data] = [:]
                let enumerator = FileManager.default.enumerator(atPath: root.path)
                while let path = enumerator?.nextObject() as? String {
                    if path != "eskit.yaml",
                        let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path)
                    {
                        tree[path] = data
                    }
                }
                trees.append(tree)
            }
            #expect(trees[0].count > 1, "\(name) generated nothing")
            #expect(trees[0] == trees[1], "\(name): two runs differ")
        }
    }

    @Test func invalidInventoryExitsTwoWithSortedMessages() throws {
        let path = Fixtures.url("inventory/invalid/unknown-references.yaml").path
        let result = try run(Self.binary, ["generate", "--check", "-f", path])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(
            lines.allSatisfy { $0.hasPrefix("eskit: \(path):") }, "every diagnostic is one line in eskit's error style")
        #expect(
            lines.first
                == "eskit: \(path):7:12: error: environment `production`: unknown store `valt`; did you mean `vault`?")
        let unknownEnv = try run(
            Self.binary, ["generate", "--check", "--env", "prod", "-f", Fixtures.url("demo/eskit.yaml").path])
        #expect(unknownEnv.status == 2)
        #expect(
            unknownEnv.stderr
                == "eskit: \(Fixtures.url("demo/eskit.yaml").path):20:5: error: --env `prod`: the inventory has no "
                + "such environment; did you mean `production`? (environments: staging, production)\n"
        )
    }

    @Test func inventoryThatCannotBeReadIsOneClearErrorAndExitTwo() throws {
        let root = try Fixtures.temporaryFolder("eskit-cli")
        defer { try? FileManager.default.removeItem(at: root) }
        let none = try run(Self.binary, ["generate"], in: root)
        #expect(none.status == 2)
        #expect(none.stdout == "")
        #expect(
            none.stderr
                == "eskit: eskit.yaml: no such file in this folder; run `eskit init` to write a starter inventory, "
                + "or name the inventory with `-f <file>`\n"
        )
        let missing = try run(Self.binary, ["generate", "--check", "-f", "/nonexistent/eskit.yaml"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr
                == "eskit: /nonexistent/eskit.yaml: no such file; check the path given to -f (or run `eskit init` to "
                + "write a starter inventory)\n"
        )
        let bare = try run(Self.binary, ["generate", "-f", "/nonexistent"])
        #expect(bare.status == 2)
        #expect(
            bare.stderr
                == "eskit: /nonexistent: no such file; check the path given to -f (or run `eskit init` to write a "
                + "starter inventory)\n"
        )
        let folder = try run(Self.binary, ["generate", "-f", root.path])
        #expect(folder.status == 2)
        #expect(
            folder.stderr
                == "eskit: \(root.path): is a folder, not an inventory file; name the file, e.g. `-f "
                + "\(root.path)/eskit.yaml`\n"
        )
        try Data().write(to: root.appendingPathComponent("eskit.yaml"))
        let empty = try run(Self.binary, ["generate"], in: root)
        #expect(empty.status == 2)
        #expect(
            empty.stderr
                == "eskit: eskit.yaml:1:1: error: empty inventory: expected `apiVersion: eskit/v1alpha1` and `kind: "
                + "Inventory`; run `eskit init` for a commented starter\n"
        )
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    @Test(.enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"))
    func crdsFlagValidatesOutput() throws {
        let crds = try #require(OptionalTools.esoCRDs)
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(Self.binary, ["generate", "--crds", crds.path], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let notCRDs = try run(Self.binary, ["generate", "--check", "--crds", root.path], in: root)
        #expect(notCRDs.status == 2)
        #expect(
            notCRDs.stderr
                == "eskit: \(root.path): no CustomResourceDefinition for external-secrets.io ExternalSecret, "
                + "SecretStore, ClusterSecretStore; point --crds at a folder with ESO's CRDs (its release's "
                + "`deploy/crds/bundle.yaml`)\n"
        )
    }

    @Test func initWritesStarterFilesThenRefusesToOverwrite() throws {
        let root = try Fixtures.temporaryFolder("eskit-init")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try run(Self.binary, ["init", "--provider", "aws"] + CIInitCLITests.pin, in: root)
        #expect(first.status == 0, "\(first.stderr)")
        for path in [
            "eskit.yaml", "eskit-inventory.schema.json", ".pre-commit-config.yaml", ".github/workflows/eskit.yaml",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path))
        }
        let inventory = try String(contentsOf: root.appendingPathComponent("eskit.yaml"), encoding: .utf8)
        #expect(inventory.contains("service: SecretsManager"))
        let generate = try run(Self.binary, ["generate"], in: root)
        #expect(generate.status == 0, "\(generate.stderr)")
        let again = try run(Self.binary, ["init"] + CIInitCLITests.pin, in: root)
        #expect(again.status == 2)
        #expect(
            again.stderr.split(separator: "\n").sorted()
                == [
                    ".github/workflows/eskit.yaml", ".pre-commit-config.yaml", "eskit-inventory.schema.json",
                    "eskit.yaml",
                ].map { "eskit: \($0): already exists; eskit init does not overwrite files" })
        #expect(try String(contentsOf: root.appendingPathComponent("eskit.yaml"), encoding: .utf8) == inventory)
        let nested = try run(Self.binary, ["init", "-C", "platform"] + CIInitCLITests.pin, in: root)
        #expect(nested.status == 0, "\(nested.stderr)")
        #expect(
            nested.stdout.hasSuffix(
                "next: edit platform/eskit.yaml, then run `eskit generate -f platform/eskit.yaml` (and commit the "
                    + "output folders)\n"
            ))
        let bad = try run(Self.binary, ["init", "--provider", "hvs"], in: root)
        #expect(bad.status == 2)
        #expect(bad.stderr == "eskit: unknown provider `hvs`; choose one of aws, azurekv, gcpsm, pulumi, vault\n")
    }

    /// A failure part-way (here `.github` is a file, so the workflow cannot be written) leaves nothing behind, so
    /// the next `eskit init` is not refused.
    @Test func initWritesAllOfItsFilesOrNone() throws {
        let root = try Fixtures.temporaryFolder("eskit-init")
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("not a folder\n".utf8).write(to: root.appendingPathComponent(".github"))
        let failed = try run(Self.binary, ["init"] + CIInitCLITests.pin, in: root)
        #expect(failed.status == 2)
        #expect(failed.stderr.contains(".github"), "\(failed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [".github"])
        try FileManager.default.removeItem(at: root.appendingPathComponent(".github"))
        #expect(try run(Self.binary, ["init"] + CIInitCLITests.pin, in: root).status == 0)
    }

    @Test func schemaPrintsTheCommittedJSONSchema() throws {
        let result = try run(Self.binary, ["schema"])
        #expect(result.status == 0)
        let committed = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/eskit-inventory.schema.json"), encoding: .utf8
        )
        #expect(result.stdout == committed)
    }

    @Test(arguments: ["generate", "schema", "init"])
    func helpSnapshot(_ command: String) throws {
        let result = try run(Self.binary, [command, "--help"], environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        try Golden.check(result.stdout, against: Fixtures.url("expected/help/\(command).txt"))
    }
}
