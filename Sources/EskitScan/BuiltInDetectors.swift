/// The registry of built-in detectors, sorted by id. Add a detector: write `Detectors/<Name>Detector.swift` (one
/// type per file) with inline positive and negative examples, then list it here.
public enum BuiltInDetectors {
    public static let all: [any Detector] = unsorted.sorted { $0.id < $1.id }

    static let unsorted: [any Detector] = text.map { $0 as any Detector } + reportedByWorkers

    /// The detectors the text engine runs around their anchors, typed as such: the scanner takes them from here,
    /// not by casting each detector (every first-time protocol cast walks all of the binary's conformance
    /// records, which a hook run pays at each start).
    static let text: [any TextDetector] =
        PrefixTokenDetector.all + [
            AWSAccessKeyIDDetector(),
            AWSSecretAccessKeyDetector(),
            GCPServiceAccountDetector(),
            AzureClientSecretDetector(),
            AzureStorageKeyDetector(),
            CloudflareAPIKeyDetector(),
            SendGridAPIKeyDetector(),
            TwilioDetector(),
            SlackWebhookDetector(),
            HarborRobotDetector(),
            VaultLegacyTokenDetector(),
            JWTDetector(),
            Base64JSONCredentialDetector(),
            PrivateKeyDetector(),
            URLCredentialsDetector(),
            HtpasswdDetector(),
            DockerConfigAuthDetector(),
            KubeadmTokenDetector(),
            KubeconfigCredentialDetector(),
            KubectlFromLiteralDetector(),
            CurlBasicAuthDetector(),
            NetrcDetector(),
            CLIPasswordDetector(),
            GitHubRunnerTokenDetector(),
            HelmExistingSecretMisuseDetector(),
            ArgoCDDexClientSecretDetector(),
        ]

    /// Detectors that only declare a rule: other detectors and the workers below report under their ids.
    static let reportedByWorkers: [any Detector] = [
        PrivateKeyExampleDetector(),
        GenericPasswordDetector(),
        GenericSecretDetector(),
        DefaultCredentialDetector(),
        KubernetesSecretDataDetector(),
        KubernetesSecretStringDataDetector(),
        KubernetesEnvValueDetector(),
        KubernetesConfigMapSecretDetector(),
        KustomizeSecretLiteralDetector(),
        ArgoCDRepositoryCredentialDetector(),
    ]

    /// Workers that report under the ids of metadata-only detectors, with the ids they report.
    static let textWorkers: [(worker: any TextDetector, emits: Set<String>)] = [
        (GenericAssignmentScanner(), ["generic-password", "generic-secret", "default-credential"]),
        (DistinctiveDefaultScanner(), ["default-credential"]),
    ]
    static let documentWorkers: [(worker: any DocumentDetector, emits: Set<String>)] = [
        (
            KubernetesManifestScanner(),
            [
                "kubernetes-secret-data", "kubernetes-secret-stringdata", "kubernetes-env-value",
                "kubernetes-configmap-secret",
                "kustomize-secret-literal", "argocd-repository-credential", "default-credential",
            ]
        )
    ]
}
