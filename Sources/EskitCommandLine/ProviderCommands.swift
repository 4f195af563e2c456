import ArgumentParser
import EskitCore

/// What runs the commands that talk to secret providers (`validate`, `migrate`). Their arguments, help and
/// checks are declared once, here; `eskit` parses them (so its help, completions, man page and usage errors are
/// whole) and hands the command line to `eskit-providers`, which parses them again and runs them. That keeps the
/// network clients (NIO, BoringSSL, async-http-client) out of the binary hooks and CI scans start.
public protocol ProviderCommandBackend: Sendable {
    static func run(_ command: Validate<Self>) async throws
    static func run(_ command: MigratePlan<Self>) async throws
    static func run(_ command: MigrateApply<Self>) async throws
    static func run(_ command: MigrateHistory<Self>) async throws
}

/// `eskit validate`'s report formats.
public enum ValidateReportFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
    case text, json, sarif, junit
}

public struct Validate<Backend: ProviderCommandBackend>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "validate",
            abstract:
                "Check every remote reference of the inventory (or of ExternalSecret manifests) against the provider.",
            discussion: """
                Each data[] and dataFrom reference is checked: the key exists, the version exists, the property is \
                in the JSON value, dataFrom.extract is a JSON object, find matches a key; each store must log in. \
                Credentials come from the environment, --credentials FILE (per store name) or --sa-token FILE, never \
                from the repository. Values are never printed, logged or written; each distinct key is read once.
                --against-history scan.json (from `eskit scan --history --format json`) also reports provider values \
                that were once committed in plaintext.
                Exit status: 0 every reference found, 1 a reference is missing (or a leaked value is in use), \
                2 configuration, credentials or connectivity error.
                """
        )
    }

    public init() {}

    @Argument(
        help: ArgumentHelp(
            "ExternalSecret manifests (files or folders) to check instead of the inventory; "
                + "their stores must be among them.", valueName: "path"))
    public var paths: [String] = []

    @Option(name: [.customShort("f"), .long], help: "The inventory file.")
    public var file = "eskit.yaml"

    @Option(name: .customLong("env"), help: "Only this environment (repeatable).")
    public var environments: [String] = []

    @Option(
        help: ArgumentHelp(
            "Per-store credentials (YAML or JSON: `stores: {<name>: {token: ...}}`), kept "
                + "outside the repository.", valueName: "file"))
    public var credentials: String?

    @Option(
        help: ArgumentHelp(
            "A Kubernetes service-account token for kubernetes / JWT / web-identity logins.",
            valueName: "file"))
    public var saToken: String?

    @Option(name: .customLong("store"), help: "Only references served by this store (repeatable).")
    public var stores: [String] = []

    @Option(
        help: ArgumentHelp(
            "Answer every store from a local YAML / JSON map of keys (offline CI, demos).",
            valueName: "file"))
    public var offline: String?

    @Option(
        help: ArgumentHelp(
            "Also report provider values that `eskit scan --history --format json` found "
                + "committed in plaintext.", valueName: "scan.json"))
    public var againstHistory: String?

    @Option(help: "Requests in flight at once per store.")
    public var maxConcurrency = 8

    @Option(help: ArgumentHelp("Seconds before one provider request gives up.", valueName: "seconds"))
    public var timeout = 30

    @Option(help: "Report format: text, json, sarif or junit.")
    public var format: ValidateReportFormat = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "Write the report to a file (atomically).",
            valueName: "file"))
    public var output: String?

    @Flag(name: .shortAndLong, help: "List every reference, not only the problems.")
    public var verbose = false

    public func validate() throws {
        if maxConcurrency < 1 { throw ValidationError("--max-concurrency must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if !paths.isEmpty, !environments.isEmpty {
            throw ValidationError("--env selects inventory environments; manifests given as PATH have none")
        }
    }

    public func run() async throws { try await Backend.run(self) }
}

public struct Migrate<Backend: ProviderCommandBackend>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "migrate",
            abstract: "Move plaintext Secrets and env literals to External Secrets: plan, then apply (and push).",
            discussion: """
                `eskit migrate plan` writes a reviewable plan (no values: previews and SHA-256 only) of what \
                `eskit scan` finds in the work tree: each `kind: Secret` holding plaintext becomes an ExternalSecret \
                of the same name, keys and type reading one remote key; env literals of Pod templates become \
                `secretKeyRef`s to a Secret a new ExternalSecret writes; anything else is listed as manual. \
                `eskit migrate apply PLAN --push` writes each value to the environment's store \
                (compare-before-write), then declares each new ExternalSecret in the inventory (`secrets[]`, \
                comments and order kept), removes the Secret manifests it replaces, rewrites the consumers at the \
                node marks and runs `eskit generate` (`--in-place` writes the ExternalSecrets beside the manifests \
                instead). Exit status (plan and apply): 0 done (or nothing to do), 1 manual items remain, 2 usage, \
                input or provider errors (nothing half-done: provider writes first, files last). `plan --format \
                json -o plan.yaml` prints the summary as JSON.
                """,
            subcommands: [MigratePlan<Backend>.self, MigrateApply<Backend>.self, MigrateHistory<Backend>.self]
        )
    }

    public init() {}
}

