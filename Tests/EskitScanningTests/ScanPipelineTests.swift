import EskitCore
import EskitScanning
import Foundation
import TestSupport
import Testing

/// Scans driven through the library, without the command line: every mode, the ignore file and baselines.
@Suite struct ScanPipelineTests {
    /// Assembled at run time so the repository holds no token.
    static let tokenA = "acme_" + String(repeating: "k3m9", count: 8)
    static let tokenB = "acme_" + String(repeating: "p7q2", count: 8)
    static let config = """
        rules:
          - id: acme-token
            description: ACME API token
            severity: high
            pattern: 'acme_[a-z0-9]{32}'
            keywords: [acme_]

        """

    static func repository() throws -> GitRepoBuilder {
        let repo = try GitRepoBuilder()
        try repo.commit("config", files: [".eskit.yaml": config])
        try repo.commit("add a", files: ["app/a.env": "TOKEN=\(tokenA)\n"])
        try repo.commit("remove a", removing: ["app/a.env"])
        try repo.commit("add b", files: ["app/b.env": "TOKEN=\(tokenB)\n"])
        return repo
    }

    @Test func everyModeFindsWhatItShould() throws {
        let repo = try Self.repository()
        let root = repo.root.path
        let work = try ScanPipeline.run(ScanRequest(source: .workTree(path: root, untracked: false), workers: 2))
        #expect(work.findings.map(\.secret.sha256) == [SHA256.hex(Array(Self.tokenB.utf8))])
        let history = try ScanPipeline.run(ScanRequest(source: .history(path: root, selection: .all), workers: 2))
        #expect(
            Set(history.findings.map(\.secret.sha256))
                == Set([Self.tokenA, Self.tokenB].map { SHA256.hex(Array($0.utf8)) }))
        #expect(history.findings.allSatisfy { $0.commit != nil })
        #expect(history.summary.commits == 4)

        try repo.write("app/c.env", "TOKEN=\(Self.tokenA)\n")
        _ = try repo.git(["add", "app/c.env"])
        let staged = try ScanPipeline.run(ScanRequest(source: .staged(path: root), workers: 1))
        #expect(staged.findings.map(\.file) == ["app/c.env"])

        let stdin = try ScanPipeline.run(
            ScanRequest(
                source: .standardInput, configFile: root + "/.eskit.yaml",
                input: Array("x: \(Self.tokenB)\n".utf8)))
        #expect(stdin.findings.map(\.file) == ["-"])
    }

    @Test func baselinesAndIgnoreFilesSuppress() throws {
        let repo = try Self.repository()
        let root = repo.root.path
        let baseline = repo.root.appendingPathComponent("base.json").path
        let first = try ScanPipeline.run(
            ScanRequest(
                source: .history(path: root, selection: .all),
                baselineOut: baseline, workers: 2))
        #expect(first.findings.count == 2)
        let again = try ScanPipeline.run(
            ScanRequest(
                source: .history(path: root, selection: .all),
                baseline: baseline, workers: 2))
        #expect(again.findings.isEmpty)
        let ignore = repo.root.appendingPathComponent("ignore").path
        try (first.findings[0].fingerprint + "\n").write(toFile: ignore, atomically: true, encoding: .utf8)
        let ignored = try ScanPipeline.run(
            ScanRequest(
                source: .history(path: root, selection: .all),
                ignoreFile: ignore, workers: 2))
        #expect(ignored.findings.map(\.fingerprint) == [first.findings[1].fingerprint])
    }

    @Test func errorsAreOneEskitErrorWithoutValues() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: EskitError.self) {
            try ScanPipeline.run(ScanRequest(source: .history(path: folder.path, selection: .all)))
        }
        do {
            _ = try ScanPipeline.run(ScanRequest(source: .staged(path: folder.path)))
            Issue.record("a staged scan outside a repository must fail")
        } catch {
            #expect(error.kind == .usage)
            #expect(error.message.contains("--staged needs a git repository"))
        }
        let config = folder.appendingPathComponent("bad.yaml").path
        try "rules: [{id: x, pattern: '(', keywords: [\(Self.tokenA)]}]\n".write(
            toFile: config, atomically: true,
            encoding: .utf8)
        do {
            _ = try ScanPipeline.run(
                ScanRequest(
                    source: .workTree(path: folder.path, untracked: false),
                    configFile: config))
            Issue.record("a broken configuration must fail")
        } catch {
            #expect(error.kind == .input)
            #expect(!error.description.contains(Self.tokenA))
        }
    }
}
