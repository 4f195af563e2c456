import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitGit
import EskitLint
import EskitManifests
import EskitReport
import EskitScan
import EskitScanning
import Foundation

/// `eskit check`: the one command a hook or CI step runs. Secret scan (the staged change with --staged, else the
/// work tree or the files named), lint of the ESO manifests, and `generate --check` of the inventory when there is
/// one, in one report with one exit status.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Scan for secrets, lint ESO manifests and check generated output, in one run.",
        discussion: """
            Runs `eskit scan` (the staged change with --staged, the files named, or the work tree), `eskit lint` \
            (the staged YAML files as they will be committed with --staged, else the paths) and, when the \
            inventory (-f, default eskit.yaml) exists, `eskit generate --check`. One report, one exit status: \
            0 clean, 1 secrets, lint errors or stale generated output, 2 usage, input or read errors.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Files or folders (default `.`); the pre-commit framework passes its file list.", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Check what the next commit adds (pre-commit hooks).")
    var staged = false

    @Option(name: [.customShort("f"), .long], help: "The inventory file (checked when it exists).")
    var file = "eskit.yaml"

    @Option(help: ArgumentHelp("Scan and lint configuration (default: .eskit.yaml, if present).", valueName: "file"))
    var config: String?

    @Option(help: "Report format: text or json.")
    var format: CheckFormat = .text

    @Flag(help: "Exit 1 on lint warnings too.")
    var strict = false

    @Flag(
        help: ArgumentHelp(
            "Accepted for symmetry with `eskit scan` (check draws no progress bar).", visibility: .hidden))
    var noProgress = false

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if staged, paths.count > 1 { throw ValidationError("--staged takes at most one PATH (the repository)") }
    }

    func run() throws {
        // 1. Secrets.
        let source: ScanSource
        if staged {
            source = .staged(path: paths.first ?? ".")
        } else if !paths.isEmpty, paths.contains(where: { !Self.isFolder($0) }) || paths.count > 1 {
            source = .paths(paths)
        } else {
            source = .workTree(path: paths.first ?? ".", untracked: false)
        }
        let scan = try ScanPipeline.run(
            ScanRequest(
                source: source, configFile: config, ignoreFile: nil, baseline: nil, baselineOut: nil,
                workers: ProcessInfo.processInfo.activeProcessorCount, progress: nil))
        // 2. Lint.
        let lintFiles =
            try staged ? Self.stagedYAML(paths.first ?? ".") : LintFiles.collect(paths.isEmpty ? ["."] : paths)
        let lint = Linter.lint(lintFiles, options: try Lint.options(config: config))
        // 3. Generated output.
        let generate = try Self.generateCheck(file)

        let scanFailed = !scan.findings.isEmpty
        let lintFailed = lint.errors > 0 || (strict && lint.warnings > 0)
        let stale = generate.map { !$0.current } ?? false
        switch format {
        case .text:
            var out = ""
            for warning in scan.warnings { Terminal.writeStderr("eskit: \(warning)\n") }
            if scanFailed { out += TextReporter(options: ReportOptions()).render(scan.findings, summary: scan.summary) }
            out += LintReporter.render(lint, format: .text).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("lint: ") }.joined(separator: "\n")
            if let generate, !generate.current { out += generate.detail }
            let line = TextReporter(options: ReportOptions()).summaryLine(scan.findings, scan.summary)
            out += "scan: \(line)\n" + LintReporter.summaryLine(lint) + "\n"
            out +=
                "generate: "
                + (generate.map { $0.current ? "output current" : "output not current" }
                    ?? "no inventory (\(file)), skipped") + "\n"
            out += "check: " + (scanFailed || lintFailed || stale ? "failed" : "passed") + "\n"
            Terminal.writeStdout(out)
        case .json:
            var json = JSONWriter()
            json.beginObject()
            json.field("tool", "eskit check")
            json.field("version", EskitVersion.string)
            json.raw(
                "scan",
                JSONReporter(options: ReportOptions()).render(scan.findings, summary: scan.summary)
                    .trimmingCharacters(in: .whitespacesAndNewlines))
            json.raw("lint", LintReporter.render(lint, format: .json).trimmingCharacters(in: .whitespacesAndNewlines))
            json.beginObject("generate")
            json.field("inventory", file)
            if let generate {
                json.field("checked", true)
                json.field("current", generate.current)
                json.field("summary", generate.summary)
            } else {
                json.field("checked", false)
            }
            json.endObject()
            json.field("passed", !(scanFailed || lintFailed || stale))
            json.endObject()
            Terminal.writeStdout(json.output + "\n")
        }
        if scan.summary.isIncomplete { throw ExitCode(2) }
        if scanFailed || lintFailed || stale { throw ExitCode(1) }
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    /// The staged YAML files as they will be committed (the index's bytes, not the work tree's).
    static func stagedYAML(_ path: String) throws(EskitError) -> [LintFile] {
        let repository: GitRepository
        do { repository = try GitRepository(discoveringFrom: path) } catch {
            throw EskitError(.repository, "\(error)")
        }
        let changes: [StagedChange]
        do { changes = try repository.stagedChanges() } catch { throw EskitError(.repository, "\(error)") }
        return changes.filter { !$0.isBinary && ($0.path.hasSuffix(".yaml") || $0.path.hasSuffix(".yml")) }
            .map { LintFile(path: $0.path, bytes: $0.content) }
    }

    struct GenerateCheck {
        var current: Bool
        var summary: String
        var detail: String
    }

    /// `eskit generate --check` of `file` when it exists: current or not, with the diff (nil without inventory).
    static func generateCheck(_ file: String) throws -> GenerateCheck? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let data = try InventoryFiles.readInventory(file)
        let inventory = try InventoryLoader.load(data, file: file)
        let result = try ManifestGenerator.generate(
            inventory, only: [], inventoryName: (file as NSString).lastPathComponent)
        let root = (file as NSString).deletingLastPathComponent
        let sync: OutputSync
        do { sync = try OutputSync.compare(result, root: root) } catch { throw EskitError(.io, error.description) }
        let detail =
            sync.changes.map(\.diff).joined()
            + "generate: output is not current (\(sync.summary)); run `eskit generate -f \(file)`\n"
        return GenerateCheck(current: sync.isCurrent, summary: sync.summary, detail: sync.isCurrent ? "" : detail)
    }
}
