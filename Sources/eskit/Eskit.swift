import ArgumentParser
import EskitCommandLine
import EskitCore

@main
struct Eskit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eskit",
        abstract:
            "From plaintext secrets in a GitOps repository to External Secrets: find the secrets, generate the "
            + "manifests.",
        discussion: """
            Exit codes: 0 clean, 1 findings / stale output / invalid references, 2 usage, configuration or input \
            errors.
            """,
        version: EskitVersion.string,
        subcommands: [
            Scan.self, Check.self, Generate.self, Lint.self, Validate<Forwarded>.self, Migrate<Forwarded>.self,
            Init.self, InstallHook.self,
            SchemaCommand.self,
            VersionCommand.self,
        ]
    )

    static func main() async { await CommandMain.run(Self.self) }
}
