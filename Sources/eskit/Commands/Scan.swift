import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitGit
import EskitReport
import EskitScan
import EskitScanning
import Foundation

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find plaintext secrets in the work tree, the staged change or the whole Git history.",
        discussion: """
            Without a mode, scans the tracked files of the work tree under PATH (a folder outside any git \
            repository is scanned recursively). PATH `-` reads standard input. Secrets are never printed unless \
            --show-secrets is given: reports carry a short preview, the secret's SHA-256 and a stable fingerprint.
            Suppress a finding with an `eskit:allow` comment on its line, its fingerprint in .eskitignore, or a \
            baseline. Exit status: 0 clean, 1 findings, 2 usage, configuration or input errors, or an incomplete \
            scan (something could not be read) without --allow-incomplete.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Folders or files to scan (default `.`); `-` reads standard input. Files named "
                + "here are scanned as they are in the work tree, tracked or not (the pre-commit "
                + "framework passes its file list this way).", valueName: "path"))
    var paths: [String] = []

    /// The first path (the repository and configuration are found from it).
    var path: String { paths.first ?? "." }

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

    @Option(
        help: ArgumentHelp(
            "Scan configuration (default: .eskit.yaml at the repository root, if present).",
            valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Report only findings not in this baseline.", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Write every current finding to a baseline file.", valueName: "file"))
    var baselineOut: String?

    @Option(
        help: ArgumentHelp(
            "Fingerprints to ignore (default: .eskitignore at the repository root, if present).",
            valueName: "file"))
    var ignoreFile: String?

    @Option(help: "Report format: text, json, sarif, junit or gitlab (GitLab's secret-detection report).")
    var format: ReportFormat = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "Write the report to a file (atomically).",
            valueName: "file"))
    var output: String?

    @Flag(help: "Print the raw secret values in the report.")
    var showSecrets = false

    @Flag(help: "Exit by the findings alone when something could not be read (default: exit 2, incomplete).")
    var allowIncomplete = false

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
        if paths.contains(where: \.isEmpty) {
            throw ValidationError("PATH is empty: name a folder or file, or `-` for standard input")
        }
        if paths.count > 1, paths.contains("-") {
            throw ValidationError("standard input (`-`) cannot be combined with other paths")
        }
        if paths.count > 1, staged || history || range != nil || sinceCommit != nil {
            throw ValidationError("--staged, --history, --range and --since-commit take one PATH (the repository)")
        }
    }

    func run() throws {
        let request = ScanRequest(
            source: source, configFile: config, ignoreFile: ignoreFile, baseline: baseline,
            baselineOut: baselineOut,
            workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            progress: !noProgress && Terminal.stderrIsTTY ? ProgressBar() : nil)
        let outcome = try ScanPipeline.run(request)
        for warning in outcome.warnings { Terminal.writeStderr("eskit: \(warning)\n") }
        if format == .text, let count = outcome.summary.untrackedNotScanned, count > 0 {
            Terminal.writeStderr(
                "eskit: note: \(count) untracked file\(count == 1 ? "" : "s") not scanned (add --untracked)\n")
        }
        let colour =
            output == nil && format == .text
            && color.enabled(isTerminal: Terminal.stdoutIsTTY, environment: ProcessInfo.processInfo.environment)
        let options = ReportOptions(showSecrets: showSecrets, color: colour || (color == .always && format == .text))
        let report = format.reporter(options).render(outcome.findings, summary: outcome.summary)
        if let output {
            // A JSON report keeps each secret's SHA-256 (for baselines and `validate --against-history`): it is
            // written for its owner only.
            let mode: mode_t = format == .json ? 0o600 : 0o644
            do { try AtomicFile.write(report, to: output, mode: mode) } catch { throw EskitError(.io, "\(error)") }
            let line = TextReporter(options: ReportOptions()).summaryLine(outcome.findings, outcome.summary)
            Terminal.writeStderr("eskit: \(line) Report: \(output)\n")
        } else {
            Terminal.writeStdout(report)
        }
        if outcome.summary.isIncomplete, !allowIncomplete {
            let n = outcome.summary.notRead.count
            Terminal.writeStderr(
                "eskit: incomplete scan: \(n) item\(n == 1 ? "" : "s") could not be read (named in "
                    + "the report), so this is not a clean result; --allow-incomplete exits by the "
                    + "findings alone\n")
            throw ExitCode(2)
        }
        if !outcome.findings.isEmpty { throw ExitCode(1) }
    }

    private var source: ScanSource {
        if path == "-" { return .standardInput }
        if staged { return .staged(path: path) }
        if let range { return .history(path: path, selection: .range(range)) }
        if let sinceCommit { return .history(path: path, selection: .sinceCommit(sinceCommit)) }
        if history { return .history(path: path, selection: .all) }
        if paths.count > 1 || (paths.count == 1 && !isFolder(path)) { return .paths(paths) }
        return .workTree(path: path, untracked: untracked)
    }
}

private func isFolder(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
}

extension ReportFormat: ExpressibleByArgument {}
extension ColorMode: ExpressibleByArgument {}
