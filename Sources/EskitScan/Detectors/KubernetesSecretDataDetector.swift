import EskitCore

/// `kind: Secret` `data` values: base64-decoded, then judged (token formats, docker config, entropy, defaults).
struct KubernetesSecretDataDetector: Detector {
    let id = "kubernetes-secret-data"
    let description = "Plain (base64-encoded) value in a Kubernetes Secret's data"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let v = Sample.base64(of: "Pw" + Sample.string(18, seed: 1601))
        return [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(v)\n", path: "secret.yaml"),
            DetectorExample(
                "data:\n  db-pass: \(v)\nmetadata:\n  name: db\nkind: Secret\napiVersion: v1\n", path: "secret.yaml"),
            DetectorExample(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Secret\nmetadata: "
                    + "{name: y}\ndata:\n  api: \(v)\n",
                path: "all.yaml"),
            DetectorExample(
                "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"db\"}, \"data\": "
                    + "{\"password\": \"\(v)\"}}",
                path: "secret.json"),
            DetectorExample(
                "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: db}\n  "
                    + "data:\n    password: \(v)\n",
                path: "list.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\ndata:\n  password: \(Sample.base64(of: "changeme"))\n  username: "
                    + "\(Sample.base64(of: "app-user-" + Sample.string(8, seed: 3)))\n",
                path: "secret.yaml"),
            DetectorExample(
                "apiVersion: v1\nkind: Secret\ndata:\n  password: \"{{ .Values.password | b64enc }}\"\n",
                path: "templates/secret.yaml"),
            DetectorExample(
                "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n    password: "
                    + "AgB\(Sample.string(120, from: Sample.base64, seed: 4))\n",
                path: "sealed.yaml"),
            DetectorExample(
                "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nspec:\n  data:\n    - secretKey: "
                    + "password\n      remoteRef:\n        key: prod/db\n        property: password\n",
                path: "es.yaml"),
        ]
    }
}
