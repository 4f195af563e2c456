import ArgumentParser
import EskitCore
import EskitManifests
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        let data = try Self.readInventory(file)
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
        let folder = try Self.lock(root, quiet: quiet)
        defer { folder.unlock() }
        let sync: OutputSync
        do { sync = try OutputSync.compare(result, root: root) } catch { throw EskitError(.io, error.description) }
        if !quiet { Self.warnAboutHandWritten(sync, root: root) }
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
            print("eskit: removed \(Self.count(sync.leftovers.count, "temporary file")) left by an interrupted run")
        }
        if !quiet {
            for folder in sync.orphanFolders {
                print(
                    "eskit: removed the generated files of \(OutputSync.display(root, folder)) (an environment no "
                        + "longer in \(inventoryName))"
                )
            }
            print(
                "eskit: \(Self.count(result.files.count, "file")) for "
                    + "\(Self.count(result.outputFolders.count, "environment")): \(sync.summary)"
            )
        }
    }

    /// One run at a time per inventory folder: a second run waits for the first instead of reading its
    /// half-applied output (the lock ends with the process). The caller unlocks.
    static func lock(_ root: String, quiet: Bool) throws(EskitError) -> ConfinedFolder {
        let folder: ConfinedFolder
        do { folder = try ConfinedFolder(root) } catch { throw EskitError(.io, "\(error)") }
        do {
            try folder.lock {
                if !quiet { printError("waiting for another eskit run on \(root.isEmpty ? "." : root) to finish") }
            }
        } catch {
            throw EskitError(.io, "\(error)")
        }
        return folder
    }

    /// Hand-written YAML in an output folder is never listed in the generated kustomization; an ESO manifest there
    /// with an API version ESO no longer serves is called out.
    static func warnAboutHandWritten(_ sync: OutputSync, root: String) {
        for path in sync.handWritten {
            let full = OutputSync.display(root, path)
            let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? ""
            var message =
                "warning: \(full): not generated by eskit, so left alone and not listed in the generated "
                + "kustomization.yaml"
            if text.contains("external-secrets.io/v1beta1")
                || text.contains("external-secrets.io/v1alpha1\nkind: ExternalSecret")
            {
                message +=
                    "; it uses an external-secrets.io API version ESO no longer serves: declare it in the inventory "
                    + "instead (generated as external-secrets.io/v1)"
            }
            printError(message)
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The inventory's bytes, or one error saying what is wrong and what to do.
    static func readInventory(_ path: String) throws(EskitError) -> [UInt8] {
        do {
            return try FileReader.input(path, what: "the inventory")
        } catch  where error.message.hasSuffix("no such file (the inventory)") {
            throw EskitError(
                .io,
                path == "eskit.yaml"
                    ? "eskit.yaml: no such file in this folder; run `eskit init` to write a starter inventory, or "
                        + "name the inventory with `-f <file>`"
                    : "\(path): no such file; check the path given to -f (or run `eskit init` to write a starter "
                        + "inventory)"
            )
        } catch  where error.message.contains("is a folder") {
            throw EskitError(
                .io,
                "\(path): is a folder, not an inventory file; name the file, e.g. `-f "
                    + "\(path.hasSuffix("/") ? path : path + "/")eskit.yaml`"
            )
        }
    }
}

/// Writes an error or warning to stderr as every eskit command does: `eskit: ` before the message (the first line
/// of a multi-line one, such as a diagnostic with its source snippet).
func printError(_ text: String) {
    FileHandle.standardError.write(Data(("eskit: " + (text.hasSuffix("\n") ? text : text + "\n")).utf8))
}

extension OutputSync {
    /// `2 written, 1 changed, 1 removed, 10 unchanged`.
    var summary: String {
        var missing = 0, changed = 0, stale = 0
        for c in changes {
            switch c {
            case .missing: missing += 1
            case .changed: changed += 1
            case .stale: stale += 1
            }
        }
        let base = "\(missing) new, \(changed) changed, \(stale) removed, \(unchanged) unchanged"
        return leftovers.isEmpty
            ? base : base + ", \(leftovers.count) leftover temporary file\(leftovers.count == 1 ? "" : "s")"
    }

    static func display(_ root: String, _ path: String) -> String {
        root.isEmpty ? path : "\(root)/\(path)"
    }
}
