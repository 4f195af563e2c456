import EskitCore

/// ConfigMap keys that look secret with a literal value.
struct KubernetesConfigMapSecretDetector: Detector {
    let id = "kubernetes-configmap-secret"
    let description = "Secret-looking key with a literal value in a ConfigMap"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  SMTP_PASSWORD: "
                    + "\"Mx\(Sample.string(14, seed: 1901))\"\n",
                path: "cm.yaml")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  SMTP_HOST: smtp.example.org\n  SMTP_PASSWORD_FILE: "
                    + "/run/secrets/smtp\n",
                path: "cm.yaml")
        ]
    }
}
