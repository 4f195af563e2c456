import EskitYAML
import Foundation
import TestSupport
import Testing

/// `action.yml` (the composite GitHub Action): its `run:` steps are executed with bash the way the runner executes
/// a composite action (inputs with their defaults, `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` in `env:`,
/// GITHUB_OUTPUT / GITHUB_PATH files, later steps skipped once one fails) against the release archive `make release`
/// built, downloaded over HTTP from a server on 127.0.0.1.
@Suite struct GitHubActionTests {
    static let needsRelease = Testing.ConditionTrait.enabled(
        if: ReleaseFolder.url != nil, "ESKIT_RELEASE_DIR is not set (run `make test`)")

    static let actionFile = Fixtures.packageRoot.appendingPathComponent("action.yml")

    struct Step {
        var id: String?
        var run: String?
        var uses: String?
        var condition: String?
        var env: [(String, String)]
    }

    struct Outcome {
        /// Exit status of each step that ran, by id; steps after a failure are absent.
        var statuses: [String: Int32] = [:]
        var outputs: [String: [String: String]] = [:]
        var path: [String] = []
        var log = ""
        var skipped: [String] = []
        /// RUNNER_TEMP of the run.
        var runnerTemp = URL(fileURLWithPath: "/nonexistent")
    }

    static func action() throws -> YAMLNode {
        let text = try String(contentsOf: actionFile, encoding: .utf8)
        return try #require(try YAML.parse(text, file: "action.yml").first?.root)
    }

