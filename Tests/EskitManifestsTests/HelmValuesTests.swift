import EskitCore
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// `eso-helm-values.yaml`: every key eskit writes is a key of ESO's chart (the vendored values.yaml of chart
/// 2.9.0, fixtures/eso/chart) with a value of the same type, and the values follow the inventory.
@Suite struct HelmValuesTests {
    static let chart: YAMLNode = {
        let text = (try? String(contentsOf: Fixtures.url("eso/chart/values.yaml"), encoding: .utf8)) ?? ""
        return (try? YAML.parse(text, file: "values.yaml").first?.root) ?? .mapping([])
    }()

    static func generate(_ text: String, file: String = "eskit.yaml") throws -> GenerationResult {
        let inventory = try InventoryLoader.load(Array(text.utf8), file: file)
        return try ManifestGenerator.generate(inventory, inventoryName: file)
    }

    /// The values of environment `env` (output `out/<env>`), parsed.
    static func values(_ result: GenerationResult, _ env: String) throws -> YAMLNode {
        let file = try #require(result.files.first { $0.path == "out/\(env)/\(ESOHelmValues.fileName)" })
        return try #require(try YAML.parse(file.contents, file: file.path).first?.root)
    }

    /// Key paths of `node` that are not in `chart` (or hold another type there). Below a key whose chart value
    /// is an empty mapping (`annotations: {}`) any key is the user's.
    static func unknownKeys(_ node: YAMLNode, in chart: YAMLNode, path: String = "") -> [String] {
        var out: [String] = []
        for pair in node.pairs ?? [] {
            let key = pair.key.scalarValue ?? "?"
            let here = path.isEmpty ? key : "\(path).\(key)"
            guard let expected = chart[key] else {
                out.append("\(here): not a key of the chart")
                continue
            }
            switch (pair.value.kind, expected.kind) {
            case (.mapping, .mapping(let chartPairs)):
                if !chartPairs.isEmpty { out += unknownKeys(pair.value, in: expected, path: here) }
            case (.scalar, .scalar):
                let mine = pair.value.resolved?.typeName, theirs = expected.resolved?.typeName
                if mine != theirs { out.append("\(here): \(mine ?? "?") where the chart has \(theirs ?? "?")") }
            default:
                out.append("\(here): another kind of node than the chart's")
            }
        }
        return out
    }

    static let base = """
        apiVersion: eskit/v1alpha1
        kind: Inventory
        controller: {namespace: eso, serviceAccount: eso-controller}
        environments:
          - name: dev
            store: vault
        stores:
          - name: vault
            provider:
              vault:
                server: https://vault.example.com
                path: secret
                auth:
                  kubernetes:
                    mountPath: kubernetes
                    role: eso
                    serviceAccountRef: {name: vault-reader}

        """

