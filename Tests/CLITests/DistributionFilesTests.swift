import Foundation
import TestSupport
import Testing

/// The container recipe (`Dockerfile`, `.dockerignore`) and the licence: the promises the image makes (two stages,
/// the static release binary on a minimal base, git and CA certificates, a non-root numeric user, `eskit` as the
/// entrypoint, OCI labels, no secrets) checked on the files; the image itself is built when a container engine
/// runs here.
@Suite struct DistributionFilesTests {
    static let root = Fixtures.packageRoot

    /// One Dockerfile instruction: keyword (upper-cased), its arguments (continuation lines joined) and its stage
    /// (0-based; -1 before the first FROM).
    struct Instruction {
        var keyword: String
        var arguments: String
        var stage: Int
    }

    static func dockerfile() throws -> [Instruction] {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        var instructions: [Instruction] = []
        var stage = -1
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            guard !full.isEmpty else { continue }
            let keyword = String(full.prefix { !$0.isWhitespace }).uppercased()
            let arguments = full.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
            if keyword == "FROM" { stage += 1 }
            instructions.append(Instruction(keyword: keyword, arguments: arguments, stage: stage))
        }
        return instructions
    }

    /// `ARG NAME=default` values declared before the first FROM (global build arguments).
    static func globalArguments(_ instructions: [Instruction]) -> [String: String] {
        var out: [String: String] = [:]
        for i in instructions where i.stage == -1 && i.keyword == "ARG" {
            let parts = i.arguments.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }

    static func finalStage(_ instructions: [Instruction]) -> [Instruction] {
        let last = instructions.map(\.stage).max() ?? 0
        return instructions.filter { $0.stage == last }
    }

    @Test func twoStagesTheReleaseBuilderAndAMinimalBase() throws {
        let instructions = try Self.dockerfile()
        let arguments = Self.globalArguments(instructions)
        let froms = instructions.filter { $0.keyword == "FROM" }
        #expect(froms.count == 2, "\(froms.map(\.arguments))")
        #expect(froms.first?.arguments == "${SWIFT_IMAGE} AS build")
        #expect(arguments["SWIFT_IMAGE"]?.hasPrefix("swift:6.") == true)
        #expect(arguments["SWIFT_IMAGE"]?.hasSuffix("-bookworm") == true, "the Debian 12 the release links against")
        #expect(froms.last?.arguments == "${BASE_IMAGE}")
        #expect(arguments["BASE_IMAGE"] == "debian:12-slim")

        // The builder runs the release script and installs the checksummed archive into /opt/eskit.
        let build = instructions.filter { $0.stage == 0 && $0.keyword == "RUN" }.map(\.arguments).joined(
            separator: "\n")
        #expect(build.contains("bash scripts/release.sh /dist"))
        #expect(build.contains("sh scripts/install.sh /dist/eskit-*-linux-*.tar.gz /opt/eskit"))
        for package in ["libgit2-dev", "libyaml-dev", "zlib1g-dev", "libssl-dev", "libssh2-1-dev", "python3"] {
            #expect(build.contains(package), "the builder installs \(package) (Makefile release dependencies)")
        }

        // The image: git and CA certificates from apt, nothing of the toolchain.
        let final = Self.finalStage(instructions)
        let setup = final.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: "\n")
        #expect(setup.contains("--no-install-recommends git ca-certificates"))
        #expect(setup.contains("rm -rf /var/lib/apt/lists/*"))
        #expect(!final.contains { $0.arguments.contains("swift") })
        let copies = final.filter { $0.keyword == "COPY" }.map(\.arguments)
        #expect(copies.allSatisfy { $0.hasPrefix("--from=build /opt/eskit/") }, "\(copies)")
        #expect(copies.contains("--from=build /opt/eskit/bin/eskit /usr/local/bin/eskit"))
        // `eskit validate` / `migrate` run in eskit-providers, found beside eskit.
        #expect(copies.contains("--from=build /opt/eskit/bin/eskit-providers /usr/local/bin/eskit-providers"))
    }

    @Test func theImageRunsAsANumericNonRootUserWithEskitAsEntrypoint() throws {
        let final = Self.finalStage(try Self.dockerfile())
        let users = final.filter { $0.keyword == "USER" }
        let user = try #require(users.last?.arguments)
        let ids = user.split(separator: ":").compactMap { Int($0) }
        #expect(ids.count == 2 && ids.allSatisfy { $0 >= 1000 }, "USER \(user): numeric uid:gid, not root")
        let setup = final.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: "\n")
        #expect(setup.contains("useradd --system --uid \(ids.first ?? -1) --gid \(ids.last ?? -1) "))
        #expect(setup.contains("groupadd --system --gid \(ids.last ?? -1) "))
        let userIndex = try #require(final.lastIndex { $0.keyword == "USER" })
        #expect(
            !final[userIndex...].contains { $0.keyword == "RUN" || $0.keyword == "COPY" },
            "nothing runs or is copied as root after USER")
        #expect(final.last { $0.keyword == "ENTRYPOINT" }?.arguments == "[\"eskit\"]")
        #expect(final.last { $0.keyword == "CMD" }?.arguments == "[\"check\"]")
        #expect(final.last { $0.keyword == "WORKDIR" }?.arguments == "/repo")
    }

    @Test func labelsNameTheSourceTheLicenceAndTheVersionEskitPrints() throws {
        let instructions = try Self.dockerfile()
        let final = Self.finalStage(instructions)
        let labels = final.filter { $0.keyword == "LABEL" }.map(\.arguments).joined(separator: " ")
        #expect(labels.contains("org.opencontainers.image.source=\"https://github.com/eskit-project/eskit\""))
        #expect(labels.contains("org.opencontainers.image.licenses=\"Apache-2.0\""))
        #expect(labels.contains("org.opencontainers.image.version=\"${ESKIT_VERSION}\""))
        #expect(labels.contains("org.opencontainers.image.revision=\"${ESKIT_COMMIT}\""))
        let versionArgument = try #require(
            final.first { $0.keyword == "ARG" && $0.arguments.hasPrefix("ESKIT_VERSION=") }?.arguments)
        let printed = try eskit(["version"]).stdout
        let version = try #require(printed.split(separator: " ").dropFirst().first.map(String.init))
        #expect(versionArgument == "ESKIT_VERSION=\(version)", "bump the Dockerfile's version with EskitVersion")

        let license = try String(contentsOf: Self.root.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(license.contains("Apache License\n                           Version 2.0, January 2004"))
        #expect(license.contains("END OF TERMS AND CONDITIONS"), "the full text")
        let release = try String(contentsOf: Self.root.appendingPathComponent("scripts/release.sh"), encoding: .utf8)
        #expect(release.contains("cp \"$root/README.md\" \"$root/LICENSE\" \"$pkg/\""), "the archive packs it")
    }

    @Test func noSecretInTheRecipeAndNothingBuiltInTheContext() throws {
        let instructions = try Self.dockerfile()
        for i in instructions where i.keyword == "ENV" || i.keyword == "ARG" {
            let name = i.arguments.split(separator: "=").first.map(String.init) ?? ""
            for word in ["TOKEN", "PASSWORD", "SECRET", "KEY", "CREDENTIAL"] {
                #expect(!name.uppercased().contains(word), "\(i.keyword) \(name): secrets do not belong in an image")
            }
        }
        let scan = try eskit(["scan", "--no-progress", "Dockerfile", ".dockerignore", "action.yml"], in: Self.root)
        #expect(scan.status == 0, "\(scan.stdout)\(scan.stderr)")
        let ignore = try String(contentsOf: Self.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
        let patterns = Set(ignore.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
        for pattern in [".git", ".build", "dist"] {
            #expect(patterns.contains(pattern), ".dockerignore leaves out \(pattern)")
        }
    }

    /// The paths the image copies out of the builder are where scripts/install.sh puts the release archive's files.
    @Test(.enabled(if: ReleaseFolder.url != nil, "ESKIT_RELEASE_DIR is not set (run `make test`)"))
    func theCopiedPathsAreWhatTheReleaseArchiveInstalls() throws {
        let archive = try ReleaseArchiveCLITests.archive()
        let prefix = try Fixtures.temporaryFolder("eskit-opt")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let install = try run(
            "/bin/sh", [Self.root.appendingPathComponent("scripts/install.sh").path, archive.path, prefix.path])
        #expect(install.status == 0, "\(install.stderr)")
        let copies = Self.finalStage(try Self.dockerfile()).filter { $0.keyword == "COPY" }
        #expect(copies.count >= 2)
        for copy in copies {
            let source = try #require(copy.arguments.split(separator: " ").dropFirst().first.map(String.init))
            let local = prefix.path + source.dropFirst("/opt/eskit".count)
            #expect(FileManager.default.fileExists(atPath: local), "\(source) is not in the installed release")
        }
        #expect(FileManager.default.fileExists(atPath: prefix.path + "/share/doc/eskit/LICENSE"))
        let version = try run(prefix.path + "/bin/eskit", ["version"], environment: ["LD_LIBRARY_PATH": ""])
        #expect(version.status == 0)
    }

    /// A container engine whose daemon answers, or nil.
    static let engine: String? = {
        for name in ["docker", "podman"] {
            if let path = OptionalTools.executable(name), (try? run(path, ["info"]))?.status == 0 { return path }
        }
        return nil
    }()

    @Test(.enabled(if: engine != nil, "no docker or podman daemon answers here (`docker info` fails)"))
    func theImageBuildsRunsAsNonRootAndScansAMountedRepository() throws {
        let engine = try #require(Self.engine)
        let tag = "eskit-test:\(UUID().uuidString.prefix(8).lowercased())"
        let build = try run(engine, ["build", "--build-arg", "ESKIT_COMMIT=000000000000", "-t", tag, Self.root.path])
        #expect(build.status == 0, "\(build.stderr)")
        defer { _ = try? run(engine, ["rmi", "-f", tag]) }
        let version = try run(engine, ["run", "--rm", tag, "version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("eskit "), "\(version.stderr)")
        let uid = try run(engine, ["run", "--rm", "--entrypoint", "id", tag, "-u"])
        #expect(uid.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10001")
        let repo = try acmeRepository()
        try repo.commit("leak", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let scan = try run(
            engine, ["run", "--rm", "-v", "\(repo.root.path):/repo:ro", tag, "scan", "--history", "--no-progress"])
        #expect(scan.status == 1, "\(scan.stderr)")
        #expect(scan.stdout.contains("a.yaml"))
        #expect(!scan.stdout.contains(TestSecrets.acmeA) && !scan.stderr.contains(TestSecrets.acmeA))
    }
}
