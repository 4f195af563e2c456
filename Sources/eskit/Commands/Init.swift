import ArgumentParser
import EskitCore
import EskitManifests
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented starter eskit.yaml, a pre-commit config and a CI workflow.",
        discussion: """
            Writes eskit.yaml, eskit-inventory.schema.json (for editors), .pre-commit-config.yaml and \
            .github/workflows/eskit.yaml; refuses (exit 2) when any of them exists.
            """
    )

    @Option(help: "The provider of the starter store: \(StarterFiles.providers.joined(separator: ", ")).")
    var provider = "vault"

    @Option(name: [.customShort("C"), .long], help: "The folder to write into.")
    var directory = "."

    func run() throws {
        guard let files = StarterFiles.files(provider: provider) else {
            throw EskitError(.usage, "unknown provider `\(provider)`; choose one of "
                             + StarterFiles.providers.joined(separator: ", "))
        }
        let paths = files.map { directory == "." ? $0.path : "\(directory)/\($0.path)" }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw EskitError(.usage, existing.map { "\($0): already exists; eskit init does not overwrite files" }
                                .joined(separator: "\neskit: "))
        }
        for (file, path) in zip(files, paths) {
            do { try AtomicFile.write(file.text, to: path, createFolders: true) } catch {
                throw EskitError(.io, error.description)
            }
            print("wrote \(path)")
        }
        let inventory = paths[0]
        print("next: edit \(inventory), then run `eskit generate\(directory == "." ? "" : " -f \(inventory)")` (and commit the output folders)")
    }
}
