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

    /// Writes every file or none: each is written to a temporary file in its folder first; only when all are
    /// written are they linked in under their names (failing if a name appeared meanwhile). On any failure the
    /// files linked so far, the temporary files and the folders this run created are removed again.
    static func writeAllOrNone(_ files: [(path: String, text: String)]) throws(EskitError) {
        var createdFolders: [String] = []
        var temporaries: [(tmp: String, path: String)] = []
        var linked: [String] = []
        func rollback() {
            for path in linked { unlink(path) }
            for entry in temporaries { unlink(entry.tmp) }
            for folder in createdFolders.reversed() { rmdir(folder) }
        }
        do throws(EskitError) {
            for (path, text) in files {
                var missing: [String] = []
                var folder = (path as NSString).deletingLastPathComponent
                while !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                    missing.append(folder)
                    folder = (folder as NSString).deletingLastPathComponent
                }
                for f in missing.reversed() {
                    guard mkdir(f, 0o755) == 0 else {
                        throw EskitError(.io, "\(f): cannot create the folder", cause: String(cString: strerror(errno)))
                    }
                    createdFolders.append(f)
                }
                let dir = (path as NSString).deletingLastPathComponent
                let tmp =
                    (dir.isEmpty ? "" : dir + "/") + ".\((path as NSString).lastPathComponent).eskit-init-\(getpid())"
                do { try AtomicFile.write(text, to: tmp) } catch {
                    throw EskitError(.io, "\(path): cannot write", cause: error.reason)
                }
                temporaries.append((tmp, path))
            }
            for entry in temporaries {
                guard link(entry.tmp, entry.path) == 0 else {
                    throw EskitError(
                        .io, "\(entry.path): cannot write", cause: String(cString: strerror(errno)),
                        hint: "nothing was written; eskit init writes all of its files or none")
                }
                linked.append(entry.path)
            }
            for entry in temporaries { unlink(entry.tmp) }
        } catch {
            rollback()
            throw error
        }
    }

    func run() throws {
        guard let files = StarterFiles.files(provider: provider) else {
            throw EskitError(
                .usage,
                "unknown provider `\(provider)`; choose one of "
                    + StarterFiles.providers.joined(separator: ", "))
        }
        let paths = files.map { directory == "." ? $0.path : "\(directory)/\($0.path)" }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw EskitError(
                .usage,
                existing.map { "\($0): already exists; eskit init does not overwrite files" }
                    .joined(separator: "\neskit: "))
        }
        try Self.writeAllOrNone(zip(paths, files.map(\.text)).map { ($0, $1) })
        for path in paths { print("wrote \(path)") }
        let inventory = paths[0]
        print(
            "next: edit \(inventory), then run `eskit generate\(directory == "." ? "" : " -f \(inventory)")` (and "
                + "commit the output folders)"
        )
    }
}