    static func steps(_ action: YAMLNode) throws -> [Step] {
        #expect(action["runs"]?["using"]?.scalarValue == "composite")
        return try #require(action["runs"]?["steps"]?.items).map { node in
            Step(
                id: node["id"]?.scalarValue, run: node["run"]?.scalarValue, uses: node["uses"]?.scalarValue,
                condition: node["if"]?.scalarValue,
                env: (node["env"]?.pairs ?? []).map { ($0.key.scalarValue ?? "", $0.value.scalarValue ?? "") })
        }
    }

    /// `${{ inputs.x }}` and `${{ steps.id.outputs.y }}`; anything else is a test failure (this runner does not
    /// know it, so the action must not rely on it in `env:`).
    static func evaluate(_ text: String, inputs: [String: String], outputs: [String: [String: String]]) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let parts = expression.split(separator: ".").map(String.init)
            if parts.count == 2, parts[0] == "inputs" {
                result += inputs[parts[1]] ?? ""
            } else if parts.count == 4, parts[0] == "steps", parts[2] == "outputs" {
                result += outputs[parts[1]]?[parts[3]] ?? ""
            } else {
                Issue.record("unsupported expression in a step's env: \(expression)")
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// Runs the action's steps with `given` inputs in `workspace`.
    static func runAction(_ given: [String: String], workspace: URL) throws -> Outcome {
        let action = try action()
        var inputs: [String: String] = [:]
        for pair in action["inputs"]?.pairs ?? [] {
            let name = pair.key.scalarValue ?? ""
            if let value = given[name] {
                inputs[name] = value
            } else if pair.value["required"]?.resolved == .bool(true) {
                Issue.record("required input \(name) not given")
            } else {
                inputs[name] = pair.value["default"]?.scalarValue ?? ""
            }
        }
        for name in given.keys where inputs[name] == nil { Issue.record("action.yml has no input \(name)") }
        let temp = try Fixtures.temporaryFolder("eskit-runner")
        var outcome = Outcome()
        outcome.runnerTemp = temp
        var failed = false
        for (index, step) in try steps(action).enumerated() {
            let id = step.id ?? "step\(index)"
            guard let script = step.run else {
                outcome.skipped.append(id)  // `uses:` steps (the SARIF upload) need GitHub
                continue
            }
            if failed, step.condition == nil {
                outcome.skipped.append(id)
                continue
            }
            let outputFile = temp.appendingPathComponent("output-\(id)")
            let pathFile = temp.appendingPathComponent("path-\(id)")
            FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            FileManager.default.createFile(atPath: pathFile.path, contents: nil)
            var environment = [
                "GITHUB_OUTPUT": outputFile.path, "GITHUB_PATH": pathFile.path,
                "GITHUB_WORKSPACE": workspace.path, "RUNNER_TEMP": temp.path,
                "PATH": (outcome.path.reversed() + ["/usr/local/bin", "/usr/bin", "/bin"]).joined(separator: ":"),
                "HOME": temp.path,
            ]
            for (key, value) in step.env {
                environment[key] = evaluate(value, inputs: inputs, outputs: outcome.outputs)
            }
            // The runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
            let scriptFile = temp.appendingPathComponent("step-\(id).sh")
            try Data(script.utf8).write(to: scriptFile)
            let result = try run(
                "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile.path], in: workspace,
                environment: environment)
            outcome.log += result.stdout + result.stderr
            outcome.statuses[id] = result.status
            var outputs: [String: String] = [:]
            for line in try String(contentsOf: outputFile, encoding: .utf8).split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                outputs[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            outcome.outputs[id] = outputs
            outcome.path += try String(contentsOf: pathFile, encoding: .utf8).split(separator: "\n").map(String.init)
            if result.status != 0 { failed = true }
        }
        return outcome
    }

    /// The release archive, its version and its SHA-256 (from SHA256SUMS).
    static func release() throws -> (archive: URL, version: String, sha256: String) {
        let archive = try ReleaseArchiveCLITests.archive()
        let name = archive.lastPathComponent
        let sums = try String(
            contentsOf: archive.deletingLastPathComponent().appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        let line = try #require(sums.split(separator: "\n").first { $0.hasSuffix(" \(name)") })
        let version = try #require(name.dropFirst("eskit-".count).components(separatedBy: "-linux-").first)
        return (archive, version, String(line.prefix(64)))
    }

    /// A download server on 127.0.0.1 serving the release as BASE/vVERSION/NAME.
    final class ReleaseServer {
        let process = Process()
        let root: URL
        var baseURL = ""

        init() throws {
            let release = try GitHubActionTests.release()
            root = try Fixtures.temporaryFolder("eskit-releases")
            let folder = root.appendingPathComponent("v\(release.version)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: release.archive, to: folder.appendingPathComponent(release.archive.lastPathComponent))
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"]
            process.currentDirectoryURL = root
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            var text = ""
            let deadline = Date().addingTimeInterval(20)
            while !text.contains("\n"), Date() < deadline {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            let words = text.split(separator: " ")
            guard let at = words.firstIndex(of: "port"), at + 1 < words.count else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.fileReadUnknown)
            }
            baseURL = "http://127.0.0.1:\(words[at + 1])"
        }

        /// SIGKILL: the test process may run with SIGTERM blocked, and its children inherit the mask.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// A repository (ACME rule configured) whose tracked files hold `files`.
    static func workspace(_ files: [String: String] = [:]) throws -> GitRepoBuilder {
        let repo = try acmeRepository()
        if !files.isEmpty { try repo.commit("files", files: files) }
        return repo
    }

    @Test(needsRelease) func aPinnedReleaseWithItsChecksumIsInstalledAndRuns() throws {
        let server = try ReleaseServer()
        defer { server.stop() }
        let release = try Self.release()
        let repo = try Self.workspace(["app.yaml": "kind: ConfigMap\ndata: {mode: fast}\n"])
        let outcome = try Self.runAction(
            [
                "version": release.version, "sha256": release.sha256.uppercased(), "base-url": server.baseURL,
                "args": "scan --no-progress",
            ], workspace: repo.root)
        #expect(outcome.statuses == ["install": 0, "run": 0], "\(outcome.log)")
        #expect(outcome.log.contains("eskit \(release.version)"), "the install step prints `eskit version`")
        let bin = try #require(outcome.outputs["install"]?["path"])
        #expect(outcome.path == [bin], "eskit is on PATH for later steps")
        #expect(FileManager.default.isExecutableFile(atPath: bin + "/eskit"))
        #expect(outcome.outputs["run"]?["exit-code"] == "0")
        let work = URL(fileURLWithPath: bin).deletingLastPathComponent().deletingLastPathComponent()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".tar.gz") }.isEmpty,
            "the archive is removed after unpacking")
    }

    @Test(needsRelease) func aWrongChecksumFailsBeforeAnythingIsUnpackedOrRun() throws {
        let server = try ReleaseServer()
        defer { server.stop() }
        let release = try Self.release()
        var wrong = Array(release.sha256)
        wrong[10] = wrong[10] == "0" ? "1" : "0"
        let repo = try Self.workspace(["leak.yaml": "token: \(TestSecrets.acmeA)\n"])
        let outcome = try Self.runAction(
            ["version": release.version, "sha256": String(wrong), "base-url": server.baseURL],
            workspace: repo.root)
        #expect(outcome.statuses == ["install": 2], "\(outcome.log)")
        #expect(outcome.skipped.contains("run"))
        #expect(outcome.log.contains("checksum mismatch for eskit-\(release.version)-linux-"))
        #expect(outcome.path.isEmpty)
        #expect(outcome.outputs["install"]?["path"] == nil)
        let unpacked = (FileManager.default.enumerator(atPath: outcome.runnerTemp.path)?.allObjects as? [String]) ?? []
        #expect(!unpacked.contains { $0.hasSuffix("bin/eskit") || $0.hasSuffix(".tar.gz") }, "\(unpacked)")
        #expect(!outcome.log.contains(TestSecrets.acmeA))
        #expect(!outcome.log.contains("findings"), "eskit never ran")
    }

    @Test(needsRelease) func anUnpinnedVersionOrAMalformedChecksumIsRefusedBeforeDownloading() throws {
        let release = try Self.release()
        let repo = try Self.workspace()
        let latest = try Self.runAction(
            ["version": "latest", "sha256": release.sha256, "base-url": "http://127.0.0.1:9"], workspace: repo.root)
        #expect(latest.statuses == ["install": 2])
        #expect(latest.log.contains("input version must be a release version"))
        let short = try Self.runAction(
            ["version": release.version, "sha256": "abc123", "base-url": "http://127.0.0.1:9"], workspace: repo.root)
        #expect(short.statuses == ["install": 2])
        #expect(short.log.contains("input sha256 must be the 64 hex digits"))
        let server = try ReleaseServer()
        defer { server.stop() }
        let missing = try Self.runAction(
            ["version": "9.9.9", "sha256": release.sha256, "base-url": server.baseURL], workspace: repo.root)
        #expect(missing.statuses == ["install": 2])
        #expect(missing.log.contains("cannot download \(server.baseURL)/v9.9.9/eskit-9.9.9-linux-"))
    }

    @Test(needsRelease) func eskitsExitStatusIsTheActionsAndSARIFIsWrittenForTheUpload() throws {
        let server = try ReleaseServer()
        defer { server.stop() }
        let release = try Self.release()
        let repo = try Self.workspace(["leak.yaml": "token: \(TestSecrets.acmeA)\n"])
        let inputs = ["version": release.version, "sha256": release.sha256, "base-url": server.baseURL]

        let findings = try Self.runAction(inputs.merging(["args": "scan --no-progress"]) { $1 }, workspace: repo.root)
        #expect(findings.statuses == ["install": 0, "run": 1], "\(findings.log)")
        #expect(findings.outputs["run"]?["exit-code"] == "1")
        #expect(findings.log.contains("leak.yaml"))
        #expect(!findings.log.contains(TestSecrets.acmeA))

        let usage = try Self.runAction(inputs.merging(["args": "scan --no-such-option"]) { $1 }, workspace: repo.root)
        #expect(usage.statuses["run"] == 2)
        #expect(usage.outputs["run"]?["exit-code"] == "2")

        let sarif = try Self.runAction(
            inputs.merging(["args": "scan --no-progress", "sarif": "eskit.sarif"]) { $1 }, workspace: repo.root)
        #expect(sarif.statuses["run"] == 1)
        #expect(sarif.skipped == ["step2"], "the upload step (uses:) is GitHub's")
        let report = try String(contentsOf: repo.root.appendingPathComponent("eskit.sarif"), encoding: .utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        #expect(report.contains("leak.yaml"))
        #expect(!report.contains(TestSecrets.acmeA))
    }

    @Test func theUploadIsPinnedByCommitAndNoInputReachesAScriptUnquoted() throws {
        let steps = try Self.steps(try Self.action())
        let upload = try #require(steps.first { $0.uses != nil })
        let uses = try #require(upload.uses)
        #expect(uses.hasPrefix("github/codeql-action/upload-sarif@"))
        let sha = uses.split(separator: "@").last.map(String.init) ?? ""
        #expect(sha.count == 40 && sha.allSatisfy(\.isHexDigit), "pinned by full commit SHA: \(uses)")
        let text = try String(contentsOf: Self.actionFile, encoding: .utf8)
        #expect(text.contains("upload-sarif@\(sha) # v4."), "the tag in a comment")
        let condition = try #require(upload.condition)
        #expect(condition.contains("!cancelled()"), "the report is uploaded when eskit exits 1 too")
        for step in steps {
            #expect(!(step.run ?? "").contains("${{"), "inputs reach scripts through env only (no injection)")
        }
    }
}
