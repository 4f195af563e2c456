import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// The rendered form of the Harbor chart (`helm template` output committed to Git, as goharbor/harbor-helm's
/// templates write it): each component Secret becomes an ExternalSecret of the same name and keys, a value two
/// Secrets share (the database password, the registry credential) is stored once, and the workloads stay.
@Suite struct HarborRenderedMigrationTests {
    static let admin = "Harbor" + "12345"
    static let database = "db-" + Sample.string(16, seed: 7101)
    static let registryPassword = "reg-" + Sample.string(16, seed: 7102)
    static let values: [String: String] = [
        "secretKey": Sample.string(16, seed: 7103), "secret": Sample.string(16, seed: 7104),
        "CSRF_KEY": Sample.string(32, seed: 7105), "REGISTRY_HTTP_SECRET": Sample.string(16, seed: 7106),
        "JOBSERVICE_SECRET": Sample.string(16, seed: 7107), "REGISTRY_REDIS_PASSWORD": "",
    ]

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func secret(_ name: String, _ data: [(String, String)]) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \"\(name)\"\n  namespace: \"harbor\"\n  labels:\n"
            + "    app: \"harbor\"\n    app.kubernetes.io/managed-by: Helm\ntype: Opaque\ndata:\n"
            + data.map { "  \($0.0): \"\(b64($0.1))\"\n" }.joined()
    }

    static func rendered() -> String {
        let entry = ["harbor_registry_user", "$2y$10$" + Sample.string(53, from: Sample.alnum, seed: 7108)]
            .joined(separator: ":")
        return [
            "---\n# Source: harbor/templates/core/core-secret.yaml\n"
                + secret(
                    "harbor-core",
                    [
                        ("secretKey", values["secretKey"]!), ("secret", values["secret"]!),
                        ("HARBOR_ADMIN_PASSWORD", admin), ("POSTGRESQL_PASSWORD", database),
                        ("REGISTRY_CREDENTIAL_PASSWORD", registryPassword), ("CSRF_KEY", values["CSRF_KEY"]!),
                    ]),
            "---\n# Source: harbor/templates/database/database-secret.yaml\n"
                + secret("harbor-database", [("POSTGRES_PASSWORD", database)]),
            "---\n# Source: harbor/templates/jobservice/jobservice-secrets.yaml\n"
                + secret(
                    "harbor-jobservice",
                    [
                        ("JOBSERVICE_SECRET", values["JOBSERVICE_SECRET"]!),
                        ("REGISTRY_CREDENTIAL_PASSWORD", registryPassword),
                    ]),
            "---\n# Source: harbor/templates/registry/registry-secret.yaml\n"
                + secret("harbor-registry", [("REGISTRY_HTTP_SECRET", values["REGISTRY_HTTP_SECRET"]!)]),
            "---\n# Source: harbor/templates/registry/registry-secret.yaml\n"
                + secret("harbor-registry-htpasswd", [("REGISTRY_HTPASSWD", entry)]),
            "---\n# Source: harbor/templates/core/core-dpl.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                + "  name: harbor-core\n  namespace: \"harbor\"\nspec:\n  template:\n    metadata:\n      "
                + "annotations:\n"
                + "        checksum/secret: 5c5b1d3e\n    spec:\n      containers:\n        - name: core\n"
                + "          envFrom:\n            - secretRef:\n                name: harbor-core\n",
        ].joined()
    }

    @Test func everyComponentSecretMovesAndSharedValuesAreStoredOnce() throws {
        let target = MigrationPlanner.Target(
            storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
        let files = [MigrationFile(path: "harbor/rendered.yaml", bytes: Array(Self.rendered().utf8))]
        let plan = try MigrationPlanner.plan(files, target: target)
        #expect(
            plan.items.map(\.name) == [
                "harbor-core", "harbor-database", "harbor-jobservice", "harbor-registry", "harbor-registry-htpasswd",
            ], "\(plan.items.map { "\($0.action.rawValue) \($0.name)" })")
        #expect(plan.items.allSatisfy { $0.action == .externalSecret && $0.namespace == "harbor" })
        let database = try #require(plan.items.first { $0.name == "harbor-database" }?.values.first)
        #expect(database.sharedKey == "harbor/harbor-core" && database.property == "POSTGRESQL_PASSWORD")
        let jobservice = try #require(plan.items.first { $0.name == "harbor-jobservice" })
        #expect(jobservice.values.first { $0.key == "REGISTRY_CREDENTIAL_PASSWORD" }?.sharedKey == "harbor/harbor-core")
        let yaml = plan.yaml()
        for value in [Self.admin, Self.database, Self.registryPassword] + Self.values.values where !value.isEmpty {
            #expect(!yaml.contains(value) && !yaml.contains(Self.b64(value)))
        }

        let inventory = InventoryMerge(
            path: "eskit.yaml",
            bytes: Array("apiVersion: eskit/v1alpha1\nkind: Inventory\nsecrets: []\n".utf8), environments: ["home"])
        let prepared = try MigrationApplier.prepare(plan, files: files, inventory: inventory)
        let rest = String(
            decoding: try #require(prepared.files.first { $0.path == "harbor/rendered.yaml" }).bytes,
            as: UTF8.self)
        #expect(rest.hasPrefix("---\n# Source: harbor/templates/core/core-dpl.yaml\napiVersion: apps/v1\n"), "\(rest)")
        #expect(!rest.contains("kind: Secret") && rest.contains("kind: Deployment\n"))
        #expect(prepared.inventoryEntries.count == 5)
        for (path, bytes) in prepared.files {
            try Golden.check(
                String(decoding: bytes, as: UTF8.self),
                against: Fixtures.url("migrate/expected/rendered-" + path.replacingOccurrences(of: "/", with: "_")))
        }
        // Four remote keys hold the values (harbor-database reads harbor-core's); none is stored twice.
        #expect(prepared.remoteKeys.count == 4, "\(prepared.remoteKeys)")
    }
}