    @Test func theVendoredChartIsTheRealOne() {
        #expect(Self.chart["rbac"]?["serviceAccountTokenCreate"]?.resolved == .bool(true))
        #expect(Self.chart["scopedRBAC"]?.resolved == .bool(false))
        #expect(
            Self.unknownKeys(.mapping([("noSuchKey", .scalar("x"))]), in: Self.chart) == [
                "noSuchKey: not a key of the chart"
            ])
        #expect(
            Self.unknownKeys(.mapping([("scopedRBAC", .scalar("x", style: .doubleQuoted))]), in: Self.chart) == [
                "scopedRBAC: string where the chart has boolean"
            ])
    }

    @Test func everyKeyWrittenForEveryGoldenCaseAndTheDemoIsAChartKey() throws {
        var checked = 0
        for name in GenerateGoldenTests.cases + ["../../demo/eskit"] {
            let bytes = try Fixtures.bytes("inventory/valid/\(name).yaml")
            let inventory = try InventoryLoader.load(bytes, file: "\(name).yaml")
            let result = try ManifestGenerator.generate(inventory, inventoryName: "eskit.yaml")
            let files = result.files.filter { $0.path.hasSuffix("/\(ESOHelmValues.fileName)") }
            #expect(files.count == result.outputFolders.count, "one values file per environment of \(name)")
            for file in files {
                let node = try #require(try YAML.parse(file.contents, file: file.path).first?.root)
                #expect(
                    Self.unknownKeys(node, in: Self.chart).isEmpty, "\(name): \(Self.unknownKeys(node, in: Self.chart))"
                )
                #expect(file.contents.contains("--version \(ESOHelmValues.chartVersion) "))
                checked += 1
            }
        }
        #expect(checked >= GenerateGoldenTests.cases.count)
    }

    @Test func oneNamespaceWithNamespacedStoresIsAScopedInstallWithoutTheChartsTokenGrant() throws {
        let result = try Self.generate(
            Self.base + """
                secrets:
                  - name: app
                    namespace: shop
                    data: [{secretKey: a, remoteRef: {key: app, property: a}}]
                  - name: db
                    namespace: shop
                    data: [{secretKey: b, remoteRef: {key: db, property: b}}]

                """)
        let values = try Self.values(result, "dev")
        #expect(values["scopedNamespace"]?.scalarValue == "shop")
        #expect(values["scopedRBAC"]?.resolved == .bool(true))
        #expect(values["processClusterStore"]?.resolved == .bool(false))
        #expect(values["processClusterExternalSecret"]?.resolved == .bool(false))
        #expect(values["processPushSecret"]?.resolved == .bool(false))
        #expect(values["processClusterGenerator"]?.resolved == .bool(false))
        #expect(values["rbac"]?["create"]?.resolved == .bool(true))
        #expect(values["rbac"]?["serviceAccountTokenCreate"]?.resolved == .bool(false))
        #expect(values["serviceAccount"]?["name"]?.scalarValue == "eso-controller")
        #expect(values["serviceAccount"]?["annotations"] == nil)
        let file = try #require(result.files.first { $0.path.hasSuffix(ESOHelmValues.fileName) })
        #expect(file.contents.contains("--namespace eso --create-namespace"))
        #expect(file.contents.contains("-f out/dev/\(ESOHelmValues.fileName)\n"))
        // The token grant the chart no longer gives: eskit's Role, for exactly the store's account.
        let role = try #require(result.files.first { $0.path == "out/dev/shop/role-eskit-serviceaccount-token.yaml" })
        #expect(role.contents.contains("resourceNames:\n      - vault-reader\n"))
        let kustomization = try #require(result.files.first { $0.path == "out/dev/kustomization.yaml" })
        #expect(!kustomization.contents.contains(ESOHelmValues.fileName), "not a Kubernetes object")
    }

    @Test func twoNamespacesOrAClusterStoreAreAClusterWideInstall() throws {
        let two = try Self.generate(
            Self.base + """
                secrets:
                  - name: app
                    namespace: shop
                    data: [{secretKey: a, remoteRef: {key: app, property: a}}]
                  - name: db
                    namespace: billing
                    data: [{secretKey: b, remoteRef: {key: db, property: b}}]

                """)
        let values = try Self.values(two, "dev")
        #expect(values["scopedNamespace"] == nil)
        #expect(values["scopedRBAC"] == nil)
        #expect(values["processClusterStore"]?.resolved == .bool(false))
        #expect(values["rbac"]?["serviceAccountTokenCreate"]?.resolved == .bool(false))

        let cluster = try Self.generate(
            Self.base.replacingOccurrences(
                of: "  - name: vault\n", with: "  - name: vault\n    kind: ClusterSecretStore\n"
            )
            .replacingOccurrences(of: "{name: vault-reader}", with: "{name: vault-reader, namespace: eso}")
                + """
                secrets:
                  - name: app
                    namespace: shop
                    data: [{secretKey: a, remoteRef: {key: app, property: a}}]

                """)
        let clusterValues = try Self.values(cluster, "dev")
        #expect(clusterValues["scopedNamespace"] == nil)
        #expect(clusterValues["processClusterStore"]?.resolved == .bool(true))
    }

    @Test func aClusterGeneratorKeepsItsReconciler() throws {
        let result = try Self.generate(
            Self.base + """
                secrets:
                  - name: pw
                    namespace: shop
                    dataFrom:
                      - sourceRef:
                          generatorRef:
                            apiVersion: generators.external-secrets.io/v1alpha1
                            kind: ClusterGenerator
                            name: pw

                """)
        #expect(try Self.values(result, "dev")["processClusterGenerator"]?.resolved == .bool(true))
    }

    @Test func storesWithoutAuthGiveTheControllersAccountItsIdentityPerEnvironment() throws {
        let result = try GenerateGoldenTests.generate("controller-identity")
        let staging = try Self.values(result, "staging")
        #expect(staging["scopedNamespace"]?.scalarValue == "shop")
        #expect(
            staging["serviceAccount"]?["annotations"]?["eks.amazonaws.com/role-arn"]?.scalarValue
                == "arn:aws:iam::111122223333:role/eso-staging")
        #expect(staging["serviceAccount"]?["extraLabels"]?["team"]?.scalarValue == "platform")
        #expect(staging["serviceAccount"]?["name"]?.scalarValue == "external-secrets")
        let production = try Self.values(result, "production")
        #expect(production["scopedNamespace"] == nil)
        #expect(
            production["serviceAccount"]?["annotations"]?["eks.amazonaws.com/role-arn"]?.scalarValue
                == "arn:aws:iam::444455556666:role/eso-production")
        // No store account, so no token Role: the controller logs in as itself.
        #expect(!result.files.contains { $0.path.contains("serviceaccount") })
    }

    @Test func twoStoresAskingTheControllerForTwoIdentitiesIsAnError() throws {
        let text = """
            apiVersion: eskit/v1alpha1
            kind: Inventory
            environments: [{name: prod, store: a}]
            stores:
              - name: a
                provider: {aws: {service: SecretsManager, region: eu-west-1}}
                serviceAccount: {awsRoleArn: "arn:aws:iam::111122223333:role/a"}
              - name: b
                provider: {aws: {service: ParameterStore, region: eu-west-1}}
                serviceAccount: {awsRoleArn: "arn:aws:iam::111122223333:role/b"}
            secrets:
              - {name: x, namespace: team, data: [{secretKey: k, remoteRef: {key: x}}]}
              - {name: other, namespace: team, store: b, data: [{secretKey: k, remoteRef: {key: /y}}]}

            """
        #expect {
            try Self.generate(text)
        } throws: { error in
            let messages = (error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []
            return messages == [
                "eskit.yaml:10:21: error: store `b`: the ESO controller's service account gets annotation "
                    + "`eks.amazonaws.com/role-arn` from store `a` with another value in environment `prod`; stores "
                    + "without `auth` share the controller's one identity"
            ]
        }
    }

    @Test func aStoreWithAuthButNoAccountStillRejectsServiceAccountSettings() throws {
        let text = """
            apiVersion: eskit/v1alpha1
            kind: Inventory
            environments: [{name: prod, store: a}]
            stores:
              - name: a
                provider:
                  aws:
                    service: SecretsManager
                    region: eu-west-1
                    auth:
                      secretRef:
                        accessKeyIDSecretRef: {name: s, key: id}
                        secretAccessKeySecretRef: {name: s, key: k}
                serviceAccount: {awsRoleArn: "arn:aws:iam::111122223333:role/a"}
            secrets:
              - {name: x, namespace: team, data: [{secretKey: k, remoteRef: {key: x}}]}

            """
        #expect {
            try Self.generate(text)
        } throws: { error in
            ((error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []).contains {
                $0.contains("`serviceAccount` is set but the provider's auth refers to no service account")
            }
        }
    }

    @Test func storesOfOneControllerClassNameIt() throws {
        let one = try Self.generate(
            Self.base.replacingOccurrences(of: "    provider:\n", with: "    controller: team-a\n    provider:\n")
                + "secrets:\n  - {name: x, namespace: team, data: [{secretKey: k, remoteRef: {key: x, property: k}}]}\n"
        )
        #expect(try Self.values(one, "dev")["controllerClass"]?.scalarValue == "team-a")
        let none = try Self.generate(
            Self.base
                + "secrets:\n  - {name: x, namespace: team, data: [{secretKey: k, remoteRef: {key: x, property: k}}]}\n"
        )
        #expect(try Self.values(none, "dev")["controllerClass"] == nil)
    }

    @Test func theValuesAreByteIdenticalAcrossRuns() throws {
        let first = try GenerateGoldenTests.generate("controller-identity").files
        for _ in 0..<3 {
            #expect(try GenerateGoldenTests.generate("controller-identity").files == first)
        }
    }
}
