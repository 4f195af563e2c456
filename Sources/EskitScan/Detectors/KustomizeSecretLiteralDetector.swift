import EskitCore

/// kustomize `secretGenerator` `literals` (`key=value`).
struct KustomizeSecretLiteralDetector: Detector {
    let id = "kustomize-secret-literal"
    let description = "Literal secret value in a kustomize secretGenerator"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "secretGenerator:\n  - name: db\n    literals:\n      - username=app\n      - "
                    + "password=Lt\(Sample.string(14, seed: 2001))\n",
                path: "kustomization.yaml")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "secretGenerator:\n  - name: db\n    envs: [db.env]\n    literals:\n      - username=app\n      - "
                    + "password=changeme\n",
                path: "kustomization.yaml")
        ]
    }
}
