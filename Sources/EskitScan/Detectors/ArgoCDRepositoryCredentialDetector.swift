import EskitCore

/// Argo CD repository / cluster credential Secrets (label `argocd.argoproj.io/secret-type`).
struct ArgoCDRepositoryCredentialDetector: Detector {
    let id = "argocd-repository-credential"
    let description = "Argo CD repository or cluster credential in plain text"
    let severity = Severity.critical
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n    "
                    + "argocd.argoproj.io/secret-type: repository\nstringData:\n  url: "
                    + "https://git.example.org/org/repo.git\n  username: bot\n  password: "
                    + "\(Sample.string(28, seed: 2101))\n",
                path: "repo.yaml")
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: "
                    + "repository\nstringData:\n  url: https://git.example.org/org/repo.git\n  password: <token>\n",
                path: "repo.yaml")
        ]
    }
}
