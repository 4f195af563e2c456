import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// The CI files `eskit init --ci` writes, read as YAML: what each job runs, what it pins and what it keeps.
@Suite struct CITemplatesTests {
    static let release = StarterFiles.Release(
        version: "1.4.2", sha256: String(repeating: "0123456789abcdef", count: 4))!

    private func root(_ ci: StarterFiles.CI) throws -> YAMLNode {
        let text = try #require(StarterFiles.ciFile(ci, release: Self.release))
        #expect(!text.contains("@ESKIT_"), "a placeholder was left in")
        return try #require(try YAML.parse(text, file: ci.path ?? "-").first?.root)
    }

    private func strings(_ node: YAMLNode?) -> [String] { node?.items?.compactMap(\.scalarValue) ?? [] }

    @Test func theWorkflowPinsEveryActionByCommitWithItsTagBeside() throws {
        let text = try #require(StarterFiles.ciFile(.github, release: Self.release))
        let uses = text.split(separator: "\n").filter { $0.contains("uses:") }
        #expect(uses.count >= 2)
        for line in uses {
            let pinned = line.range(
                of: #"uses: [a-z0-9-]+/[a-z0-9-]+(/[a-z0-9-]+)?@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$"#,
                options: .regularExpression)
            #expect(pinned != nil, "not pinned by commit with its tag: \(line)")
        }
        #expect(uses.contains { $0.contains("github/codeql-action/upload-sarif@") && $0.hasSuffix("# v4.36.2") })
        #expect(uses.contains { $0.contains("actions/checkout@") })
    }

