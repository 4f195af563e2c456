import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitManifests
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate ExternalSecrets, SecretStores, RBAC and a kustomization per environment from eskit.yaml.",
        discussion: """
            Output folders are relative to the inventory's folder. Files eskit generated earlier and no longer \
            produces are removed; files without eskit's header are never touched. With --check nothing is \
            written: exit 1 with a unified diff when the committed output is not current.
            Exit codes: 0 current / written, 1 stale output (--check), 2 invalid inventory or usage.
            """
    )

    @Option(name: [.customShort("f"), .long], help: "The inventory file.")
    var file = "eskit.yaml"

    @Option(name: .customLong("env"), help: "Only this environment (repeatable).")
    var environments: [String] = []

    @Flag(help: "Write nothing; exit 1 with a diff when the output on disk differs.")
    var check = false

    @Option(help: "Also validate every generated ESO manifest against the CRDs in this folder.")
    var crds: String?

    @Flag(name: .shortAndLong, help: "Print only errors and the diff.")
    var quiet = false

    func run() throws {
        let data = try InventoryFiles.readInventory(file)
        let inventoryName = (file as NSString).lastPathComponent
        let inventory = try InventoryLoader.load(data, file: file)
        let result = try ManifestGenerator.generate(inventory, only: environments, inventoryName: inventoryName)
        if !quiet { for w in result.warnings { printError(w.description) } }
        let root = (file as NSString).deletingLastPathComponent
        if let crds {
            let catalog: CRDCatalog
            do { catalog = try CRDCatalog(folder: crds) } catch { throw EskitError(.input, error.description) }
            let missing = ["ExternalSecret", "SecretStore", "ClusterSecretStore"].filter {
                !catalog.defines(group: "external-secrets.io", kind: $0)
            }
            if !missing.isEmpty {
                throw EskitError(
                    .input,
                    "\(crds): no CustomResourceDefinition for external-secrets.io "
                        + "\(missing.joined(separator: ", ")); point --crds at a folder with ESO's CRDs (its release's "
                        + "`deploy/crds/bundle.yaml`)"
                )
            }
            let problems = result.files.filter(\.isManifest).flatMap {
                catalog.validate(text: Array($0.contents.utf8), file: OutputSync.display(root, $0.path))
            }
            if !problems.isEmpty { throw DiagnosticsError(problems) }
        }
        let folder = try InventoryFiles.lock(root, quiet: quiet)
        defer { folder.unlock() }
        let sync: OutputSync
        do { sync = try OutputSync.compare(result, root: root) } catch { throw EskitError(.io, error.description) }
        if !quiet { InventoryFiles.warnAboutHandWritten(sync, root: root) }
        if check {
            if sync.isCurrent {
                if !quiet { print("eskit: \(result.files.count) generated files are current") }
                return
            }
            var chunk = ""
            for change in sync.changes {
                chunk += change.diff
                if chunk.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(chunk.utf8)); chunk = "" }
            }
            FileHandle.standardOutput.write(Data(chunk.utf8))
            for folder in sync.orphanFolders {
                printError(
                    "\(OutputSync.display(root, folder)): generated from \(inventoryName) for an environment it no "
                        + "longer has; `eskit generate` removes these files"
                )
            }
            for path in sync.leftovers {
                printError(
                    "\(OutputSync.display(root, path)): temporary file left by an interrupted eskit run; `eskit "
                        + "generate` removes it"
                )
            }
            printError("generated output is not current (\(sync.summary)); run `eskit generate -f \(file)`")
            throw ExitCode(1)
        }
        do { try sync.apply() } catch { throw EskitError(.io, error.description) }
        if !quiet, !sync.leftovers.isEmpty {
            print(
                "eskit: removed \(InventoryFiles.count(sync.leftovers.count, "temporary file")) left by an "
                    + "interrupted run"
            )
        }
        if !quiet {
            for folder in sync.orphanFolders {
                print(
                    "eskit: removed the generated files of \(OutputSync.display(root, folder)) (an environment no "
                        + "longer in \(inventoryName))"
                )
            }
            print(
                "eskit: \(InventoryFiles.count(result.files.count, "file")) for "
                    + "\(InventoryFiles.count(result.outputFolders.count, "environment")): \(sync.summary)"
            )
        }
    }
}
