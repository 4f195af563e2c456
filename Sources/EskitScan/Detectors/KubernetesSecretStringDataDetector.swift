import EskitCore

/// `kind: Secret` `stringData` values.
struct KubernetesSecretStringDataDetector: Detector {
    let id = "kubernetes-secret-stringdata"
    let description = "Plain-text value in a Kubernetes Secret's stringData"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  api-credential: "
                    + "\(Sample.string(24, seed: 1701))\n",
                path: "secret.yaml"),
            DetectorExample(
                "stringData:\n  DB_PASS: \"Qz\(Sample.string(12, seed: 1702))\"\nkind: Secret\n", path: "secret.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\nstringData:\n  password: ${DB_PASSWORD}\n  host: db.internal\n",
                path: "secret.yaml")
        ]
    }
}
