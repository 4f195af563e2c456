/// Default credentials shipped by widely used Helm charts and self-hosted applications: left in place, each is a
/// credential anyone can look up. Matched by the key's last segment (case-insensitive) and the exact value, so the
/// same word under another key (`secretKey: immich` is not Immich's default) is judged as usual. Reported as
/// `default-credential`. Add an entry with the chart or document it comes from.
public enum ChartDefaults {
    public struct Entry: Sendable {
        public let app: String
        /// The key as the chart or application spells it (the dotted Helm path's last segment is what matches).
        public let key: String
        public let value: String
        public let source: String
    }

    public static let table: [Entry] = [
        Entry(
            app: "Harbor", key: "harborAdminPassword", value: "Harbor" + "12345",
            source: "goharbor/harbor-helm values.yaml"),
        Entry(app: "Harbor", key: "secretKey", value: "not-a-secure-key", source: "goharbor/harbor-helm values.yaml"),
        Entry(
            app: "Harbor", key: "registry.credentials.password", value: "harbor_registry_password",
            source: "goharbor/harbor-helm values.yaml"),
        Entry(
            app: "Harbor", key: "database.internal.password", value: "changeit",
            source: "goharbor/harbor-helm values.yaml"),
        Entry(app: "Vault", key: "server.dev.devRootToken", value: "root", source: "hashicorp/vault-helm values.yaml"),
        Entry(
            app: "SonarQube", key: "monitoringPasscode", value: "define_it",
            source: "SonarSource/helm-chart-sonarqube values.yaml"),
        Entry(
            app: "SonarQube", key: "jdbcOverwrite.jdbcPassword", value: "sonarPass",
            source: "SonarSource/helm-chart-sonarqube values.yaml"),
        Entry(
            app: "PostgreSQL (Bitnami)", key: "replication.password", value: "repl_password",
            source: "bitnami/charts postgresql values.yaml (10.x)"),
        Entry(
            app: "Immich", key: "postgresql.auth.password", value: "immich",
            source: "immich-app/immich-charts values.yaml"),
        Entry(app: "MicroBin", key: "MICROBIN_ADMIN_PASSWORD", value: "m1cr0b1n", source: "szabodanika/microbin .env"),
        Entry(
            app: "Gitea", key: "gitea.admin.password", value: "r8sA8CPHD9!bt6d",
            source: "gitea/helm-chart values.yaml"),
        Entry(
            app: "OpenObserve", key: "ZO_ROOT_USER_PASSWORD", value: "Complexpass#123",
            source: "openobserve docs (quickstart)"),
        Entry(app: "MinIO", key: "rootPassword", value: "minioadmin", source: "minio server defaults"),
        Entry(
            app: "Grafana", key: "adminPassword", value: "prom-operator", source: "kube-prometheus-stack values.yaml"),
        Entry(app: "Zitadel", key: "masterkey", value: "MasterkeyNeedsToHave32Characters", source: "zitadel docs"),
        Entry(app: "RabbitMQ", key: "RABBITMQ_DEFAULT_PASS", value: "guest", source: "rabbitmq image defaults"),
    ]

    private static let byKey: [String: [Entry]] = {
        var map: [String: [Entry]] = [:]
        for e in table {
            let last = e.key.split(separator: ".").last.map(String.init) ?? e.key
            map[last.lowercased(), default: []].append(e)
        }
        return map
    }()

    private static let valueLengths = Set(table.map(\.value.utf8.count))
    private static let valueFirstBytes = Set(table.compactMap(\.value.utf8.first))

    /// A cheap test before `match`: the value's length and first byte are those of some entry.
    static func mayMatch(_ text: ByteText, value: Range<Int>) -> Bool {
        valueLengths.contains(value.count) && valueFirstBytes.contains(text[value.lowerBound])
    }

    /// The entry whose key ends the assignment's key and whose value is `value` exactly.
    static func match(key: [UInt8], value: [UInt8]) -> Entry? {
        guard value.count >= 4, value.count <= 32 else { return nil }
        var k = key
        if let dot = k.lastIndex(of: 46) { k = Array(k[(dot + 1)...]) }
        guard let entries = byKey[String(decoding: k.map { lowerTable[Int($0)] }, as: UTF8.self)] else { return nil }
        let v = String(decoding: value, as: UTF8.self)
        return entries.first { $0.value == v }
    }
}
