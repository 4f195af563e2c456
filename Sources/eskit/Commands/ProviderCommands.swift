import EskitCommandLine

/// `eskit validate` and `eskit migrate`: parsed here (help, completions, usage errors), run by `eskit-providers`,
/// which this process becomes. The provider clients stay out of the binary hooks and CI scans start.
enum Forwarded: ProviderCommandBackend {
    static func run(_ command: Validate<Forwarded>) async throws { try ProviderHelper.exec() }
    static func run(_ command: MigratePlan<Forwarded>) async throws { try ProviderHelper.exec() }
    static func run(_ command: MigrateApply<Forwarded>) async throws { try ProviderHelper.exec() }
    static func run(_ command: MigrateHistory<Forwarded>) async throws { try ProviderHelper.exec() }
}
