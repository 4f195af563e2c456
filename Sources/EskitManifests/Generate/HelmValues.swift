public import EskitCore
public import EskitYAML

/// The External Secrets Operator Helm chart values that match one environment of the inventory
/// (`<output>/eso-helm-values.yaml`): what ESO must process, the chart's own RBAC cut so the Roles eskit generates
/// are the only `serviceaccounts/token` grant, a namespace-scoped install when everything lives in one namespace,
/// and the controller's service account (name, and the workload-identity annotations of stores that log in with
/// the controller's own identity). Every key exists in the chart's values.yaml (fixtures/eso/chart, checked by
/// HelmValuesTests); docs/rbac.md explains each.
public struct ESOHelmValues: Sendable {
    /// The file name inside an environment's output folder.
    public static let fileName = "eso-helm-values.yaml"
    /// The chart version the keys were checked against (`rbac.serviceAccountTokenCreate` needs 2.5.0 or later).
    public static let chartVersion = "2.9.0"

    /// The one namespace ESO watches, when every ExternalSecret, SecretStore and store service account of the
    /// environment lives in it and no ClusterSecretStore is used.
    public var scopedNamespace: String?
    public var processClusterStore: Bool
    public var processClusterGenerator: Bool
    /// Set when every store of the environment names the same `controller` class.
    public var controllerClass: String?
    public var serviceAccountName: String
    public var serviceAccountAnnotations: [(String, String)]
    public var serviceAccountLabels: [(String, String)]

    /// The values as one YAML mapping, keys in a fixed order.
    public var node: YAMLNode {
        func bool(_ value: Bool) -> YAMLNode { .scalar(value ? "true" : "false", style: .plain) }
        func string(_ value: String) -> YAMLNode { ManifestEmitter.string(value) }
        func strings(_ pairs: [(String, String)]) -> YAMLNode {
            .mapping(pairs.sorted { $0.0 < $1.0 }.map { ($0.0, string($0.1)) })
        }
        var pairs: [(String, YAMLNode)] = []
        if let scopedNamespace {
            pairs.append(("scopedNamespace", string(scopedNamespace)))
            pairs.append(("scopedRBAC", bool(true)))
        }
        pairs += [
            ("processClusterExternalSecret", bool(false)),
            ("processClusterPushSecret", bool(false)),
            ("processClusterStore", bool(processClusterStore)),
            ("processClusterGenerator", bool(processClusterGenerator)),
            ("processPushSecret", bool(false)),
            ("processSecretStore", bool(true)),
        ]
        if let controllerClass { pairs.append(("controllerClass", string(controllerClass))) }
        var account: [(String, YAMLNode)] = [("create", bool(true)), ("name", string(serviceAccountName))]
        if !serviceAccountAnnotations.isEmpty { account.append(("annotations", strings(serviceAccountAnnotations))) }
        if !serviceAccountLabels.isEmpty { account.append(("extraLabels", strings(serviceAccountLabels))) }
        pairs.append(("serviceAccount", .mapping(account)))
        pairs.append(
            (
                "rbac",
                .mapping([
                    ("create", bool(true)),
                    ("serviceAccountTokenCreate", bool(false)),
                    ("servicebindings", .mapping([("create", bool(false))])),
                ])
            ))
        return .mapping(pairs)
    }

    /// The comment lines after the header: what the file is and the helm command that applies it.
    public func comment(environment: String, path: String, controllerNamespace: String) -> String {
        let scope =
            scopedNamespace.map { "a namespace-scoped install (ESO watches only `\($0)`)" } ?? "a cluster-wide install"
        return """
            # External Secrets Operator Helm chart values for environment `\(environment)` (docs/rbac.md):
            # - \(scope)
            # - only the kinds eskit generates are processed
            # - the chart's cluster-wide serviceaccounts/token grant is off: the Roles generated beside this file
            #   grant it for exactly the stores' service accounts
            # Install or upgrade ESO from the inventory's folder with:
            #   helm upgrade --install external-secrets external-secrets/external-secrets \\
            #     --version \(Self.chartVersion) --namespace \(controllerNamespace) --create-namespace \\
            #     -f \(path)

            """
    }
}

