import EskitCore
import Foundation
import Testing

@testable import EskitProviders

/// The offline file provider: YAML and JSON key maps, nested properties, missing keys, malformed files (one error
/// naming file:line:col), and no value in any error.
@Suite struct FileProviderTests {
    /// Test values, built at run time.
    static let password = "pw-" + UUID().uuidString.prefix(12).lowercased()
    static let token = "tk-" + UUID().uuidString.prefix(12).lowercased()

    /// Writes `text` to a fresh file named `name` and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The ProviderError `body` throws, checked to hold neither test value.
    func failure<T>(_ body: () async throws -> T) async -> ProviderError? {
        do {
            _ = try await body()
            Issue.record("expected a ProviderError")
            return nil
        } catch let error as ProviderError {
            #expect(!error.description.contains(Self.password), "a value leaked into: \(error)")
            #expect(!error.description.contains(Self.token), "a value leaked into: \(error)")
            return error
        } catch {
            Issue.record("not a ProviderError: \(error)")
            return nil
        }
    }

    func checkMap(_ provider: FileProvider) async throws {
        #expect(try await provider.get(RemoteKey("app/token")).secret.revealed == Self.token)
        let db = try await provider.get(RemoteKey("app/db"))
        let properties = try #require(db.properties())
        #expect(properties["password"]?.revealed == Self.password)
        #expect(properties["port"]?.revealed == "5432")
        // Nested objects and lists come back as their JSON text, as ESO gives them.
        #expect(properties["replica"]?.revealed == #"{"host":"db-2","port":"5433"}"#)
        #expect(properties["hosts"]?.revealed == #"["db-1","db-2"]"#)
        #expect(try await provider.find(FindQuery(path: "app/")) == ["app/db", "app/token"])
        #expect(try await provider.find(FindQuery(nameRegexp: "t.ken$")) == ["app/token"])
        guard case .notFound(let key, let detail) = await failure({ try await provider.get(RemoteKey("app/nope")) })
        else {
            Issue.record("a missing key is notFound")
            return
        }
        #expect(key == "app/nope")
        #expect(detail.hasPrefix("not in /"))
        guard case .notFound = await failure({ try await provider.get(RemoteKey("app/token", version: "2")) }) else {
            Issue.record("the file keeps no versions")
            return
        }
        let many = await provider.getMany([RemoteKey("app/token"), RemoteKey("app/nope")])
        #expect(try many[RemoteKey("app/token")]?.get().secret.revealed == Self.token)
        guard case .failure(.notFound) = many[RemoteKey("app/nope")] else {
            Issue.record("getMany: a missing key is notFound on its own")
            return
        }
    }

    @Test func aYAMLMapWithNestedProperties() async throws {
        let path = try file(
            "secrets.yaml",
            """
            # offline values for CI
            app/token: \(Self.token)
            app/db:
              password: \(Self.password)
              port: 5432
              replica: {host: db-2, port: 5433}
              hosts: [db-1, db-2]
            """)
        try await checkMap(try FileProvider(path: path))
    }

    @Test func aJSONMapWithNestedProperties() async throws {
        let object: [String: Any] = [
            "app/token": Self.token,
            "app/db": [
                "password": Self.password, "port": "5432", "replica": ["host": "db-2", "port": "5433"],
                "hosts": ["db-1", "db-2"],
            ],
        ]
        let path = try file(
            "secrets.json",
            String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self))
        try await checkMap(try FileProvider(path: path))
    }

    @Test func putRewritesTheFileAndReadsBack() async throws {
        let path = try file("secrets.yaml", "app/token: \(Self.token)\n")
        let provider = try FileProvider(path: path)
        #expect(try await provider.put("app/token", value: RedactedSecret(Self.token), mode: .createOnly) == .unchanged)
        guard
            case .conflict = await failure({
                try await provider.put("app/token", value: RedactedSecret(Self.password), mode: .createOnly)
            })
        else {
            Issue.record("createOnly over a different value is a conflict")
            return
        }
        #expect(try await provider.put("app/new", value: RedactedSecret(Self.password), mode: .createOnly) == .created)
        let reread = try FileProvider(path: path)
        #expect(try await reread.get(RemoteKey("app/new")).secret.revealed == Self.password)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await reread.delete("app/new")
        guard case .notFound = await failure({ try await FileProvider(path: path).get(RemoteKey("app/new")) }) else {
            Issue.record("a deleted key is gone from the file")
            return
        }
    }

    /// A malformed file (`{pw}` / `{tk}` stand for the test values, filled in at run time so that no value is a
    /// test argument), the position its error must name, and the file's name.
    @Test(arguments: [
        ("broken.yaml", "app/token: {tk}\napp/db:\n  password: [{pw}\n  port: 1\n", "4:7"),
        ("broken.json", "{\n  \"app/token\": \"{tk}\",\n  \"app/db\" \"{pw}\"\n}\n", "3:12"),
        ("list.yaml", "\n- {tk}\n- {pw}\n", "2:1"),
        ("keys.yaml", "? [a, b]\n: {pw}\n", "1:3"),
    ])
    func aMalformedFileIsOneErrorNamingFileLineAndColumn(name: String, text: String, position: String) async throws {
        let text = text.replacingOccurrences(of: "{pw}", with: Self.password)
            .replacingOccurrences(of: "{tk}", with: Self.token)
        let path = try file(name, text)
        guard case .invalidConfiguration(let detail) = await failure({ try FileProvider(path: path) }) else {
            Issue.record("\(name): a malformed file is invalidConfiguration")
            return
        }
        #expect(detail.hasPrefix("\(path):\(position): "), "\(detail)")
        #expect(!detail.contains("\n"))
    }

    @Test func aMissingFileAndAnEmptyFile() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-\(UUID().uuidString).yaml")
        guard case .invalidConfiguration(let detail) = await failure({ try FileProvider(path: missing.path) }) else {
            Issue.record("a missing file is invalidConfiguration")
            return
        }
        #expect(detail.contains(missing.path))
        let empty = try FileProvider(path: try file("empty.yaml", "# nothing yet\n"))
        guard case .notFound = await failure({ try await empty.get(RemoteKey("app/token")) }) else {
            Issue.record("an empty file has no keys")
            return
        }
    }
}
