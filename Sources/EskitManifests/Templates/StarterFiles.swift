/// What `eskit init` writes: a commented starter inventory for one provider (from `templates/`), the inventory's
/// JSON Schema it points editors at, a pre-commit config and a CI workflow.
public enum StarterFiles {
    /// The provider families with a starter inventory (`templates/inventory/<name>.yaml`).
    public static var providers: [String] { ProviderFamilies.starters }

    /// Paths (relative to the target folder) and contents for `provider`; nil for an unknown provider.
    public static func files(provider: String) -> [(path: String, text: String)]? {
        guard providers.contains(provider), let inventory = EmbeddedTemplates.text("inventory/\(provider).yaml"),
            let preCommit = EmbeddedTemplates.text("pre-commit-config.yaml"),
            let workflow = EmbeddedTemplates.text("github-workflow.yaml")
        else { return nil }
        return [
            ("eskit.yaml", inventory),
            ("eskit-inventory.schema.json", JSONSchemaWriter.inventory()),
            (".pre-commit-config.yaml", preCommit),
            (".github/workflows/eskit.yaml", workflow),
        ]
    }
}
