import EskitCore
import EskitMigrate
import EskitProviders
import EskitYAML
import Foundation
import TestSupport
import Testing

/// The same migration as `MigrateEndToEndTests`, pushed to AWS Secrets Manager in a real moto_server: each remote
/// key becomes one secret holding a JSON object, every value hashes to the plaintext it replaced, and pushing
/// again writes nothing.
@Suite(.enabled(if: MotoServer.binary != nil, "moto_server is not installed (pip install 'moto[server]')"))
struct MigrateAWSTests {
    @Test func planApplyPushToSecretsManager() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let target = MigrationPlanner.Target(
            storeName: "aws", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
        let files = MigrateEndToEndTests.files()
        let plan = try MigrationPlanner.plan(files, target: target)
        let prepared = try MigrationApplier.prepare(plan, files: files)
        let block = YAMLNodeBuilder.mapping([("service", "SecretsManager"), ("region", "eu-west-1")])
        let factory = try #require(ProviderClients.factory(for: "aws"))
        let client = try factory.make(
            StoreBinding(name: "aws", kind: "ClusterSecretStore", family: "aws", block: block),
            credentials: CredentialSource(environment: [
                "AWS_ACCESS_KEY_ID": "test" + "ing", "AWS_SECRET_ACCESS_KEY": "test" + "ing",
                "AWS_ENDPOINT_URL": moto.url,
            ]), options: TransportOptions())
        let pushed = try await MigrationApplier.push(prepared, to: client, overwrite: false)
        #expect(pushed.count == prepared.remoteKeys.count && pushed.allSatisfy { $0.result == .created }, "\(pushed)")
        for item in plan.items where item.action != .manual {
            for v in item.values {
                let key = "home/" + (v.sharedKey ?? item.remoteKey!)
                let stored = try await client.get(RemoteKey(key))
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(stored.secret.revealedBytes)) as? [String: String])
                let value = try #require(object[v.property], "\(key)#\(v.property)")
                #expect(SHA256.hex(Array(value.utf8)) == v.secretHash, "\(item.name) \(v.key)")
            }
        }
        let again = try await MigrationApplier.push(prepared, to: client, overwrite: false)
        #expect(again.allSatisfy { $0.result == .unchanged })
        let calls = await client.callCounts
        #expect((calls["PutSecretValue"] ?? 0) == 0, "creates only, nothing rewritten: \(calls)")
    }
}

/// A small mapping of plain scalars for a store block.
enum YAMLNodeBuilder {
    static func mapping(_ pairs: [(String, String)]) -> EskitYAML.YAMLNode {
        .mapping(pairs.map { ($0.0, .scalar($0.1)) })
    }
}
