import EskitCore
import EskitYAML
import Foundation
import Testing

@testable import EskitProviders

/// The azurekv, gcpsm and pulumi client factories: a store block as ESO writes it plus credentials from the
/// environment or the credentials file make a client that reads from the in-test servers; missing credentials say
/// what to set, never a value.
@Suite(.serialized)
struct AzureGCPPulumiClientFactoryTests {
    static let value = "fx-" + UUID().uuidString.prefix(12).lowercased()

    func store(_ family: String, _ yaml: String) throws -> StoreBinding {
        let root = try #require(try YAML.parse(yaml, file: "store.yaml").first?.root)
        return StoreBinding(name: "main", kind: "ClusterSecretStore", family: family, block: root)
    }

    func options() -> TransportOptions {
        var options = TransportOptions()
        options.maxRetries = 0
        options.timeout = .seconds(5)
        return options
    }

    @Test func azureServicePrincipalFromTheEnvironment() async throws {
        let fake = try await FakeAzure(issuerKey: try TestJWT.makeKey().publicKey)
        defer { Task { await fake.stop() } }
        fake.set("app", Self.value)
        let block = try store("azurekv", "vaultUrl: \(fake.url)\ntenantId: \(FakeAzure.tenant)\n")
        let environment = [
            "AZURE_CLIENT_ID": FakeAzure.clientID, "AZURE_CLIENT_SECRET": fake.clientSecret,
            "AZURE_AUTHORITY_HOST": fake.url,
        ]
        let client = try AzureClientFactory().make(
            block, credentials: CredentialSource(environment: environment), options: options())
        #expect(client.family == "azurekv")
        #expect(try await client.get(RemoteKey("app")).secret.revealed == Self.value)
        do {
            _ = try AzureClientFactory().make(
                block, credentials: CredentialSource(environment: [:]), options: options())
            Issue.record("no credentials must fail")
        } catch {
            guard case .authFailed(let detail) = error else { Issue.record("\(error)"); return }
            #expect(detail.contains("AZURE_CLIENT_ID"))
        }
        let managed = try store("azurekv", "vaultUrl: \(fake.url)\nauthType: ManagedIdentity\n")
        #expect(throws: ProviderError.self) {
            try AzureClientFactory().make(
                managed, credentials: CredentialSource(environment: ["AZURE_CLIENT_ID": "x"]), options: options())
        }
    }

    @Test func gcpServiceAccountKeyFromTheCredentialsFile() async throws {
        let fake = try await FakeGCP()
        defer { Task { await fake.stop() } }
        fake.add("app", Self.value)
        let block = try store("gcpsm", "projectID: \(FakeGCP.project)\n")
        let perStore = [
            "main": ["serviceAccountKey": String(decoding: fake.keyFile(), as: UTF8.self), "endpoint": fake.url]
        ]
        let client = try GCPClientFactory().make(
            block, credentials: CredentialSource(environment: [:], perStore: perStore), options: options())
        #expect(try await client.get(RemoteKey("app")).secret.revealed == Self.value)
        #expect(throws: ProviderError.self) {
            try GCPClientFactory().make(block, credentials: CredentialSource(environment: [:]), options: options())
        }
    }

    @Test func pulumiTokenFromTheEnvironment() async throws {
        let fake = try await FakePulumi()
        defer { Task { await fake.stop() } }
        fake.define("\(FakePulumi.org)/payments/prod", ["apiKey": Self.value])
        let block = try store(
            "pulumi",
            "apiUrl: \(fake.url)/api/esc\norganization: \(FakePulumi.org)\nproject: payments\nenvironment: prod\n")
        let client = try PulumiClientFactory().make(
            block, credentials: CredentialSource(environment: ["PULUMI_ACCESS_TOKEN": fake.token]), options: options())
        #expect(try await client.get(RemoteKey("apiKey")).secret.revealed == Self.value)
        #expect(throws: ProviderError.self) {
            try PulumiClientFactory().make(block, credentials: CredentialSource(environment: [:]), options: options())
        }
    }
}
