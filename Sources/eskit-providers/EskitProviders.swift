import ArgumentParser
import EskitCommandLine
import EskitCore

/// `eskit-providers`: the commands that talk to secret providers, started by `eskit validate` and `eskit migrate`
/// (which parse the same arguments first; see `ProviderCommandBackend`). It calls itself `eskit` in help and
/// errors, as the user typed `eskit`.
@main
struct EskitProvidersMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eskit",
        abstract:
            "The eskit commands that talk to secret providers (validate, migrate); run them as `eskit validate` and "
            + "`eskit migrate`.",
        version: EskitVersion.string,
        subcommands: [Validate<Direct>.self, Migrate<Direct>.self]
    )

    static func main() async {
        do { try ProviderHelper.checkCaller() } catch { CommandMain.fail(error) }
        await CommandMain.run(Self.self)
    }
}

/// The commands run here, in the process that links the provider clients.
enum Direct: ProviderCommandBackend {
    static func run(_ command: Validate<Direct>) async throws { try await command.execute() }
    static func run(_ command: MigratePlan<Direct>) async throws { try await command.execute() }
    static func run(_ command: MigrateApply<Direct>) async throws { try await command.execute() }
    static func run(_ command: MigrateHistory<Direct>) async throws { try await command.execute() }
}
