import EskitCore

/// `kind: Secret` `data` values: base64-decoded, then judged (token formats, docker config, entropy, defaults).
struct KubernetesSecretDataDetector: Detector {
    let id = "kubernetes-secret-data"
    let description = "Plain (base64-encoded) value in a Kubernetes Secret's data"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let v = Sample.base64(of: "Pw" + Sample.string(18, seed: 1601))
        return [
            DetectorExample("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(v)\n", path: "secret.yaml"),
            DetectorExample("data:\n  db-pass: \(v)\nmetadata:\n  name: db\nkind: Secret\napiVersion: v1\n", path: "secret.yaml"),
            DetectorExample("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: y}\ndata:\n  api: \(v)\n", path: "all.yaml"),
            DetectorExample("{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"db\"}, \"data\": {\"password\": \"\(v)\"}}", path: "secret.json"),
            DetectorExample("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: db}\n  data:\n    password: \(v)\n", path: "list.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("apiVersion: v1\nkind: Secret\ndata:\n  password: \(Sample.base64(of: "changeme"))\n  username: \(Sample.base64(of: "app-user-" + Sample.string(8, seed: 3)))\n", path: "secret.yaml"),
            DetectorExample("apiVersion: v1\nkind: Secret\ndata:\n  password: \"{{ .Values.password | b64enc }}\"\n", path: "templates/secret.yaml"),
            DetectorExample("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n    password: AgB\(Sample.string(120, from: Sample.base64, seed: 4))\n", path: "sealed.yaml"),
            DetectorExample("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nspec:\n  data:\n    - secretKey: password\n      remoteRef:\n        key: prod/db\n        property: password\n", path: "es.yaml"),
        ]
    }
}

/// `kind: Secret` `stringData` values.
struct KubernetesSecretStringDataDetector: Detector {
    let id = "kubernetes-secret-stringdata"
    let description = "Plain-text value in a Kubernetes Secret's stringData"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  api-credential: \(Sample.string(24, seed: 1701))\n", path: "secret.yaml"),
         DetectorExample("stringData:\n  DB_PASS: \"Qz\(Sample.string(12, seed: 1702))\"\nkind: Secret\n", path: "secret.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: Secret\nstringData:\n  password: ${DB_PASSWORD}\n  host: db.internal\n", path: "secret.yaml")]
    }
}

/// Container `env` entries whose name looks secret and whose `value` is a literal.
struct KubernetesEnvValueDetector: Detector {
    let id = "kubernetes-env-value"
    let description = "Secret-looking environment variable set to a literal in a workload"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let v = "Ek" + Sample.string(18, seed: 1801)
        return [DetectorExample("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - value: \(v)\n              name: DB_PASSWORD\n", path: "deploy.yaml"),
                DetectorExample("apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n          - name: init\n            env:\n            - {name: API_TOKEN, value: \"\(Sample.string(32, seed: 1802))\"}\n", path: "cron.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("kind: Deployment\nspec:\n  containers:\n  - env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    - name: LOG_LEVEL\n      value: debug\n", path: "deploy.yaml")]
    }
}

/// ConfigMap keys that look secret with a literal value.
struct KubernetesConfigMapSecretDetector: Detector {
    let id = "kubernetes-configmap-secret"
    let description = "Secret-looking key with a literal value in a ConfigMap"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  SMTP_PASSWORD: \"Mx\(Sample.string(14, seed: 1901))\"\n", path: "cm.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: ConfigMap\ndata:\n  SMTP_HOST: smtp.example.org\n  SMTP_PASSWORD_FILE: /run/secrets/smtp\n", path: "cm.yaml")]
    }
}

/// kustomize `secretGenerator` `literals` (`key=value`).
struct KustomizeSecretLiteralDetector: Detector {
    let id = "kustomize-secret-literal"
    let description = "Literal secret value in a kustomize secretGenerator"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [DetectorExample("secretGenerator:\n  - name: db\n    literals:\n      - username=app\n      - password=Lt\(Sample.string(14, seed: 2001))\n", path: "kustomization.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("secretGenerator:\n  - name: db\n    envs: [db.env]\n    literals:\n      - username=app\n      - password=changeme\n", path: "kustomization.yaml")]
    }
}

/// Argo CD repository / cluster credential Secrets (label `argocd.argoproj.io/secret-type`).
struct ArgoCDRepositoryCredentialDetector: Detector {
    let id = "argocd-repository-credential"
    let description = "Argo CD repository or cluster credential in plain text"
    let severity = Severity.critical
    var positiveExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.example.org/org/repo.git\n  username: bot\n  password: \(Sample.string(28, seed: 2101))\n", path: "repo.yaml")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.example.org/org/repo.git\n  password: <token>\n", path: "repo.yaml")]
    }
}
