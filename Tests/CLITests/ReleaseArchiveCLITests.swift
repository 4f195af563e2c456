import Foundation
import TestSupport
import Testing

/// The release archive `make release` builds (`make test` builds it first and passes its folder in
/// ESKIT_RELEASE_DIR): checksummed, installable, and its binary runs outside the build tree with nothing but the
/// C library.
@Suite(.enabled(if: ReleaseFolder.url != nil, "ESKIT_RELEASE_DIR is not set (run `make test`)"))
struct ReleaseArchiveCLITests {
    static func archive() throws -> URL {
        let folder = try #require(ReleaseFolder.url)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("eskit-") && $0.hasSuffix(".tar.gz") }
        #expect(names.count == 1, "\(names)")
        return folder.appendingPathComponent(try #require(names.first))
    }

    @Test func theInstalledBinaryNeedsOnlyTheCLibraryAndWorks() throws {
        let archive = try Self.archive()
        let prefix = try Fixtures.temporaryFolder("eskit-prefix")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let install = try run(
            "/bin/sh",
            [
                Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path,
                archive.path, prefix.path,
            ], in: prefix)
        #expect(install.status == 0, "\(install.stderr)")
        let binary = prefix.appendingPathComponent("bin/eskit").path
        for path in [
            "share/man/man1/eskit.1", "share/bash-completion/completions/eskit", "share/doc/eskit/licenses",
            "share/doc/eskit/LICENSE",
        ] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), "\(path)")
        }

        let helper = prefix.appendingPathComponent("bin/eskit-providers").path
        for path in [binary, helper] {
            let ldd = try run("/usr/bin/ldd", [path])
            let allowed = ["linux-vdso", "ld-linux", "libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so"]
            for line in ldd.stdout.split(separator: "\n") {
                let text = line.trimmingCharacters(in: .whitespaces)
                #expect(allowed.contains { text.hasPrefix($0) || text.contains("/\($0)") }, "\(path) links \(text)")
            }
        }
        // The hook binary holds no network client; the helper beside it does.
        #expect(try ProviderHelperCLITests.linkedModules(URL(fileURLWithPath: binary)) == [])
        #expect(
            try ProviderHelperCLITests.linkedModules(URL(fileURLWithPath: helper))
                == ProviderHelperCLITests.networkModules)

        // From a folder outside the build tree, with an empty library path and no toolchain on PATH.
        let environment = ["LD_LIBRARY_PATH": "", "PATH": "/usr/bin:/bin", "HOME": prefix.path]
        let version = try run(binary, ["version"], in: prefix, environment: environment)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("eskit "))
        #expect(!version.stdout.contains("commit unknown"), "the release names its commit")
        let repo = try acmeRepository()
        try repo.commit("leak", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let scan = try run(
            binary, ["scan", "--history", "--no-progress", repo.root.path], in: prefix,
            environment: environment)
        #expect(scan.status == 1, "\(scan.stderr)")
        #expect(!scan.stdout.contains(TestSecrets.acmeA))
        // `eskit validate` runs in the installed eskit-providers, found beside the installed eskit.
        let (validate, values) = try ProviderHelperCLITests.offlineValidate(
            binary, in: prefix, environment: environment)
        #expect(validate.status == 1, "\(validate.stderr)")
        #expect(validate.stdout.contains("production/github/runner"))
        for value in values { #expect(!(validate.stdout + validate.stderr).contains(value)) }
    }

    @Test func aTamperedArchiveIsNotInstalled() throws {
        let archive = try Self.archive()
        let copy = try Fixtures.temporaryFolder("eskit-tamper")
        defer { try? FileManager.default.removeItem(at: copy) }
        var bytes = try Data(contentsOf: archive)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: copy.appendingPathComponent(archive.lastPathComponent))
        try FileManager.default.copyItem(
            at: archive.deletingLastPathComponent().appendingPathComponent("SHA256SUMS"),
            to: copy.appendingPathComponent("SHA256SUMS"))
        let prefix = copy.appendingPathComponent("prefix")
        let install = try run(
            "/bin/sh",
            [
                Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path,
                copy.appendingPathComponent(archive.lastPathComponent).path, prefix.path,
            ])
        #expect(install.status == 2)
        #expect(install.stderr.contains("checksum mismatch"))
        #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("bin/eskit").path))
    }
}

/// Where `make test` put the release archive.
enum ReleaseFolder {
    static var url: URL? {
        ProcessInfo.processInfo.environment["ESKIT_RELEASE_DIR"].map { URL(fileURLWithPath: $0) }
    }
}
