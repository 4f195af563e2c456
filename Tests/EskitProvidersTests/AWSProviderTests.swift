import EskitCore
import EskitYAML
import Foundation
import TestSupport
import Testing

@testable import EskitProviders

/// Starts a `moto_server` for the suite it is attached to and kills it when the suite ends; tests reach it through
/// `MotoServer.current`.
struct MotoScope: SuiteTrait, TestScoping {
    var authenticated = false

    func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try MotoServer(authenticated: authenticated)
        defer { server.stop() }
        try await MotoServer.$current.withValue(server) { try await function() }
    }
}

extension MotoServer {
    @TaskLocal static var current: MotoServer?
}

/// Shared by the moto suites: values built at run time, providers pointed at the suite's server.
enum AWSTestSupport {
    /// A value no error message may contain.
    static let value = "changeme-" + UUID().uuidString.prefix(12).lowercased()
    /// Keys moto accepts while authentication is off (any key works then).
    static let keys = AWSCredentials(accessKeyID: "AKID" + "MOTOTESTS", secretAccessKey: "changeme-" + "moto")

    static func server() throws -> MotoServer { try #require(MotoServer.current, "moto_server did not start") }

    static func options() -> TransportOptions {
        var options = TransportOptions()
        options.maxRetries = 1
        options.baseBackoff = .milliseconds(10)
        options.timeout = .seconds(10)
        return options
    }

    static func provider(
        _ service: AWSConfig.Service = .secretsManager, credentials: AWSCredentialSource? = nil,
        role: String? = nil, endpoint: String? = nil
    ) throws -> AWSProvider {
        let moto = try server()
        let config = AWSConfig(
            service: service, region: "us-east-1", role: role, endpoint: endpoint ?? moto.url, stsEndpoint: moto.url)
        return AWSProvider(
            config: config, credentials: credentials ?? .fixed(keys),
            transport: try AWSProvider.transport(options: options()))
    }

    /// A fresh name prefix for each test.
    static func prefix(_ name: String) -> String { "eskit-\(UUID().uuidString.prefix(8).lowercased())/\(name)" }

    /// Fails the test when `error` is not `expected` or shows the test value.
    static func check(
        _ error: ProviderError, is expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let name = "\(error)".prefix { $0 != "(" }
        switch error {
        case .notFound: #expect(expected == "notFound", "\(error)", sourceLocation: sourceLocation)
        case .deleted: #expect(expected == "deleted", "\(error)", sourceLocation: sourceLocation)
        case .permissionDenied: #expect(expected == "permissionDenied", "\(error)", sourceLocation: sourceLocation)
        case .authFailed: #expect(expected == "authFailed", "\(error)", sourceLocation: sourceLocation)
        case .unreachable: #expect(expected == "unreachable", "\(error)", sourceLocation: sourceLocation)
        case .conflict: #expect(expected == "conflict", "\(error)", sourceLocation: sourceLocation)
        default: Issue.record("expected \(expected), got \(name): \(error)", sourceLocation: sourceLocation)
        }
        #expect(!error.description.contains(value), "a value leaked", sourceLocation: sourceLocation)
        #expect(!String(reflecting: error).contains(value), "a value leaked", sourceLocation: sourceLocation)
    }

    /// The error `work` throws (nil and a recorded issue when it does not throw).
    static func failure<T>(
        _ work: () async throws(ProviderError) -> T, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async -> ProviderError? {
        do throws(ProviderError) {
            _ = try await work()
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

/// The aws provider against a real moto_server: Secrets Manager (versions and staging labels, BatchGetSecretValue
/// in calls of 20, ListSecrets filters, compare-before-write, scheduled deletion) and Parameter Store (GetParameters
/// in calls of 10, GetParametersByPath recursion and pages), web identity and AssumeRole through moto's STS, the
/// client factory, and an unreachable endpoint. No value ever appears in an error.
@Suite(
    .enabled(if: MotoServer.binary != nil, "moto_server is not installed (pip install 'moto[server]')"),
    MotoScope())
struct AWSProviderTests {
    typealias S = AWSTestSupport

    func createSecret(_ name: String, _ value: String, tags: [String: String] = [:]) throws -> [String: Any] {
        var body: [String: Any] = ["Name": name, "SecretString": value]
        if !tags.isEmpty { body["Tags"] = tags.map { ["Key": $0.key, "Value": $0.value] } }
        let reply = try S.server().json("secretsmanager", "secretsmanager.CreateSecret", body)
        #expect(reply.status == 200, "CreateSecret \(name)")
        return reply.json ?? [:]
    }

    func putParameter(_ name: String, _ value: String, overwrite: Bool = false, tags: [String: String] = [:]) throws {
        var body: [String: Any] = ["Name": name, "Value": value, "Type": "SecureString", "Overwrite": overwrite]
        if !tags.isEmpty { body["Tags"] = tags.map { ["Key": $0.key, "Value": $0.value] } }
        let reply = try S.server().json("ssm", "AmazonSSM.PutParameter", body)
        #expect(reply.status == 200, "PutParameter \(name)")
    }

    @Test func secretsManagerValuesVersionsAndStages() async throws {
        let key = S.prefix("db")
        func document(_ value: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: ["user": "app", "pw": value])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        let first = try createSecret(key, document("first"))
        let firstVersion = try #require(first["VersionId"] as? String)
        let second = try S.server().json(
            "secretsmanager", "secretsmanager.PutSecretValue",
            ["SecretId": key, "SecretString": document(S.value)])
        #expect(second.status == 200)
        let aws = try S.provider()
        let current = try await aws.get(RemoteKey(key))
        #expect(current.properties()?["pw"]?.revealed == S.value)
        #expect(current.version == second.json?["VersionId"] as? String)
        let previous = try await aws.get(RemoteKey(key, version: "AWSPREVIOUS"))
        #expect(previous.properties()?["pw"]?.revealed == "first")
        let byID = try await aws.get(RemoteKey(key, version: "uuid/\(firstVersion)"))
        #expect(byID.version == firstVersion)
        #expect(
            try await aws.get(RemoteKey(key, version: "AWSCURRENT")).secret.revealedBytes
                == current.secret.revealedBytes)
        if let error = await S.failure({ () async throws(ProviderError) in
            try await aws.get(RemoteKey(key, version: "uuid/\(UUID().uuidString.lowercased())"))
        }) {
            S.check(error, is: "notFound")
        }
        if let error = await S.failure({ () async throws(ProviderError) in
            try await aws.get(RemoteKey(key + "-missing"))
        }) {
            S.check(error, is: "notFound")
        }
        let metadata = try await aws.describe(key)
        #expect(metadata.deletedDate == nil && metadata.versionStages.count == 2)
        #expect(await aws.callCounts["GetSecretValue", default: 0] >= 5)
    }

    @Test func batchOf45IdsIsThreeBatchGetSecretValueCalls() async throws {
        let base = S.prefix("batch")
        for i in 0..<44 { _ = try createSecret("\(base)-\(i)", "v\(i)-\(S.value)") }
        let refs = (0..<45).map { RemoteKey("\(base)-\($0)") } + [RemoteKey("\(base)-3")]
        let aws = try S.provider()
        let results = await aws.getMany(refs)
        #expect(results.count == 45)
        for i in 0..<44 {
            #expect((try? results[RemoteKey("\(base)-\(i)")]?.get())?.secret.revealed == "v\(i)-\(S.value)")
        }
        guard case .failure(let error) = results[RemoteKey("\(base)-44")] else {
            Issue.record("the missing id must fail")
            return
        }
        S.check(error, is: "notFound")
        let counts = await aws.callCounts
        #expect(counts["BatchGetSecretValue"] == 3, "\(counts)")
        #expect(counts["GetSecretValue"] == nil, "\(counts)")
    }

    @Test func parameterStoreBatchOf25NamesIsThreeGetParametersCalls() async throws {
        let base = "/" + S.prefix("params")
        for i in 0..<24 { try putParameter("\(base)/p\(i)", "v\(i)-\(S.value)") }
        let aws = try S.provider(.parameterStore)
        let results = await aws.getMany((0..<25).map { RemoteKey("\(base)/p\($0)") })
        #expect(results.count == 25)
        #expect((try? results[RemoteKey("\(base)/p7")]?.get())?.secret.revealed == "v7-\(S.value)")
        #expect(results.values.filter { (try? $0.get()) != nil }.count == 24)
        guard case .failure(let error) = results[RemoteKey("\(base)/p24")] else {
            Issue.record("the missing name must fail")
            return
        }
        S.check(error, is: "notFound")
        let counts = await aws.callCounts
        #expect(counts["GetParameters"] == 3, "\(counts)")
        #expect(counts["GetParameter"] == nil, "\(counts)")
    }

    @Test func parameterStoreVersionsByPathRecursionAndPages() async throws {
        let base = "/" + S.prefix("app")
        try putParameter("\(base)/db", "first")
        try putParameter("\(base)/db", S.value, overwrite: true)
        for i in 0..<12 {
            try putParameter("\(base)/nested/deeper/k\(i)", "v\(i)", tags: i < 2 ? ["team": "payments"] : [:])
        }
        try putParameter("\(base)-sibling/x", "x")
        let aws = try S.provider(.parameterStore)
        #expect(try await aws.get(RemoteKey("\(base)/db")).secret.revealed == S.value)
        #expect(try await aws.get(RemoteKey("\(base)/db")).version == "2")
        #expect(try await aws.get(RemoteKey("\(base)/db", version: "1")).secret.revealed == "first")
        let names = try await aws.find(FindQuery(path: base))
        #expect(names.count == 13 && names.first == "\(base)/db", "\(names)")
        #expect(!names.contains("\(base)-sibling/x"))
        #expect(await aws.callCounts["GetParametersByPath"] == 2, "13 names, 10 a page")
        let filtered = try await aws.find(FindQuery(path: base, nameRegexp: "k1[01]$"))
        #expect(filtered == ["\(base)/nested/deeper/k10", "\(base)/nested/deeper/k11"])
        let tagged = try await aws.find(FindQuery(path: base, tags: ["team": "payments"]))
        #expect(tagged == ["\(base)/nested/deeper/k0", "\(base)/nested/deeper/k1"])
        #expect(await aws.callCounts["DescribeParameters", default: 0] >= 1)
        if let error = await S.failure({ () async throws(ProviderError) in try await aws.get(RemoteKey("\(base)/nope"))
        }) {
            S.check(error, is: "notFound")
        }
    }

    @Test func findSecretsByNamePrefixAndTags() async throws {
        let base = S.prefix("find")
        _ = try createSecret("\(base)/a", "a", tags: ["team": "payments", "env": "prod"])
        _ = try createSecret("\(base)/b", "b", tags: ["team": "payments", "env": "dev"])
        _ = try createSecret("\(base)/c", "c", tags: ["team": "search", "env": "prod"])
        let aws = try S.provider()
        #expect(try await aws.find(FindQuery(path: base)) == ["\(base)/a", "\(base)/b", "\(base)/c"])
        #expect(try await aws.find(FindQuery(path: base, tags: ["team": "payments"])) == ["\(base)/a", "\(base)/b"])
        #expect(try await aws.find(FindQuery(path: base, tags: ["team": "payments", "env": "prod"])) == ["\(base)/a"])
        #expect(try await aws.find(FindQuery(path: base, nameRegexp: "/[bc]$")) == ["\(base)/b", "\(base)/c"])
        #expect(await aws.callCounts["ListSecrets", default: 0] >= 4)
    }

    @Test func putComparesBeforeWriting() async throws {
        let key = S.prefix("put")
        let aws = try S.provider()
        #expect(try await aws.put(key, value: RedactedSecret(S.value), mode: .overwrite) == .created)
        let writes = { (counts: [String: Int]) in
            counts["CreateSecret", default: 0] + counts["PutSecretValue", default: 0]
        }
        let afterCreate = writes(await aws.callCounts)
        #expect(afterCreate == 1)
        #expect(try await aws.put(key, value: RedactedSecret(S.value), mode: .overwrite) == .unchanged)
        #expect(try await aws.put(key, value: RedactedSecret(S.value), mode: .createOnly) == .unchanged)
        #expect(writes(await aws.callCounts) == afterCreate, "an identical put must not write")
        if let error = await S.failure({ () async throws(ProviderError) in
            try await aws.put(key, value: RedactedSecret("other"), mode: .createOnly)
        }) {
            S.check(error, is: "conflict")
        }
        #expect(try await aws.put(key, value: RedactedSecret("other"), mode: .overwrite) == .updated)
        #expect(try await aws.get(RemoteKey(key)).secret.revealed == "other")
        #expect(try await aws.get(RemoteKey(key, version: "AWSPREVIOUS")).secret.revealed == S.value)
        let binary: [UInt8] = [0, 255, 1, 254]
        #expect(try await aws.put(key + "-bin", value: RedactedSecret(binary), mode: .overwrite) == .created)
        #expect(try await aws.get(RemoteKey(key + "-bin")).secret.revealedBytes == binary)

        let ssm = try S.provider(.parameterStore)
        let name = "/" + key
        #expect(try await ssm.put(name, value: RedactedSecret(S.value), mode: .overwrite) == .created)
        #expect(try await ssm.put(name, value: RedactedSecret(S.value), mode: .overwrite) == .unchanged)
        #expect(await ssm.callCounts["PutParameter"] == 1)
        #expect(try await ssm.put(name, value: RedactedSecret("other"), mode: .overwrite) == .updated)
        #expect(await ssm.callCounts["PutParameter"] == 2)
        #expect(try await ssm.get(RemoteKey(name)).secret.revealed == "other")
    }

    @Test func deleteThenGet() async throws {
        let key = S.prefix("gone")
        _ = try createSecret(key, S.value)
        let aws = try S.provider()
        try await aws.delete(key)
        if let error = await S.failure({ () async throws(ProviderError) in try await aws.get(RemoteKey(key)) }) {
            S.check(error, is: "deleted")
        }
        let batch = await aws.getMany([RemoteKey(key)])
        if case .failure(let error) = batch[RemoteKey(key)] {
            S.check(error, is: "deleted")
        } else {
            Issue.record("a deleted secret must fail in a batch too")
        }
        try await aws.delete(key)
        try await aws.delete(key + "-never-existed")
        #expect(try await aws.find(FindQuery(path: key)).isEmpty)

        let ssm = try S.provider(.parameterStore)
        let name = "/" + key
        try putParameter(name, S.value)
        try await ssm.delete(name)
        if let error = await S.failure({ () async throws(ProviderError) in try await ssm.get(RemoteKey(name)) }) {
            S.check(error, is: "notFound")
        }
        try await ssm.delete(name)
    }

    @Test func webIdentityThroughSTS() async throws {
        let moto = try S.server()
        let key = S.prefix("irsa")
        _ = try createSecret(key, S.value)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token").path
        try Data("eyJhbGciOiJub25lIn0.e30.".utf8).write(to: URL(fileURLWithPath: tokenFile))
        let role = "arn:aws:iam::\(MotoServer.account):role/eskit-irsa"
        let environment = [
            "AWS_ROLE_ARN": role, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ENDPOINT_URL": moto.url,
        ]
        let source = try AWSCredentialSource.fromEnvironment(environment)
        guard case .webIdentity(let roleARN, _, _) = source else {
            Issue.record("expected web identity, got \(source)")
            return
        }
        #expect(roleARN == role)
        let aws = try S.provider(credentials: source)
        for _ in 0..<3 { #expect(try await aws.get(RemoteKey(key)).secret.revealed == S.value) }
        try await aws.checkAccess(keys: [RemoteKey(key)])
        let identity = try await aws.callerIdentity()
        #expect(identity.contains("assumed-role/eskit-irsa"), "\(identity)")
        let counts = await aws.callCounts
        #expect(counts["AssumeRoleWithWebIdentity"] == 1, "\(counts)")
        #expect(counts["GetCallerIdentity"] == 2, "\(counts)")
    }

    @Test func storeRoleIsAssumedOnce() async throws {
        let key = S.prefix("role")
        _ = try createSecret(key, S.value)
        let role = "arn:aws:iam::\(MotoServer.account):role/eskit-reader"
        let aws = try S.provider(role: role)
        let values = await aws.getMany([RemoteKey(key), RemoteKey(key + "-missing")])
        #expect((try? values[RemoteKey(key)]?.get())?.secret.revealed == S.value)
        #expect(try await aws.get(RemoteKey(key)).secret.revealed == S.value)
        #expect(try await aws.callerIdentity().contains("assumed-role/eskit-reader"))
        #expect(await aws.callCounts["AssumeRole"] == 1)
    }

    @Test func clientFactoryReadsTheStoreBlockAndTheEnvironment() async throws {
        let moto = try S.server()
        let key = S.prefix("factory")
        _ = try createSecret(key, S.value)
        func store(_ yaml: String) throws -> StoreBinding {
            let root = try #require(try YAML.parse(yaml, file: "store.yaml").first?.root)
            return StoreBinding(name: "main", kind: "ClusterSecretStore", family: "aws", block: root)
        }
        let block = try store(
            """
            service: SecretsManager
            region: us-east-1
            auth:
              secretRef:
                accessKeyIDSecretRef: {name: aws, key: id}
                secretAccessKeySecretRef: {name: aws, key: secret}
            """)
        #expect(ProviderClients.factory(for: "aws") is AWSClientFactory)
        #expect(ProviderClients.all.map(\.family) == ["aws", "azurekv", "fake", "gcpsm", "pulumi", "vault"])
        let environment = [
            "AWS_ACCESS_KEY_ID": S.keys.accessKeyID, "AWS_SECRET_ACCESS_KEY": S.keys.secretAccessKey,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.url, "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        ]
        let client = try AWSClientFactory().make(
            block, credentials: CredentialSource(environment: environment), options: S.options())
        #expect(client.family == "aws")
        #expect(try await client.get(RemoteKey(key)).secret.revealed == S.value)
        do {
            _ = try AWSClientFactory().make(
                block, credentials: CredentialSource(environment: ["HOME": "/nonexistent"]), options: S.options())
            Issue.record("no credentials must fail")
        } catch {
            guard case .authFailed(let detail) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(detail.contains("AWS_ACCESS_KEY_ID") && detail.contains("ClusterSecretStore main"))
        }

        // Profiles: keys in the shared credentials file, a role with source_profile in the config file.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let credentialsFile = directory.appendingPathComponent("credentials").path
        let configFile = directory.appendingPathComponent("config").path
        try Data(
            """
            [base]
            aws_access_key_id = \(S.keys.accessKeyID)
            aws_secret_access_key = \(S.keys.secretAccessKey)
            """.utf8
        ).write(to: URL(fileURLWithPath: credentialsFile))
        try Data(
            """
            [profile reader]
            role_arn = arn:aws:iam::\(MotoServer.account):role/eskit-profile
            source_profile = base
            region = us-east-1
            """.utf8
        ).write(to: URL(fileURLWithPath: configFile))
        let ssmBlock = try store("service: ParameterStore\n")
        let profileEnvironment = [
            "AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "AWS_CONFIG_FILE": configFile,
            "AWS_PROFILE": "reader", "AWS_ENDPOINT_URL": moto.url,
        ]
        try putParameter("/" + key, S.value)
        let ssm = try AWSClientFactory().make(
            ssmBlock, credentials: CredentialSource(environment: profileEnvironment), options: S.options())
        #expect(try await ssm.get(RemoteKey("/" + key)).secret.revealed == S.value)
        #expect(await ssm.callCounts["AssumeRole"] == 1)
        var baseProfile = profileEnvironment
        baseProfile["AWS_PROFILE"] = "base"
        let direct = try AWSCredentialSource.fromEnvironment(baseProfile)
        guard case .fixed(let fixed) = direct else {
            Issue.record("expected the base profile's keys, got \(direct)")
            return
        }
        #expect(fixed.accessKeyID == S.keys.accessKeyID)

        // IRSA through the store's jwt auth and --sa-token: the store's role is the web identity's role.
        let tokenFile = directory.appendingPathComponent("sa-token").path
        try Data("eyJhbGciOiJub25lIn0.e30.".utf8).write(to: URL(fileURLWithPath: tokenFile))
        let jwtBlock = try store(
            """
            service: SecretsManager
            region: us-east-1
            role: arn:aws:iam::\(MotoServer.account):role/eskit-jwt
            auth:
              jwt:
                serviceAccountRef: {name: eso}
            """)
        let irsa = try AWSClientFactory().make(
            jwtBlock,
            credentials: CredentialSource(
                environment: ["AWS_ENDPOINT_URL": moto.url], serviceAccountTokenFile: tokenFile),
            options: S.options())
        #expect(try await irsa.get(RemoteKey(key)).secret.revealed == S.value)
        let irsaCounts = await irsa.callCounts
        #expect(irsaCounts["AssumeRoleWithWebIdentity"] == 1 && irsaCounts["AssumeRole"] == nil, "\(irsaCounts)")
    }

    @Test func unreachableEndpoint() async throws {
        let port = try OpenBaoServer.freePort()
        let moto = try S.server()
        var options = S.options()
        options.timeout = .seconds(2)
        options.maxRetries = 0
        let aws = AWSProvider(
            config: AWSConfig(
                service: .secretsManager, region: "us-east-1", endpoint: "http://127.0.0.1:\(port)",
                stsEndpoint: moto.url),
            credentials: .fixed(S.keys), transport: try AWSProvider.transport(options: options))
        if let error = await S.failure({ () async throws(ProviderError) in try await aws.get(RemoteKey("anything")) }) {
            S.check(error, is: "unreachable")
        }
        let results = await aws.getMany([RemoteKey("a"), RemoteKey("b")])
        for result in results.values {
            guard case .failure(let error) = result else {
                Issue.record("an unreachable endpoint must fail")
                continue
            }
            S.check(error, is: "unreachable")
        }
    }
}

/// The aws provider against a moto_server that enforces IAM: signed with an IAM user's key it reads, with a wrong
/// secret or an unknown key it fails with `.authFailed`, and a user without Secrets Manager permissions gets
/// `.permissionDenied`.
@Suite(
    .enabled(if: MotoServer.binary != nil, "moto_server is not installed (pip install 'moto[server]')"),
    MotoScope(authenticated: true), .serialized)
struct AWSAuthenticatedProviderTests {
    typealias S = AWSTestSupport

    /// Creates (while the server lets a few calls through unchecked) an IAM user whose policy allows Secrets Manager
    /// and GetCallerIdentity, one allowed only GetCallerIdentity, and a secret. Returns both users' keys.
    func setUp() throws -> (reader: AWSCredentials, outsider: AWSCredentials, key: String) {
        let moto = try S.server()
        let key = S.prefix("allowed")
        try moto.allowUnauthenticated(7)
        func user(_ actions: [String]) throws -> AWSCredentials {
            let name = "eskit-" + UUID().uuidString.prefix(8).lowercased()
            let create = try moto.query(
                "iam", [("Action", "CreateUser"), ("Version", "2010-05-08"), ("UserName", name)])
            #expect(create.status == 200)
            let reply = try moto.query(
                "iam", [("Action", "CreateAccessKey"), ("Version", "2010-05-08"), ("UserName", name)])
            let id = try #require(MotoServer.xml("AccessKeyId", in: reply.text))
            let secret = try #require(MotoServer.xml("SecretAccessKey", in: reply.text))
            let policy: [String: Any] = [
                "Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": actions, "Resource": "*"]],
            ]
            let document = String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self)
            let put = try moto.query(
                "iam",
                [
                    ("Action", "PutUserPolicy"), ("Version", "2010-05-08"), ("UserName", name),
                    ("PolicyName", "eskit"), ("PolicyDocument", document),
                ])
            #expect(put.status == 200)
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
        }
        let reader = try user(["secretsmanager:*", "sts:GetCallerIdentity"])
        let outsider = try user(["sts:GetCallerIdentity"])
        let reply = try moto.json(
            "secretsmanager", "secretsmanager.CreateSecret", ["Name": key, "SecretString": S.value])
        #expect(reply.status == 200)
        return (reader, outsider, key)
    }

    @Test func rightKeysReadWrongKeysFailOthersAreRefused() async throws {
        let (credentials, outsider, allowed) = try setUp()
        let aws = try S.provider(credentials: .fixed(credentials))
        #expect(try await aws.get(RemoteKey(allowed)).secret.revealed == S.value)
        #expect((try? await aws.getMany([RemoteKey(allowed)])[RemoteKey(allowed)]?.get())?.secret.revealed == S.value)
        try await aws.checkAccess(keys: [RemoteKey(allowed)])

        // Allowed to log in but not to read: refused per key, BatchGetSecretValue falling back to GetSecretValue.
        let refused = try S.provider(credentials: .fixed(outsider))
        try await refused.checkAccess(keys: [RemoteKey(allowed)])
        if let error = await S.failure({ () async throws(ProviderError) in try await refused.get(RemoteKey(allowed)) })
        {
            S.check(error, is: "permissionDenied")
        }
        if case .failure(let error) = await refused.getMany([RemoteKey(allowed)])[RemoteKey(allowed)] {
            S.check(error, is: "permissionDenied")
        } else {
            Issue.record("a refused key must fail in a batch too")
        }

        var wrongSecret = credentials
        wrongSecret.secretAccessKey = "changeme-" + "wrong"
        let wrong = try S.provider(credentials: .fixed(wrongSecret))
        if let error = await S.failure({ () async throws(ProviderError) in try await wrong.get(RemoteKey(allowed)) }) {
            S.check(error, is: "authFailed")
        }
        if let error = await S.failure({ () async throws(ProviderError) in
            try await wrong.checkAccess(keys: [RemoteKey(allowed)])
        }) {
            S.check(error, is: "authFailed")
        }
        let batch = await wrong.getMany([RemoteKey(allowed)])
        if case .failure(let error) = batch[RemoteKey(allowed)] {
            S.check(error, is: "authFailed")
        } else {
            Issue.record("a wrong secret must fail in a batch too")
        }

        let unknown = try S.provider(
            credentials: .fixed(AWSCredentials(accessKeyID: "AKID" + "UNKNOWN", secretAccessKey: "changeme")))
        if let error = await S.failure({ () async throws(ProviderError) in try await unknown.get(RemoteKey(allowed)) })
        {
            S.check(error, is: "authFailed")
        }
    }
}

/// AWS error replies (JSON `__type`, the `x-amzn-ErrorType` header, STS/IAM XML) map to the documented kinds, and
/// a message that echoes an input value is withheld.
struct AWSErrorMappingTests {
    func kind(_ status: Int, json: [String: Any]? = nil, xml: String? = nil, header: String? = nil) -> ProviderError {
        var body: [UInt8] = []
        if let json { body = Array((try? JSONSerialization.data(withJSONObject: json)) ?? Data()) }
        if let xml { body = Array(xml.utf8) }
        let headers = header.map { [("x-amzn-ErrorType", $0)] } ?? []
        return AWSFailure(HTTPResponse(status: status, headers: headers, body: body)).error("GetSecretValue", key: "k")
    }

    @Test func codesMapToKinds() {
        func json(_ code: String) -> [String: Any] {
            ["__type": "com.amazonaws.secretsmanager#\(code)", "message": "m"]
        }
        #expect({ if case .notFound = kind(400, json: json("ResourceNotFoundException")) { true } else { false } }())
        #expect({ if case .notFound = kind(400, json: ["__type": "ParameterNotFound"]) { true } else { false } }())
        #expect(
            { if case .permissionDenied = kind(400, json: json("AccessDeniedException")) { true } else { false } }())
        for code in ["UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException"] {
            #expect({ if case .authFailed = kind(400, json: json(code)) { true } else { false } }(), "\(code)")
        }
        let sts = "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>expired</Message></Error></ErrorResponse>"
        #expect({ if case .authFailed = kind(400, xml: sts) { true } else { false } }())
        #expect(
            {
                if case .authFailed = kind(403, header: "InvalidSignatureException:http://internal") {
                    true
                } else {
                    false
                }
            }())
        #expect({ if case .unreachable = kind(400, json: json("ThrottlingException")) { true } else { false } }())
        #expect({ if case .unreachable = kind(503) { true } else { false } }())
        #expect({ if case .protocolError = kind(400, json: json("ValidationException")) { true } else { false } }())
        let throttled = HTTPResponse(status: 400, body: Array(#"{"__type":"ThrottlingException"}"#.utf8))
        #expect(AWSProvider.retryable(throttled))
        #expect(
            !AWSProvider.retryable(
                HTTPResponse(status: 400, body: Array(#"{"__type":"ResourceNotFoundException"}"#.utf8))))
    }

    @Test func messagesThatEchoInputAreWithheld() {
        let value = AWSTestSupport.value
        let error = kind(
            400,
            json: [
                "__type": "ValidationException",
                "message":
                    "1 validation error detected: Value '\(value)' at 'secretString' failed to satisfy constraint",
            ])
        #expect(!error.description.contains(value))
        #expect(error.description.contains("withheld"))
    }
}
