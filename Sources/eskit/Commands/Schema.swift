import ArgumentParser
import EskitManifests

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of eskit.yaml (for yaml-language-server and other editors).",
        discussion: """
            Save it and point your editor at it, e.g. first line of eskit.yaml:
              # yaml-language-server: $schema=./eskit-inventory.schema.json
            """
    )

    func run() {
        print(JSONSchemaWriter.inventory(), terminator: "")
    }
}