extension EnvironmentBuilder {
    /// The Helm values of this environment. `namespaces` are every namespace ESO acts in (ExternalSecrets,
    /// SecretStores, store service accounts); `identities` are the stores that log in with the controller's own
    /// workload identity, with their `serviceAccount` settings.
    mutating func helmValues(
        namespaces: Set<String>, stores: [ResolvedStore], identities: [(store: ResolvedStore, settings: YAMLNode)]
    ) -> ESOHelmValues {
        let clusterStores = stores.contains { $0.kind == .clusterSecretStore }
        let clusterGenerators = plan.secrets.contains { secret in
            (secret.data + secret.dataFrom).contains {
                $0["sourceRef"]?["generatorRef"]?["kind"]?.scalarValue == "ClusterGenerator"
            }
        }
        var classes: [String: String] = [:]
        for store in stores { classes[store.name] = store.node["controller"]?.scalarValue ?? "" }
        let distinct = Set(classes.values)
        if distinct.count > 1 {
            let named = classes.sorted { $0.key < $1.key }.map {
                "`\($0.key)`: \($0.value.isEmpty ? "none" : $0.value)"
            }
            diagnostics.append(
                .warning(
                    inventory.file, plan.environment.position,
                    "environment `\(plan.environment.name)`: its stores name different controller classes "
                        + "(\(named.joined(separator: ", "))), which one ESO installation cannot all process; "
                        + "\(ESOHelmValues.fileName) sets no `controllerClass`"))
        }
        var annotations: [String: (value: String, store: String)] = [:]
        var labels: [String: (value: String, store: String)] = [:]
        for (store, settings) in identities {
            for (group, pairs) in [
                ("annotation", Self.accountAnnotations(settings)), ("label", settings["labels"]?.stringPairs ?? []),
            ] {
                for (key, value) in pairs {
                    let existing = group == "annotation" ? annotations[key] : labels[key]
                    if let existing, existing.value != value {
                        diagnostics.append(
                            .error(
                                inventory.file, settings.start,
                                "store `\(store.name)`: the ESO controller's service account gets \(group) `\(key)` "
                                    + "from store `\(existing.store)` with another value in environment "
                                    + "`\(plan.environment.name)`; stores without `auth` share the controller's "
                                    + "one identity"))
                        continue
                    }
                    if group == "annotation" {
                        annotations[key] = (value, existing?.store ?? store.name)
                    } else {
                        labels[key] = (value, existing?.store ?? store.name)
                    }
                }
            }
        }
        let scoped = !clusterStores && namespaces.count == 1 ? namespaces.first : nil
        return ESOHelmValues(
            scopedNamespace: scoped, processClusterStore: clusterStores, processClusterGenerator: clusterGenerators,
            controllerClass: distinct.count == 1 ? distinct.first.flatMap { $0.isEmpty ? nil : $0 } : nil,
            serviceAccountName: inventory.controller.serviceAccount,
            serviceAccountAnnotations: annotations.map { ($0.key, $0.value.value) },
            serviceAccountLabels: labels.map { ($0.key, $0.value.value) })
    }

    /// The annotations a `serviceAccount` settings block asks for: `annotations`, then the family shortcuts
    /// (`awsRoleArn`, ...), which win on the same key.
    static func accountAnnotations(_ settings: YAMLNode?) -> [(String, String)] {
        var annotations = settings?["annotations"]?.stringPairs ?? []
        for (field, annotation) in ProviderFamilies.accountAnnotations.map({ ($0.field, $0.annotation) }) {
            if let v = settings?[field]?.scalarValue {
                annotations.removeAll { $0.0 == annotation }
                annotations.append((annotation, v))
            }
        }
        return annotations
    }
}
