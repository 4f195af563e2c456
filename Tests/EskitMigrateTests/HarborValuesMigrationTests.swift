import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// Harbor chart values (goharbor/harbor-helm): the admin password, secret key and component secrets move to one
/// Secret that the chart's `existingSecret*` settings name; the values file keeps every other byte.
@Suite struct HarborValuesMigrationTests {
    static let admin = "Harbor" + "12345"
    static let coreSecret = "Zx9" + String("c0r3S3cr3tV4lu".reversed())
    static let s3Secret = "Zx9" + String("s3S3cr3tK3yV4lu3xQ".reversed())

    static func files() -> [MigrationFile] {
        let values = """
            # Harbor on the home cluster
            externalURL: https://harbor.home.arpa
            expose:
              type: ingress
            harborAdminPassword: "\(admin)"
            existingSecretAdminPasswordKey: HARBOR_ADMIN_PASSWORD
            core:
              secret: \(coreSecret)  # 16 chars
              replicas: 1
            registry:
              credentials:
                username: harbor_registry_user
            persistence:
              imageChartStorage:
                type: s3
                s3:
                  region: eu-west-1
                  bucket: harbor
                  accesskey: AKIAEXAMPLEHARBOR01
                  secretkey: \(s3Secret)
                  existingSecret: ""

            """
        let kustomization = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: harbor
            resources:
              - namespace.yaml
            helmCharts:
              - name: harbor
                repo: https://helm.goharbor.io
                version: 1.16.2
                valuesFile: values.yaml

            """
        return [
            MigrationFile(path: "harbor/kustomization.yaml", bytes: Array(kustomization.utf8)),
            MigrationFile(path: "harbor/values.yaml", bytes: Array(values.utf8)),
        ]
    }

    @Test func valuesMoveToOneExistingSecret() throws {
        let target = MigrationPlanner.Target(
            storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
        let plan = try MigrationPlanner.plan(Self.files(), target: target)
        let item = try #require(plan.items.first { $0.action == .harborValues })
        #expect(item.namespace == "harbor" && item.externalSecret == "harbor-secrets")
        #expect(
            Set(item.values.map(\.key)).isSuperset(of: [
                "HARBOR_ADMIN_PASSWORD", "secret", "REGISTRY_STORAGE_S3_SECRETKEY",
            ]))
        let prepared = try MigrationApplier.prepare(plan, files: Self.files())
        for (path, bytes) in prepared.files {
            try Golden.check(
                String(decoding: bytes, as: UTF8.self),
                against: Fixtures.url("migrate/expected/" + path.replacingOccurrences(of: "/", with: "_")))
            #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.coreSecret.prefix(8)))
        }
        let values = try #require(prepared.files.first { $0.path == "harbor/values.yaml" })
        let text = String(decoding: values.bytes, as: UTF8.self)
        #expect(text.contains("harborAdminPassword: \"\"\nexistingSecretAdminPassword: harbor-secrets\n"))
        #expect(text.contains("# Harbor on the home cluster\n") && text.contains("  replicas: 1\n"))
        // Re-planning the rewritten files finds nothing left in the values.
        var after = Self.files()
        for (path, bytes) in prepared.files {
            if let i = after.firstIndex(where: { $0.path == path }) {
                after[i].bytes = bytes
            } else {
                after.append(MigrationFile(path: path, bytes: bytes))
            }
        }
        let again = try MigrationPlanner.plan(after, target: target)
        #expect(!again.items.contains { $0.action == .harborValues }, "\(again.items)")
    }
}

/// Harbor's registry login (`registry.credentials`): the chart reads REGISTRY_PASSWD and REGISTRY_HTPASSWD from the
/// existing Secret; without an `htpasswdString` the ExternalSecret's template makes the htpasswd line from the
/// password, as the chart itself does.
@Suite struct HarborRegistryCredentialsMigrationTests {
    static let password = "Rg" + Sample.string(18, seed: 7201)

    @Test(arguments: [false, true])
    func registryCredentialsMoveWithTheHtpasswdLine(givenLine: Bool) throws {
        let line = ["reg_user", "$2y$10$" + Sample.string(53, seed: 7202)].joined(separator: ":")
        let values =
            "externalURL: https://harbor.home.arpa\nexpose:\n  type: ingress\nregistry:\n  credentials:\n"
            + "    username: reg_user\n    password: \(Self.password)\n"
            + (givenLine ? "    htpasswdString: \"\(line)\"\n" : "") + "    existingSecret: \"\"\n"
        let files = [MigrationFile(path: "harbor/values.yaml", bytes: Array(values.utf8))]
        let target = MigrationPlanner.Target(
            storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
        let plan = try MigrationPlanner.plan(files, target: target)
        let item = try #require(plan.items.first { $0.action == .harborValues }, "\(plan.items)")
        #expect(plan.items.count == 1)
        #expect(item.values.map(\.key) == (givenLine ? ["REGISTRY_PASSWD", "REGISTRY_HTPASSWD"] : ["REGISTRY_PASSWD"]))
        #expect(
            item.template == (givenLine ? [:] : ["REGISTRY_HTPASSWD": "{{ htpasswd \"reg_user\" .REGISTRY_PASSWD }}"]))
        #expect(try MigrationPlan.read(Array(plan.yaml().utf8), file: "plan.yaml") == plan)
        let prepared = try MigrationApplier.prepare(plan, files: files)
        let rewritten = String(
            decoding: try #require(prepared.files.first { $0.path == "harbor/values.yaml" }).bytes, as: UTF8.self)
        #expect(
            rewritten.contains("    password: \"\"\n") && rewritten.contains("    existingSecret: harbor-secrets\n"))
        #expect(!rewritten.contains(Self.password) && !rewritten.contains(line))
        let es = String(
            decoding: try #require(prepared.files.first { $0.path.hasSuffix("externalsecret-harbor-secrets.yaml") })
                .bytes, as: UTF8.self)
        #expect(
            es.contains("mergePolicy: Merge\n      data:\n        REGISTRY_HTPASSWD: \"{{ htpasswd") == !givenLine,
            "\(es)")
    }
}
