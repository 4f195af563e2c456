import Foundation
import TestSupport
import Testing

/// `eskit` parses `validate` and `migrate` and becomes `eskit-providers` to run them, so the binary hooks and CI
/// scans start holds no network client. What a user sees must not change: same help, same errors, same exit
/// statuses; and when the helper is missing, one line saying what to install.
@Suite struct ProviderHelperCLITests {
    static let networkModules = ["AsyncHTTPClient", "NIOPosix", "NIOSSL", "CNIOBoringSSL"]

    /// The module names Swift's type metadata spells out in a binary that links them.
    static func linkedModules(_ binary: URL) throws -> [String] {
        let bytes = try Data(contentsOf: binary)
        return networkModules.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    @Test func theBinaryHooksRunHoldsNoNetworkClientAndTheHelperDoes() throws {
        #expect(try Self.linkedModules(Fixtures.eskitBinary) == [])
        // The check sees what it forbids: the helper links every one of them.
        #expect(try Self.linkedModules(Fixtures.providersBinary) == Self.networkModules)
    }

    @Test func helpIsDeclaredOnceAndReadsTheSameFromBothBinaries() throws {
        for command in [
            ["validate"], ["migrate"], ["migrate", "plan"], ["migrate", "apply"], ["migrate", "history"],
        ] {
            let viaEskit = try run(Fixtures.eskitBinary.path, command + ["--help"])
            let direct = try run(Fixtures.providersBinary.path, command + ["--help"])
            #expect(viaEskit.status == 0 && direct.status == 0)
            #expect(viaEskit.stdout == direct.stdout, "\(command)")
            #expect(viaEskit.stdout.contains("USAGE: eskit \(command.joined(separator: " "))"))
        }
    }

    /// A folder holding a copy of `eskit` alone, and an environment whose PATH has no `eskit-providers`.
    static func lonelyEskit() throws -> (eskit: String, folder: URL, environment: [String: String]) {
        let folder = try Fixtures.temporaryFolder("eskit-alone")
        let copy = folder.appendingPathComponent("eskit")
        try FileManager.default.copyItem(at: Fixtures.eskitBinary, to: copy)
        return (copy.path, folder, ["PATH": "/usr/bin:/bin", "ESKIT_PROVIDERS": ""])
    }

    @Test func withoutTheHelperTheProviderCommandsSayWhatToInstall() throws {
        let (eskit, folder, environment) = try Self.lonelyEskit()
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in [["validate"], ["migrate", "plan"], ["migrate", "history", "--validate"]] {
            let result = try run(eskit, command, in: folder, environment: environment)
            #expect(result.status == 2, "\(command)")
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("eskit: `eskit \(command[0])` runs eskit-providers"))
            #expect(result.stderr.contains("neither beside eskit (\(eskit)) nor on PATH"))
            #expect(result.stderr.contains("scripts/install.sh installs both"))
        }
        // Usage errors are still found by eskit itself, before it looks for the helper.
        let usage = try run(eskit, ["validate", "--timeout", "0"], in: folder, environment: environment)
        #expect(usage.status == 2)
        #expect(usage.stderr == "eskit: --timeout must be at least 1 second (see 'eskit validate --help')\n")
        // Other commands never need it.
        #expect(try run(eskit, ["version"], in: folder, environment: environment).status == 0)
    }

    /// Production's references answered by a local map that lacks one key: exit 1 naming it, no value printed.
    static func offlineValidate(
        _ eskit: String, in folder: URL, environment: [String: String]
    ) throws -> (result: ProcessResult, values: [String]) {
        let values = (0..<4).map { _ in "v-" + UUID().uuidString }
        let offline = folder.appendingPathComponent("offline.yaml")
        try """
        production/harbor/admin:
          password: \(values[0])
          username: app
        production/shop/db:
          password: \(values[1])
          username: app
        staging/harbor/admin: {password: \(values[2]), username: app}
        staging/shop/db: {password: \(values[3]), username: app}
        """.write(to: offline, atomically: true, encoding: .utf8)
        let inventory = Fixtures.packageRoot.appendingPathComponent("fixtures/demo/eskit.yaml").path
        let result = try run(
            eskit, ["validate", "-f", inventory, "--env", "production", "--offline", offline.path], in: folder,
            environment: environment)
        return (result, values)
    }

    @Test func eskitFindsTheHelperBesideItselfThroughASymlinkOnPathOrFromTheEnvironment() throws {
        let (eskit, folder, environment) = try Self.lonelyEskit()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A link to the built eskit (as package managers install it): the helper beside the link's target.
        let links = folder.appendingPathComponent("links")
        try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: links.appendingPathComponent("eskit").path, withDestinationPath: Fixtures.eskitBinary.path)
        let helperFolder = Fixtures.providersBinary.deletingLastPathComponent().path
        let ways: [(String, [String: String])] = [
            (links.appendingPathComponent("eskit").path, environment),
            (eskit, ["PATH": helperFolder + ":/usr/bin:/bin", "ESKIT_PROVIDERS": ""]),
            (eskit, ["PATH": "/usr/bin:/bin", "ESKIT_PROVIDERS": Fixtures.providersBinary.path]),
        ]
        for (binary, env) in ways {
            let (result, values) = try Self.offlineValidate(binary, in: folder, environment: env)
            #expect(result.status == 1, "\(binary) \(env): \(result.stderr)")
            #expect(result.stdout.contains("production/github/runner"), "\(result.stdout)")
            for value in values { #expect(!(result.stdout + result.stderr).contains(value)) }
        }
        // ESKIT_PROVIDERS names something that cannot run: said so, nothing else tried.
        let wrong = try run(
            eskit, ["validate"], in: folder, environment: ["PATH": helperFolder, "ESKIT_PROVIDERS": folder.path])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("ESKIT_PROVIDERS=\(folder.path) is not an executable file"), "\(wrong.stderr)")
    }

    @Test func aHelperOfAnotherVersionRefusesToRun() throws {
        let result = try run(
            Fixtures.providersBinary.path, ["validate"], environment: ["ESKIT_CALLER_VERSION": "0.0.0-other"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("was started by eskit 0.0.0-other"), "\(result.stderr)")
        #expect(result.stderr.contains("must be of one version"))
    }
}
