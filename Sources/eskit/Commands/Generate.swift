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
        let data: Data
        switch Self.readInventory(file) {
        case .success(let d): data = d
        case .failure(let failure):
            printError(failure.message)
            throw ExitCode(2)
        }
        let inventoryName = (file as NSString).lastPathComponent
        let result: GenerationResult
        do {
            let inventory = try InventoryLoader.load(Array(data), file: file)
            result = try ManifestGenerator.generate(inventory, only: environments,
                                                    inventoryName: inventoryName)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        if !quiet { for w in result.warnings { printError(w.description) } }
        let root = (file as NSString).deletingLastPathComponent
        if let crds {
            let catalog: CRDCatalog
            do { catalog = try CRDCatalog(folder: crds) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            let problems = result.files.flatMap { catalog.validate(text: Array($0.contents.utf8), file: OutputSync.display(root, $0.path)) }
            if !problems.isEmpty {
                printError(problems.map(\.description).joined(separator: "\n"))
                throw ExitCode(2)
            }
        }
        let sync: OutputSync
        do { sync = try OutputSync.compare(result, root: root) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        if check {
            if sync.isCurrent {
                if !quiet { print("eskit: \(result.files.count) generated files are current") }
                return
            }
            print(sync.diff, terminator: "")
            for folder in sync.orphanFolders {
                printError("eskit: \(OutputSync.display(root, folder)): generated from \(inventoryName) for an environment it no longer has; `eskit generate` removes these files")
            }
            printError("eskit: generated output is not current (\(sync.summary)); run `eskit generate -f \(file)`")
            throw ExitCode(1)
        }
        do { try sync.apply() } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        if !quiet {
            for folder in sync.orphanFolders {
                print("eskit: removed the generated files of \(OutputSync.display(root, folder)) (an environment no longer in \(inventoryName))")
            }
        }
        if !quiet {
            print("eskit: \(Self.count(result.files.count, "file")) for \(Self.count(result.outputFolders.count, "environment")): \(sync.summary)")
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    struct ReadFailure: Error { var message: String }

    /// The inventory's bytes, or one message saying what is wrong and what to do.
    static func readInventory(_ path: String) -> Result<Data, ReadFailure> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return .failure(ReadFailure(message: path == "eskit.yaml"
                ? "eskit.yaml: no such file in this folder; run `eskit init` to write a starter inventory, or name the inventory with `-f <file>`"
                : "\(path): no such file; check the path given to -f (or run `eskit init` to write a starter inventory)"))
        }
        if isFolder.boolValue {
            return .failure(ReadFailure(message: "\(path): is a folder, not an inventory file; name the file, e.g. `-f \(path.hasSuffix("/") ? path : path + "/")eskit.yaml`"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadFailure(message: "\(path): cannot read the inventory (\(String(cString: strerror(errno))))"))
        }
        return .success(data)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
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
        return "\(missing) new, \(changed) changed, \(stale) removed, \(unchanged) unchanged"
    }

    static func display(_ root: String, _ path: String) -> String {
        root.isEmpty ? path : "\(root)/\(path)"
    }
}