    @Test func theWorkflowScansThePullRequestsCommitsAndTheWholeHistoryOnASchedule() throws {
        let workflow = try root(.github)
        let on = try #require(workflow["on"])
        #expect(on["pull_request"] != nil)
        #expect(on["schedule"]?.items?.first?["cron"]?.scalarValue != nil)
        let job = try #require(workflow["jobs"]?["eskit"])
        #expect(Int(job["timeout-minutes"]?.scalarValue ?? "") ?? 0 > 0)
        let permissions = try #require(job["permissions"]?.pairs)
        #expect(
            permissions.map { "\($0.key.scalarValue ?? ""): \($0.value.scalarValue ?? "")" }
                == ["contents: read", "security-events: write", "actions: read"])
        #expect(workflow["permissions"]?["contents"]?.scalarValue == "read")
        #expect(job["env"]?["ESKIT_VERSION"]?.scalarValue == "1.4.2")
        #expect(job["env"]?["ESKIT_SHA256"]?.scalarValue == Self.release.sha256)
        let steps = try #require(job["steps"]?.items)
        func step(_ condition: String) -> YAMLNode? { steps.first { $0["if"]?.scalarValue == condition } }
        let pr = try #require(step("github.event_name == 'pull_request'"))
        #expect(
            pr["run"]?.scalarValue == #"eskit scan --range "$BASE_SHA..$HEAD_SHA" --format sarif --output eskit.sarif"#)
        #expect(pr["env"]?["BASE_SHA"]?.scalarValue == "${{ github.event.pull_request.base.sha }}")
        #expect(pr["env"]?["HEAD_SHA"]?.scalarValue == "${{ github.event.pull_request.head.sha }}")
        let scheduled = try #require(
            step("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"))
        #expect(scheduled["run"]?.scalarValue == "eskit scan --history --format sarif --output eskit.sarif")
        // The checkout keeps the history (the range and the history need it) and no credentials.
        let checkout = try #require(steps.first { $0["uses"]?.scalarValue?.hasPrefix("actions/checkout@") == true })
        #expect(checkout["with"]?["fetch-depth"]?.scalarValue == "0")
        #expect(checkout["with"]?["persist-credentials"]?.scalarValue == "false")
    }

    /// eskit comes from the pinned release archive, checked against its SHA-256 before it is unpacked: no clone, no
    /// Swift build.
    @Test(arguments: [StarterFiles.CI.github, .gitlab])
    func eskitIsInstalledFromThePinnedArchive(_ ci: StarterFiles.CI) throws {
        let text = try #require(StarterFiles.ciFile(ci, release: Self.release))
        for banned in ["swift build", "git clone", "apt-get"] { #expect(!text.contains(banned), "\(ci): \(banned)") }
        let check = try #require(text.range(of: "| sha256sum -c -"))
        let unpack = try #require(text.range(of: "tar -xzf"))
        #expect(check.lowerBound < unpack.lowerBound, "the archive is checked before it is unpacked")
        #expect(text.contains(#"archive="eskit-${ESKIT_VERSION}-linux-x86_64.tar.gz""#))
        #expect(text.contains(#""$ESKIT_DOWNLOAD/v$ESKIT_VERSION/$archive""#))
        #expect(text.contains("ESKIT_DOWNLOAD: https://github.com/eskit-project/eskit/releases/download\n"))
    }

    @Test func theGitLabJobWritesASecretDetectionReport() throws {
        let root = try root(.gitlab)
        #expect(root.pairs?.map { $0.key.scalarValue } == ["eskit-secret-detection"])
        let job = try #require(root["eskit-secret-detection"])
        #expect(job["stage"]?.scalarValue == "test")
        #expect(job["image"]?.scalarValue?.isEmpty == false)
        #expect(job["variables"]?["ESKIT_VERSION"]?.scalarValue == "1.4.2")
        #expect(job["variables"]?["ESKIT_SHA256"]?.scalarValue == Self.release.sha256)
        #expect(job["variables"]?["GIT_DEPTH"]?.scalarValue == "0", "range and history scans need the history")
        #expect(job["artifacts"]?["when"]?.scalarValue == "always")
        #expect(job["artifacts"]?["reports"]?["secret_detection"]?.scalarValue == "gl-secret-detection-report.json")
        let script = strings(job["script"]).joined(separator: "\n")
        let scans = script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("eskit ") }
        #expect(scans.count == 3)
        for scan in scans { #expect(scan.hasSuffix(" --format gitlab --output gl-secret-detection-report.json")) }
        #expect(
            scans.contains { $0.hasPrefix(#"eskit scan --range "$CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA""#) })
        #expect(scans.contains { $0.hasPrefix("eskit scan --history ") })
        #expect(strings(job["before_script"]).contains(#"echo "$ESKIT_SHA256  /tmp/$archive" | sha256sum -c -"#))
        let rules = job["rules"]?.items?.compactMap { $0["if"]?.scalarValue } ?? []
        #expect(rules.contains(#"$CI_PIPELINE_SOURCE == "merge_request_event""#))
        // The .gitlab-ci.yml init writes when there is none includes exactly this file.
        let include = try #require(try YAML.parse(StarterFiles.gitlabCIInclude, file: ".gitlab-ci.yml").first?.root)
        #expect(include["include"]?.items?.first?["local"]?.scalarValue == StarterFiles.CI.gitlab.path)
    }

    /// The README shows each CI template as it is: the block after `<!-- eskit:template PATH -->` is PATH's text.
    @Test(arguments: ["github-workflow.yaml", "gitlab-ci.yml"])
    func theReadmeShowsTheTemplateAsItIs(_ name: String) throws {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "<!-- eskit:template templates/\(name) -->\n```yaml\n"
        let start = try #require(readme.range(of: marker), "README.md has no \(marker)")
        let end = try #require(readme.range(of: "\n```\n", range: start.upperBound..<readme.endIndex))
        let shown = String(readme[start.upperBound..<end.lowerBound]) + "\n"
        #expect(shown == EmbeddedTemplates.text(name), "README.md's copy of templates/\(name) differs")
    }

    @Test func aReleaseIsAVersionAndAChecksumNothingElse() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(StarterFiles.Release(version: "1.2.3", sha256: hex.uppercased())?.sha256 == hex)
        #expect(StarterFiles.Release(version: "0.1.0-rc.1", sha256: hex) != nil)
        for version in ["1.2", "v1.2.3", "1.2.3-", "1.2.3 ", "1.2.3\"", "1.2.3-a b", "1.2.3-$(id)", ""] {
            #expect(StarterFiles.Release(version: version, sha256: hex) == nil, "\(version)")
        }
        for sha in [String(hex.dropLast()), hex + "a", String(hex.dropLast()) + "g"] {
            #expect(StarterFiles.Release(version: "1.2.3", sha256: sha) == nil)
        }
        let sums =
            "\(hex)  eskit-1.2.3-linux-aarch64.tar.gz\n\(String(repeating: "cd", count: 32)) "
            + "*eskit-1.2.3-linux-x86_64.tar.gz\n"
        #expect(
            StarterFiles.Release.checksum(of: "eskit-1.2.3-linux-x86_64.tar.gz", in: sums)
                == String(repeating: "cd", count: 32))
        #expect(StarterFiles.Release.checksum(of: "eskit-1.2.3-linux-aarch64.tar.gz", in: sums) == hex)
        #expect(StarterFiles.Release.checksum(of: "eskit-1.2.4-linux-x86_64.tar.gz", in: sums) == nil)
        #expect(StarterFiles.files(provider: "vault", ci: .github, release: nil) == nil, "a CI file needs a release")
        #expect(
            StarterFiles.files(provider: "vault", ci: .none)?.map(\.path) == [
                "eskit.yaml", "eskit-inventory.schema.json", ".pre-commit-config.yaml",
            ])
    }
}
