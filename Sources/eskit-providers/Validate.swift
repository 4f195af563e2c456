import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitManifests
import EskitProviders
import EskitValidate
import Foundation

extension Validate where Backend == Direct {
    func execute() async throws {
        var references: [Reference]
        var known: Set<String>
        if !paths.isEmpty {
            references = try ManifestReferences.collect(try ManifestReferences.files(paths))
            known = Set(references.map(\.store.name))
        } else {
            let data = try InventoryFiles.readInventory(file)
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
        let text = ValidationReporter.render(
            report, format: ValidationReporter.Format(rawValue: format.rawValue) ?? .text, verbose: verbose)
        if let output {
            do { try AtomicFile.write(text, to: output) } catch { throw EskitError(.io, "\(error)") }
            FileHandle.standardError.write(Data(("eskit: " + ValidationReporter.summaryLine(report) + "\n").utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
