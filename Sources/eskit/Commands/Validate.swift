import ArgumentParser
import EskitCore
import EskitManifests
import EskitProviders
import EskitValidate
import Foundation

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check every remote reference of the inventory (or of ExternalSecret manifests) against the provider.",
        discussion: """
            Each data[] and dataFrom reference is checked: the key exists, the version exists, the property is in \
            the JSON value, dataFrom.extract is a JSON object, find matches a key; each store must log in. \
            Credentials come from the environment, --credentials FILE (per store name) or --sa-token FILE, never \
            from the repository. Values are never printed, logged or written; each distinct key is read once.
            --against-history scan.json (from `eskit scan --history --format json`) also reports provider values \
            that were once committed in plaintext.
            Exit status: 0 every reference found, 1 a reference is missing (or a leaked value is in use), \
            2 configuration, credentials or connectivity error.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "ExternalSecret manifests (files or folders) to check instead of the inventory; "
                + "their stores must be among them.", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.customShort("f"), .long], help: "The inventory file.")
    var file = "eskit.yaml"

    @Option(name: .customLong("env"), help: "Only this environment (repeatable).")
    var environments: [String] = []

    @Option(
        help: ArgumentHelp(
            "Per-store credentials (YAML or JSON: `stores: {<name>: {token: ...}}`), kept "
                + "outside the repository.", valueName: "file"))
    var credentials: String?

    @Option(
        help: ArgumentHelp(
            "A Kubernetes service-account token for kubernetes / JWT / web-identity logins.",
            valueName: "file"))
    var saToken: String?

    @Option(name: .customLong("store"), help: "Only references served by this store (repeatable).")
    var stores: [String] = []

    @Option(
        help: ArgumentHelp(
            "Answer every store from a local YAML / JSON map of keys (offline CI, demos).",
            valueName: "file"))
    var offline: String?

    @Option(
        help: ArgumentHelp(
            "Also report provider values that `eskit scan --history --format json` found "
                + "committed in plaintext.", valueName: "scan.json"))
    var againstHistory: String?

    @Option(help: "Requests in flight at once per store.")
    var maxConcurrency = 8

    @Option(help: ArgumentHelp("Seconds before one provider request gives up.", valueName: "seconds"))
    var timeout = 30

    @Option(help: "Report format: text, json, sarif or junit.")
    var format: ValidationReporter.Format = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "Write the report to a file (atomically).",
            valueName: "file"))
    var output: String?

    @Flag(name: .shortAndLong, help: "List every reference, not only the problems.")
    var verbose = false

    func validate() throws {
        if maxConcurrency < 1 { throw ValidationError("--max-concurrency must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if !paths.isEmpty, !environments.isEmpty {
            throw ValidationError("--env selects inventory environments; manifests given as PATH have none")
        }
    }

    func run() async throws {
        var references: [Reference]
        var known: Set<String>
        if !paths.isEmpty {
            references = try ManifestReferences.collect(try ManifestReferences.files(paths))
            known = Set(references.map(\.store.name))
        } else {
            let data = try Generate.readInventory(file)
            let inventory = try InventoryLoader.load(data, file: file)
            references = try InventoryReferences.collect(inventory, only: environments)
            known = Set(inventory.stores.map(\.name))
        }
        if !stores.isEmpty {
            if let unknown = stores.first(where: { !known.contains($0) }) {
                throw EskitError(
                    .usage,
                    "--store `\(unknown)`: the inventory has no such store"
                        + Suggestion.hint(unknown, known.sorted()))
            }
            references = references.filter { stores.contains($0.store.name) }
        }
        let leaked = try againstHistory.map { path throws(EskitError) in try HistoryHashes.load(path) } ?? []
        var options = TransportOptions()
        options.timeout = .seconds(timeout)
        options.maxConcurrency = maxConcurrency
        let source = CredentialSource(
            perStore: try credentials.map { path throws(EskitError) in
                try CredentialSource.loadFile(path)
            } ?? [:], serviceAccountTokenFile: saToken)
        var maker = Validator.factories(credentials: source, options: options)
        if let offline {
            // The file answers for every store (each store its own reader, so call counts stay per store).
            do { _ = try FileProvider(path: offline) } catch { throw EskitError(.input, error.description) }
            maker = { (_) throws(ProviderError) -> any SecretProvider in try FileProvider(path: offline) }
        }
        let report = await Validator(makeClient: maker, leakedHashes: leaked).run(references)
        let text = ValidationReporter.render(report, format: format, verbose: verbose)
        if let output {
            do { try AtomicFile.write(text, to: output) } catch { throw EskitError(.io, "\(error)") }
            FileHandle.standardError.write(Data(("eskit: " + ValidationReporter.summaryLine(report) + "\n").utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}

extension ValidationReporter.Format: ExpressibleByArgument {}
