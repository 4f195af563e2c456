import ArgumentParser
import EskitCore
import EskitManifests
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter eskit.yaml, a pre-commit config and a CI configuration.",
        discussion: """
            Writes eskit.yaml, eskit-inventory.schema.json (for editors), .pre-commit-config.yaml and the CI file \
            of --ci: .github/workflows/eskit.yaml (github), .gitlab/eskit.gitlab-ci.yml plus a .gitlab-ci.yml that \
            includes it when there is none (gitlab), or nothing (none). Refuses (exit 2) when any of them exists; \
            writes all of them or none.
            The CI file installs eskit from its release archive eskit-VERSION-linux-x86_64.tar.gz, pinned by \
            version and SHA-256: the version is this eskit's (or --release-version), the checksum --release-sha256 \
            or the archive's line in the SHA256SUMS that scripts/install.sh recorded beside this eskit \
            (PREFIX/share/eskit/SHA256SUMS).
            """
    )

    @Option(help: "The provider of the starter store: \(StarterFiles.providers.joined(separator: ", ")).")
    var provider = "vault"

    @Option(help: "The CI configuration to write: github, gitlab or none.")
    var ci: StarterFiles.CI = .github

    @Option(help: ArgumentHelp("The eskit release the CI file installs (default: this eskit's).", valueName: "version"))
    var releaseVersion: String?

    @Option(
        name: .customLong("release-sha256"),
        help: ArgumentHelp(
            "SHA-256 of that release's eskit-VERSION-linux-x86_64.tar.gz (default: from the SHA256SUMS "
                + "scripts/install.sh recorded).", valueName: "hex"))
    var releaseSHA256: String?

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
        guard StarterFiles.providers.contains(provider) else {
            throw EskitError(
                .usage,
                "unknown provider `\(provider)`; choose one of "
                    + StarterFiles.providers.joined(separator: ", "))
        }
        let release = ci == .none ? nil : try Self.release(version: releaseVersion, sha256: releaseSHA256, ci: ci)
        guard var files = StarterFiles.files(provider: provider, ci: ci, release: release) else {
            throw EskitError(.usage, "no starter files for provider `\(provider)` and --ci \(ci.rawValue)")
        }
        func place(_ path: String) -> String { directory == "." ? path : "\(directory)/\(path)" }
        // GitLab reads one .gitlab-ci.yml: a repository without one gets one that includes eskit's job; one that has
        // it is told the line to add (init never edits a file it did not write).
        var includeHint = false
        if ci == .gitlab {
            if FileManager.default.fileExists(atPath: place(".gitlab-ci.yml")) {
                includeHint = true
            } else {
                files.append((".gitlab-ci.yml", StarterFiles.gitlabCIInclude))
            }
        }
        let paths = files.map { place($0.path) }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw EskitError(
                .usage,
                existing.map { "\($0): already exists; eskit init does not overwrite files" }
                    .joined(separator: "\neskit: "))
        }
        try Self.writeAllOrNone(zip(paths, files.map(\.text)).map { ($0, $1) })
        for path in paths { print("wrote \(path)") }
        if let release { print("CI installs \(release.archive) (sha256 \(release.sha256))") }
        if includeHint {
            print(
                "next: add `include: [{local: .gitlab/eskit.gitlab-ci.yml}]` to \(place(".gitlab-ci.yml")) (it "
                    + "exists, so eskit init left it alone)")
        }
        let inventory = paths[0]
        print(
            "next: edit \(inventory), then run `eskit generate\(directory == "." ? "" : " -f \(inventory)")` (and "
                + "commit the output folders)"
        )
    }

    /// The release the CI file pins: `version` (default: this eskit's) and `sha256`, else the archive's line in the
    /// SHA256SUMS `scripts/install.sh` recorded under PREFIX/share/eskit beside this binary.
    static func release(
        version: String?, sha256: String?, ci: StarterFiles.CI
    ) throws(EskitError)
        -> StarterFiles.Release
    {
        let version = version ?? EskitVersion.string
        guard StarterFiles.Release.isVersion(version) else {
            throw EskitError(.usage, "--release-version `\(version)` is not a release version (like 1.2.3)")
        }
        let archive = "eskit-\(version)-linux-x86_64.tar.gz"
        if let sha256 {
            guard let release = StarterFiles.Release(version: version, sha256: sha256) else {
                throw EskitError(.usage, "--release-sha256 must be 64 hex digits (the SHA-256 of \(archive))")
            }
            return release
        }
        for sums in recordedChecksumFiles() {
            guard let text = try? String(contentsOfFile: sums, encoding: .utf8),
                let hex = StarterFiles.Release.checksum(of: archive, in: text)
            else { continue }
            guard let release = StarterFiles.Release(version: version, sha256: hex) else {
                throw EskitError(.input, "\(sums): the checksum of \(archive) is not 64 hex digits")
            }
            return release
        }
        throw EskitError(
            .usage,
            "--ci \(ci.rawValue) pins the release archive \(archive) by SHA-256, and its checksum is not known",
            hint: "pass --release-sha256 (the archive's line in the release's SHA256SUMS), install eskit with "
                + "scripts/install.sh (it records SHA256SUMS for init), or use --ci none")
    }

    /// PREFIX/share/eskit/SHA256SUMS for the prefix of this binary as invoked (a symlink's folder) and as resolved.
    static func recordedChecksumFiles() -> [String] {
        var binaries: [String] = []
        let invoked = CommandLine.arguments.first ?? ""
        if invoked.contains("/") {
            binaries.append(invoked)
        } else if let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map({ "\($0)/\(invoked)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        {
            binaries.append(found)
        }
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            binaries.append(resolved)
        }
        var seen = Set<String>()
        return binaries.map { binary in
            let bin = (binary as NSString).deletingLastPathComponent
            let prefix = ((bin.isEmpty ? "." : bin) as NSString).deletingLastPathComponent
            return ((prefix.isEmpty ? "." : prefix) as NSString).appendingPathComponent("share/eskit/SHA256SUMS")
        }.filter { seen.insert($0).inserted }
    }
}

extension StarterFiles.CI: ExpressibleByArgument {}
