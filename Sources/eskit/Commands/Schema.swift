import ArgumentParser
import EskitManifests

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of eskit.yaml or .eskit.yaml (for yaml-language-server and other editors).",
        discussion: """
            Save it and point your editor at it, e.g. first line of eskit.yaml:
              # yaml-language-server: $schema=./eskit-inventory.schema.json
            `eskit schema config` prints the schema of the scan configuration (.eskit.yaml).
            """
    )

    enum Document: String, ExpressibleByArgument, CaseIterable {
        case inventory, config
    }

    @Argument(help: "Which file: inventory (eskit.yaml) or config (.eskit.yaml).")
    var document: Document = .inventory

    func run() {
        print(document == .inventory ? JSONSchemaWriter.inventory() : JSONSchemaWriter.config(), terminator: "")
    }
}
