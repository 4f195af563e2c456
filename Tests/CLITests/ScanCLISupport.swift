import Foundation
import TestSupport
import Testing

/// Test secrets, assembled at run time so the repository holds none of them.
enum TestSecrets {
    static let acmeA = "acme_" + String(repeating: "a1b2", count: 8)
    static let acmeB = "acme_" + String(repeating: "c3d4", count: 8)
    static let acmeC = "acme_" + String(repeating: "e5f6", count: 8)
    static let acmeD = "acme_" + String(repeating: "g7h8", count: 8)
    static let github = "ghp_" + String(repeating: "R4nd0mT0k3nV4lu3", count: 2) + "Zq9x"
    static let harborDefault = "Harbor" + "12345"
    static let ordersDB = "xK9m" + "Q2vL7pW4" + "zR8tY3nB"
    static let all = [acmeA, acmeB, acmeC, acmeD, github, ordersDB]

    /// A configuration with one custom rule, so mode tests do not depend on the built-in detector set.
    static let config = """
        rules:
          - id: acme-token
            description: ACME API token
            severity: high
            pattern: 'acme_[a-z0-9]{32}'
            keywords: [acme_]

        """
}

/// Runs the built `eskit` and checks that no raw test secret reaches stdout, stderr or a report file unless the
/// arguments include `--show-secrets`.
@discardableResult
func eskit(
    _ arguments: [String], in folder: URL? = nil, stdin: String? = nil, environment: [String: String] = [:],
    reports: [URL] = [], sourceLocation: SourceLocation = #_sourceLocation
) throws -> ProcessResult {
    let binary = Fixtures.eskitBinary.path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build eskit first (\(binary))")
    let result = try run(binary, arguments, in: folder, environment: environment, stdin: stdin)
    if !arguments.contains("--show-secrets") {
        var texts = [("stdout", result.stdout), ("stderr", result.stderr)]
        for url in reports {
            texts.append((url.lastPathComponent, (try? String(contentsOf: url, encoding: .utf8)) ?? ""))
        }
        for (name, text) in texts {
            for secret in TestSecrets.all + [TestSecrets.harborDefault] where text.contains(secret) {
                Issue.record(
                    "\(name) of eskit \(arguments.joined(separator: " ")) contains a raw test secret",
                    sourceLocation: sourceLocation)
            }
        }
    }
    return result
}

/// A temporary repository with the ACME rule configured at its root.
func acmeRepository() throws -> GitRepoBuilder {
    let repo = try GitRepoBuilder()
    try repo.commit("configure eskit", files: [".eskit.yaml": TestSecrets.config])
    return repo
}

/// Parses eskit's JSON report.
func jsonFindings(_ text: String) throws -> [[String: Any]] {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return try #require(root["findings"] as? [[String: Any]])
}

/// The `summary` object of eskit's JSON report.
func jsonSummary(_ text: String) throws -> [String: Any] {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return try #require(root["summary"] as? [String: Any])
}

/// `runs[0].properties` of eskit's SARIF report, nil when the run has none.
func sarifRunProperties(_ text: String) throws -> [String: Any]? {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let run = try #require((root["runs"] as? [[String: Any]])?.first)
    return run["properties"] as? [String: Any]
}