/// Where the migrated values go: the inventory environment's store and key prefix.
public struct MigrationTargetOptions: ParsableArguments {
    public init() {}

    @Option(name: [.customShort("f"), .long], help: "The inventory naming the store and key prefix.")
    public var file = "eskit.yaml"

    @Option(name: .customLong("env"), help: "The environment whose store and key prefix receive the values.")
    public var environment: String?
}

public struct MigratePlan<Backend: ProviderCommandBackend>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "plan", abstract: "Write the migration plan (no values) for the work tree under PATH.")
    }

    public init() {}

    @Argument(help: ArgumentHelp("Folders or files (default `.`).", valueName: "path"))
    public var paths: [String] = []

    @OptionGroup public var target: MigrationTargetOptions

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write the plan here (default: stdout).", valueName: "file"))
    public var output: String?

    public enum SummaryFormat: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

    @Option(help: "The summary: text (one line on stderr) or json (on stdout; needs --output for the plan).")
    public var format: SummaryFormat = .text

    public func validate() throws {
        if format == .json, output == nil {
            throw ValidationError("--format json prints the summary on stdout: write the plan with --output FILE")
        }
    }

    public func run() async throws { try await Backend.run(self) }
}

public struct MigrateApply<Backend: ProviderCommandBackend>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "apply", abstract: "Apply a plan: push the values (--push), then rewrite the files.")
    }

    public init() {}

    @Argument(help: ArgumentHelp("The plan written by `eskit migrate plan`.", valueName: "plan"))
    public var planFile: String

    @OptionGroup public var target: MigrationTargetOptions

    @Flag(help: "Write each value to the store's provider before rewriting the files.")
    public var push = false

    @Flag(help: "With --push: replace a different value already stored (default: refuse).")
    public var overwrite = false

    @Flag(
        help: ArgumentHelp(
            "Write each ExternalSecret beside what it replaces instead of declaring it in the inventory and "
                + "running `eskit generate`."))
    public var inPlace = false

    @Option(help: ArgumentHelp("Per-store credentials (as for `eskit validate`).", valueName: "file"))
    public var credentials: String?

    @Option(help: ArgumentHelp("A Kubernetes service-account token for kubernetes / JWT logins.", valueName: "file"))
    public var saToken: String?

    public func run() async throws { try await Backend.run(self) }
}

public struct MigrateHistory<Backend: ProviderCommandBackend>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "history",
            abstract: "Write a rotation checklist and a purge plan for every value once committed in plaintext.",
            discussion: """
                Scans every blob reachable from any ref once. Writes DIR/rotation.md (each value by preview and \
                SHA-256: first commit, every path and commit holding it, whether it is still in the work tree, how \
                to rotate it) and DIR/purge.md (the `git filter-repo` and force-push commands; eskit runs none of \
                them). The replace file for `git filter-repo --replace-text` holds the values: it is written 0600 \
                to --replace-file, which must be outside the repository. With --validate, every reference of the \
                inventory (-f, --env) is read at its provider and each value still served there is marked "rotate \
                it now" (no value is printed; credentials as for `eskit validate`).
                """)
    }

    public init() {}

    @Argument(help: ArgumentHelp("The repository (default `.`).", valueName: "path"))
    public var path = "."

    @Option(
        name: [.customShort("o"), .long], help: ArgumentHelp("Folder for rotation.md and purge.md.", valueName: "dir"))
    public var output = "eskit-history"

    @Option(help: ArgumentHelp("Where to write the replace file (outside the repository).", valueName: "file"))
    public var replaceFile: String?

    @Flag(help: "Read every reference of the inventory at its provider: is a committed value still in use?")
    public var validate = false

    @Option(name: [.customShort("f"), .long], help: "With --validate: the inventory.")
    public var file = "eskit.yaml"

    @Option(name: .customLong("env"), help: "With --validate: only this environment (repeatable).")
    public var environments: [String] = []

    @Option(help: ArgumentHelp("Per-store credentials (as for `eskit validate`).", valueName: "file"))
    public var credentials: String?

    @Option(help: ArgumentHelp("A Kubernetes service-account token for kubernetes / JWT logins.", valueName: "file"))
    public var saToken: String?

    public func run() async throws { try await Backend.run(self) }
}
