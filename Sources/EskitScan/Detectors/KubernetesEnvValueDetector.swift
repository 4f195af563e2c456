import EskitCore

/// Container `env` entries whose name looks secret and whose `value` is a literal.
struct KubernetesEnvValueDetector: Detector {
    let id = "kubernetes-env-value"
    let description = "Secret-looking environment variable set to a literal in a workload"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let v = "Ek" + Sample.string(18, seed: 1801)
        return [
            DetectorExample(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - "
                    + "name: app\n          env:\n            - value: \(v)\n              name: DB_PASSWORD\n",
                path: "deploy.yaml"),
            DetectorExample(
                "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        "
                    + "spec:\n          initContainers:\n          - name: init\n            env:\n            - "
                    + "{name: API_TOKEN, value: \"\(Sample.string(32, seed: 1802))\"}\n",
                path: "cron.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "kind: Deployment\nspec:\n  containers:\n  - env:\n    - name: DB_PASSWORD\n      valueFrom:\n       "
                    + " secretKeyRef: {name: db, key: password}\n    - name: LOG_LEVEL\n      value: debug\n",
                path: "deploy.yaml")
        ]
    }
}
