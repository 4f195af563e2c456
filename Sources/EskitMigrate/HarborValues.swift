import EskitCore
import EskitYAML

/// Harbor's Helm chart (goharbor/harbor-helm `values.yaml`): each plaintext value and the `existingSecret*` key
/// that makes the chart read it from a Secret instead, with the key name the chart reads there. All of them can
/// share one Secret: the key names are distinct.
enum HarborValues {
    struct Field {
        /// The value's path in values.yaml.
        var path: [String]
        /// The key the chart reads in the existing Secret (default; a sibling `*Key` setting may rename it).
        var secretKey: String
        /// The path of the setting naming the existing Secret (a sibling of the value).
        var existing: [String]
        /// A sibling setting that renames `secretKey` (`existingSecretAdminPasswordKey`), when the chart has one.
        var keySetting: [String]?
    }

    static let fields: [Field] = [
        Field(
            path: ["harborAdminPassword"], secretKey: "HARBOR_ADMIN_PASSWORD",
            existing: ["existingSecretAdminPassword"],
            keySetting: ["existingSecretAdminPasswordKey"]),
        Field(path: ["secretKey"], secretKey: "secretKey", existing: ["existingSecretSecretKey"]),
        Field(path: ["core", "secret"], secretKey: "secret", existing: ["core", "existingSecret"]),
        Field(
            path: ["core", "xsrfKey"], secretKey: "CSRF_KEY", existing: ["core", "existingXsrfSecret"],
            keySetting: ["core", "existingXsrfSecretKey"]),
        Field(
            path: ["jobservice", "secret"], secretKey: "JOBSERVICE_SECRET", existing: ["jobservice", "existingSecret"],
            keySetting: ["jobservice", "existingSecretKey"]),
        Field(
            path: ["registry", "secret"], secretKey: "REGISTRY_HTTP_SECRET", existing: ["registry", "existingSecret"],
            keySetting: ["registry", "existingSecretKey"]),
        Field(
            path: ["database", "external", "password"], secretKey: "password",
            existing: ["database", "external", "existingSecret"]),
        Field(
            path: ["redis", "external", "password"], secretKey: "REDIS_PASSWORD",
            existing: ["redis", "external", "existingSecret"]),
        // The registry's own login: the chart reads REGISTRY_PASSWD and REGISTRY_HTPASSWD from the existing Secret
        // (the htpasswd line is then made by the ExternalSecret's template when values.yaml has none).
        Field(
            path: ["registry", "credentials", "password"], secretKey: "REGISTRY_PASSWD",
            existing: ["registry", "credentials", "existingSecret"]),
        Field(
            path: ["registry", "credentials", "htpasswdString"], secretKey: "REGISTRY_HTPASSWD",
            existing: ["registry", "credentials", "existingSecret"]),
        Field(
            path: ["persistence", "imageChartStorage", "s3", "accesskey"], secretKey: "REGISTRY_STORAGE_S3_ACCESSKEY",
            existing: ["persistence", "imageChartStorage", "s3", "existingSecret"]),
        Field(
            path: ["persistence", "imageChartStorage", "s3", "secretkey"], secretKey: "REGISTRY_STORAGE_S3_SECRETKEY",
            existing: ["persistence", "imageChartStorage", "s3", "existingSecret"]),
    ]

    /// Template keys the existing Secret needs that no value holds: REGISTRY_HTPASSWD from the registry password
    /// (bcrypt through the template's `htpasswd`, as the chart itself does) when values.yaml has no htpasswdString.
    static func templateData(_ root: YAMLNode, keys: Set<String>) -> [(key: String, template: String)] {
        guard keys.contains("REGISTRY_PASSWD"), !keys.contains("REGISTRY_HTPASSWD") else { return [] }
        let user = node(root, ["registry", "credentials", "username"])?.scalarValue ?? "harbor_registry_user"
        let quoted = user.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return [("REGISTRY_HTPASSWD", "{{ htpasswd \"\(quoted)\" .REGISTRY_PASSWD }}")]
    }

    static func node(_ root: YAMLNode, _ path: [String]) -> YAMLNode? {
        var node: YAMLNode? = root
        for key in path { node = node?[key] }
        return node
    }

    static func pair(_ root: YAMLNode, _ path: [String]) -> YAMLPair? {
        guard let last = path.last else { return nil }
        return node(root, Array(path.dropLast()))?.pair(forKey: last)
    }

    /// Whether a values document is Harbor's: its admin password or URL settings, or a path naming Harbor.
    static func isHarbor(_ root: YAMLNode, path: String) -> Bool {
        root["harborAdminPassword"] != nil || root["existingSecretAdminPassword"] != nil
            || (root["externalURL"] != nil && root["expose"] != nil) || path.lowercased().contains("harbor")
    }

    /// The key a field is stored under in the shared Secret (a `*Key` setting in the file renames it).
    static func secretKey(_ field: Field, in root: YAMLNode) -> String {
        if let setting = field.keySetting, let name = node(root, setting)?.scalarValue, !name.isEmpty { return name }
        return field.secretKey
    }

    /// The plaintext fields of a Harbor values document that the scanner flagged (by line), and every other
    /// field read through the same existing Secret setting (once `s3.existingSecret` is set the chart reads the
    /// access key from the Secret too, secret or not).
    static func found(_ root: YAMLNode, lines: Set<Int>) -> [(Field, FoundValue)] {
        func value(_ field: Field) -> FoundValue? {
            guard let node = node(root, field.path), let text = node.scalarValue, !text.isEmpty else { return nil }
            return FoundValue(key: secretKey(field, in: root), bytes: Array(text.utf8), line: node.start.line)
        }
        let flagged = Set(fields.filter { f in value(f).map { lines.contains($0.line) } ?? false }.map(\.existing))
        return fields.compactMap { field in
            guard flagged.contains(field.existing), let v = value(field) else { return nil }
            return (field, v)
        }
    }
}
