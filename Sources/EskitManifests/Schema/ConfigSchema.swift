/// The schema of `.eskit.yaml` (scan configuration), for `eskit schema config` and editors. The scanner's own
/// loader is the authority; a test checks both accept and reject the same keys.
public enum ConfigSchema {
    static let severities = ["info", "low", "medium", "high", "critical"]

    static let rule = InventorySchema.object(
        "A custom detection rule.",
        [
            (
                "id",
                InventorySchema.string(
                    "Rule id: letters, digits, `-`, `_`, `.` (not a built-in id).",
                    pattern: "^[A-Za-z0-9._-]+$")
            ),
            ("description", InventorySchema.string("Shown in reports.")),
            ("severity", InventorySchema.string("Default `high`.", severities)),
            ("pattern", InventorySchema.string("A regular expression; the secret is the match or `secretGroup`.")),
            (
                "keywords",
                InventorySchema.array(
                    "ASCII literals (2+ characters); a file is searched only when one occurs.",
                    of: InventorySchema.string("A keyword."), minItems: 1)
            ),
            (
                "entropy",
                Schema(
                    types: ["number"], description: "Minimum Shannon entropy (bits per byte) of the secret.",
                    minimum: 0, maximum: 8)
            ),
            (
                "secretGroup",
                Schema(types: ["integer"], description: "The capture group holding the secret.", minimum: 0)
            ),
        ], required: ["id", "pattern", "keywords"])

    /// The whole `.eskit.yaml` document.
    public static let root: Schema = InventorySchema.object(
        "eskit scan configuration (.eskit.yaml).",
        [
            ("disabledRules", InventorySchema.array("Rule ids that never run.", of: InventorySchema.plainString)),
            (
                "enabledRules",
                InventorySchema.array(
                    "Only these built-in rules run (custom rules always do).",
                    of: InventorySchema.plainString)
            ),
            ("rules", InventorySchema.array("Custom rules.", of: rule)),
            (
                "allowlist",
                InventorySchema.object(
                    "What is never reported.",
                    [
                        (
                            "paths",
                            InventorySchema.array(
                                "Globs of paths never scanned (`docs/**`, `*.lock`).",
                                of: InventorySchema.plainString)
                        ),
                        (
                            "values",
                            InventorySchema.array(
                                "Values never reported: exact text, or `/regex/`.",
                                of: InventorySchema.plainString)
                        ),
                    ])
            ),
            (
                "maxFileSize",
                Schema(
                    types: ["integer"], description: "Files larger than this many bytes are skipped.",
                    minimum: 1)
            ),
            (
                "lint",
                InventorySchema.object(
                    "`eskit lint` / `eskit check` settings.",
                    [
                        (
                            "disable",
                            InventorySchema.array("Lint rule ids that never run.", of: InventorySchema.plainString)
                        ),
                        (
                            "controllers",
                            InventorySchema.array(
                                "Service accounts (`namespace/name`) allowed cluster-wide Secret access "
                                    + "(default: external-secrets/external-secrets).",
                                of: InventorySchema.string("namespace/name", pattern: "^[^/]+/[^/]+$"))
                        ),
                    ])
            ),
        ])
}
