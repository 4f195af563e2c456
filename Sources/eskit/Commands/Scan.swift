import ArgumentParser
import EskitCore
import EskitGit
import EskitReport
import EskitScan
import Foundation

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find plaintext secrets in the work tree, the staged change or the whole Git history.",
        discussion: """
            Without a mode, scans the tracked files of the work tree under PATH (a folder outside any git \
            repository is scanned recursively). PATH `-` reads standard input. Secrets are never printed unless \
            --show-secrets is given: reports carry a short preview, the secret's SHA-256 and a stable fingerprint.
            Suppress a finding with an `eskit:allow` comment on its line, its fingerprint in .eskitignore, or a \
            baseline. Exit status: 0 clean, 1 findings, 2 usage, configuration or input errors.
            """
    )

    @Argument(help: "Folder or file to scan; `-` reads standard input.")
    var path: String = "."

    @Flag(help: "Also scan untracked files that .gitignore does not ignore.")
    var untracked = false

    @Flag(help: "Scan what the next commit adds (for pre-commit hooks): only added lines are reported.")
    var staged = false

    @Flag(help: "Scan every distinct blob reachable from any ref, each once.")
    var history = false

    @Option(name: .customLong("range"), help: ArgumentHelp("Scan the history of a revision range.", valueName: "A..B"))
    var range: String?

    @Option(help: ArgumentHelp("Scan the history not reachable from this commit.", valueName: "commit"))
    var sinceCommit: String?

    @Option(help: ArgumentHelp("Scan configuration (default: .eskit.yaml at the repository root, if present).",
                               valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Report only findings not in this baseline.", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Write every current finding to a baseline file.", valueName: "file"))
    var baselineOut: String?

    @Option(help: ArgumentHelp("Fingerprints to ignore (default: .eskitignore at the repository root, if present).",
                               valueName: "file"))
    var ignoreFile: String?

    @Option(help: "Report format: text, json, sarif or junit.")
    var format: ReportFormat = .text

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the report to a file (atomically).",
                                                                  valueName: "file"))
    var output: String?

    @Flag(help: "Print the raw secret values in the report.")
    var showSecrets = false

    @Flag(help: "Never draw the history progress bar.")
    var noProgress = false

    @Option(help: "Colour the text report: auto, always or never.")
    var color: ColorMode = .auto

    @Option(help: ArgumentHelp("Worker threads (default: the number of processors).", visibility: .hidden))
    var jobs: Int?

    func validate() throws {
        let modes = [staged, history || range != nil || sinceCommit != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("--staged cannot be combined with --history, --range or --since-commit") }
        if range != nil, sinceCommit != nil { throw ValidationError("--range and --since-commit exclude each other") }
        if path == "-", staged || history || range != nil || sinceCommit != nil || untracked {
            throw ValidationError("standard input (`-`) cannot be combined with --staged, --history or --untracked")
        }
        if untracked, staged || history || range != nil || sinceCommit != nil {
            throw ValidationError("--untracked applies to work tree scans only")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if path.isEmpty { throw ValidationError("PATH is empty: name a folder or file, or `-` for standard input") }
    }

    func run() throws {
        do {
            let status = try execute()
            if status != 0 { throw ExitCode(status) }
        } catch let error as ScanCommandError {
            Terminal.writeStderr("eskit: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    private var source: ScanSource {
        if path == "-" { return .standardInput }
        if staged { return .staged(path: path) }
        if let range { return .history(path: path, selection: .range(range)) }
        if let sinceCommit { return .history(path: path, selection: .sinceCommit(sinceCommit)) }
        if history { return .history(path: path, selection: .all) }
        return .workTree(path: path, untracked: untracked)
    }

    /// The option that only a git repository can serve, if one was given.
    private var repositoryOption: String? {
        if staged { return "--staged" }
        if range != nil { return "--range" }
        if sinceCommit != nil { return "--since-commit" }
        return history ? "--history" : nil
    }

    private func execute() throws(ScanCommandError) -> Int32 {
        let start = path == "-" ? "." : path
        let repository = try openRepository(at: start)
        if repository == nil, let option = repositoryOption {
            throw ScanCommandError("\(option) needs a git repository: \(path) is not in one")
        }
        let root = repository?.workdir ?? (isFolder(start) ? start : (start as NSString).deletingLastPathComponent)
        let configuration = try loadConfiguration(root: root.isEmpty ? "." : root)
        let scanner: EskitScan.Scanner
        do { scanner = try EskitScan.Scanner(configuration: configuration) } catch { throw ScanCommandError("\(error)") }
        let runner = ScanRunner(scanner: scanner, workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                progress: !noProgress && Terminal.stderrIsTTY)
        var outcome = try runner.run(source, repository: repository, root: root)
        for warning in outcome.warnings { Terminal.writeStderr("eskit: \(warning)\n") }
        if format == .text, let count = outcome.summary.untrackedNotScanned, count > 0 {
            Terminal.writeStderr("eskit: note: \(count) untracked file\(count == 1 ? "" : "s") not scanned (add --untracked)\n")
        }

        if let ignore = try loadIgnoreFile(root: root) { outcome.findings = ignore.filter(outcome.findings) }
        if let baselineOut {
            do { try Baseline(findings: outcome.findings).write(to: baselineOut) } catch {
                throw ScanCommandError("\(error)")
            }
        }
        if let baseline {
            let known: Baseline
            do { known = try Baseline.load(path: baseline) } catch { throw ScanCommandError("\(error)") }
            outcome.findings = known.newFindings(outcome.findings)
        }

        let colour = output == nil && format == .text
            && color.enabled(isTerminal: Terminal.stdoutIsTTY, environment: ProcessInfo.processInfo.environment)
        let options = ReportOptions(showSecrets: showSecrets, color: colour || (color == .always && format == .text))
        let report = format.reporter(options).render(outcome.findings, summary: outcome.summary)
        if let output {
            do { try AtomicFile.write(report, to: output) } catch { throw ScanCommandError("\(error)") }
        } else {
            Terminal.writeStdout(report)
        }
        return outcome.findings.isEmpty ? 0 : 1
    }

    private func openRepository(at path: String) throws(ScanCommandError) -> GitRepository? {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ScanCommandError("\(path): no such file or folder")
        }
        do {
            return try GitRepository(discoveringFrom: path)
        } catch {
            if error.isNotFound { return nil }
            throw ScanCommandError("\(error)")
        }
    }

    private func loadConfiguration(root: String) throws(ScanCommandError) -> ScanConfiguration {
        let file: String
        if let config {
            file = config
        } else {
            let candidate = root + "/.eskit.yaml"
            guard FileManager.default.fileExists(atPath: candidate) else { return ScanConfiguration() }
            file = candidate
        }
        do { return try ScanConfiguration.load(path: file) } catch { throw ScanCommandError("\(error)") }
    }

    private func loadIgnoreFile(root: String) throws(ScanCommandError) -> IgnoreFile? {
        let file: String
        if let ignoreFile {
            file = ignoreFile
        } else {
            let candidate = root + "/" + IgnoreFile.defaultName
            guard FileManager.default.fileExists(atPath: candidate) else { return nil }
            file = candidate
        }
        do { return try IgnoreFile.load(path: file) } catch { throw ScanCommandError("\(error)") }
    }

    private func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension ColorMode: ExpressibleByArgument {}
