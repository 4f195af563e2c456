import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitLint
import EskitManifests
import EskitScan
import Foundation

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check the ESO manifests, RBAC and Secret consumers of a repository offline.",
        discussion: """
            Reads every YAML file under each PATH (default `.`; kustomizations are followed to what they include; \
            Helm chart templates are read with their {{ }} in mind) and checks ExternalSecrets, stores, PushSecrets, \
            RBAC and the workloads that read Secrets. `eskit lint --list-rules` lists the rules; docs/rules.md \
            explains them. A problem is silenced by a `# eskit:allow <rule>` comment on its line or the line above.
            --fix applies the safe fixes (apiVersion bump, Helm escaping) in place, keeping every other byte; \
            --fix --diff prints them as a unified diff and writes nothing.
            Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or input errors.
            """
    )

    @Argument(help: ArgumentHelp("Files or folders to lint (default `.`).", valueName: "path"))
    var paths: [String] = []

    @Option(help: "Report format: text, json, sarif or junit.")
    var format: LintReporter.Format = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write the report to a file (atomically).", valueName: "file"))
    var output: String?

    @Flag(help: "Apply the safe fixes in place and print what changed.")
    var fix = false

    @Flag(help: "With --fix: print a unified diff of the fixes and write nothing.")
    var diff = false

    @Flag(help: "Exit 1 on warnings too.")
    var strict = false

    @Option(name: .customLong("rule"), help: "Only this rule (repeatable).")
    var rules: [String] = []

    @Option(name: .customLong("disable"), help: "Skip this rule (repeatable).")
    var disabled: [String] = []

    @Option(help: ArgumentHelp("Check ESO objects against the CRDs in this folder instead of the built-in copy."))
    var crds: String?

    @Option(
        help: ArgumentHelp(
            "Configuration with a `lint:` section (default: .eskit.yaml in the current folder, if present).",
            valueName: "file"))
    var config: String?

    @Flag(help: "List the rules and exit.")
    var listRules = false

    func validate() throws {
        if diff && !fix { throw ValidationError("--diff needs --fix") }
        for id in rules + disabled where LintRules.rule(id) == nil {
            throw ValidationError(
                "unknown rule `\(id)`" + Suggestion.hint(id, LintRules.all.map(\.id))
                    + " (see `eskit lint --list-rules`)")
        }
    }

    func run() throws {
        if listRules {
            var out = ""
            for rule in LintRules.all {
                out +=
                    rule.id.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + rule.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + (rule.autofix ? "fix " : "    ") + rule.summary + "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            return
        }
        var options = try Self.options(config: config)
        options.disabled.formUnion(disabled)
        if !rules.isEmpty { options.only = Set(rules) }
        if let crds {
            options.crdsFromFiles = false
            do { options.catalog = try CRDCatalog(folder: crds) } catch {
                throw EskitError(.input, "\(crds): \(error.description)")
            }
        }
        let files = try LintFiles.collect(paths.isEmpty ? ["."] : paths)
        let report = Linter.lint(files, options: options)
        if fix {
            try applyFixes(report, files: files)
            return
        }
        let text = LintReporter.render(report, format: format)
        if let output {
            do { try AtomicFile.write(Array(text.utf8), to: output) } catch { throw EskitError(.io, "\(error)") }
            FileHandle.standardError.write(Data(("eskit: " + LintReporter.summaryLine(report) + "\n").utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if report.errors > 0 || (strict && report.warnings > 0) { throw ExitCode(1) }
    }

    /// Lint options from the `lint:` section of `config` (default: .eskit.yaml in the current folder, if present):
    /// an unknown rule id names where it is written.
    static func options(config: String?) throws(EskitError) -> LintOptions {
        var options = LintOptions()
        let file = config ?? (FileManager.default.fileExists(atPath: ".eskit.yaml") ? ".eskit.yaml" : nil)
        guard let file else { return options }
        let loaded: ScanConfiguration
        do { loaded = try ScanConfiguration.load(path: file) } catch { throw EskitError(.input, "\(error)") }
        for (id, location) in loaded.lintDisabled {
            guard LintRules.rule(id) != nil else {
                throw EskitError(
                    .input,
                    "\(location): lint.disable: unknown rule `\(id)`" + Suggestion.hint(id, LintRules.all.map(\.id))
                        + " (see `eskit lint --list-rules`)")
            }
            options.disabled.insert(id)
        }
        if let controllers = loaded.lintControllers { options.controllers = Set(controllers) }
        return options
    }

    /// Writes (or, with --diff, prints) every fix; then reports what is left, as a normal run would.
    func applyFixes(_ report: LintReport, files: [LintFile]) throws {
        let changes = LintFixer.changes(report, files: files)
        var out = ""
        for change in changes {
            if diff {
                out += UnifiedDiff.diff(
                    old: String(decoding: change.before, as: UTF8.self),
                    new: String(decoding: change.after, as: UTF8.self), oldLabel: "a/" + change.file,
                    newLabel: "b/" + change.file)
            } else {
                do { try AtomicFile.write(change.after, to: change.file) } catch { throw EskitError(.io, "\(error)") }
                for p in change.applied { out += "fixed \(p.location): \(p.ruleID)\n" }
            }
        }
        let fixedCount = changes.reduce(0) { $0 + $1.applied.count }
        FileHandle.standardOutput.write(Data(out.utf8))
        let left = report.problems.count - fixedCount
        FileHandle.standardError.write(
            Data(
                ("eskit: lint --fix: \(fixedCount) problem\(fixedCount == 1 ? "" : "s") "
                    + (diff ? "fixable" : "fixed") + " in \(changes.count) file\(changes.count == 1 ? "" : "s"); "
                    + "\(left) left (run `eskit lint` to see them)\n").utf8))
        if diff && !changes.isEmpty { throw ExitCode(1) }
    }
}

extension LintReporter.Format: ExpressibleByArgument {}
