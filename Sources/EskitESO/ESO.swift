/// The External Secrets Operator API eskit reads and writes.
public enum ESO {
    /// The served and stored API of ExternalSecret, ClusterExternalSecret, SecretStore and ClusterSecretStore.
    public static let apiVersion = "external-secrets.io/v1"
    /// PushSecret, ClusterPushSecret and generators are still served as v1alpha1.
    public static let pushAPIVersion = "external-secrets.io/v1alpha1"
    public static let group = "external-secrets.io"
}
