import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ScanCLITests {
    @Test func workTreeScansTrackedFilesAndUntrackedOnRequest() throws {
        let repo = try acmeRepository()
        try repo.commit(
            "add app", files: ["apps/app.yaml": "token: \(TestSecrets.acmeA)\n", ".gitignore": "ignored.env\n"])
        try repo.write("notes/draft.txt", "token \(TestSecrets.acmeB)\n")
        try repo.write("ignored.env", "TOKEN=\(TestSecrets.acmeC)\n")

        let tracked = try eskit(["scan", "--format", "json"], in: repo.root)
        #expect(tracked.status == 1)
        #expect(try jsonFindings(tracked.stdout).map { $0["file"] as? String } == ["apps/app.yaml"])

        let untracked = try eskit(["scan", "--untracked", "--format", "json", repo.root.path])
        #expect(untracked.status == 1)
        #expect(
            try jsonFindings(untracked.stdout).compactMap { $0["file"] as? String } == [
                "apps/app.yaml", "notes/draft.txt",
            ])

        let sub = try eskit(["scan", "notes", "--untracked", "--format", "json"], in: repo.root)
        #expect(try jsonFindings(sub.stdout).compactMap { $0["file"] as? String } == ["notes/draft.txt"])

        let text = try eskit(["scan"], in: repo.root)
        #expect(text.stdout.contains("apps/app.yaml"))
        #expect(text.stdout.contains("1 finding in 1 file"))
        #expect(!text.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let coloured = try eskit(["scan", "--color", "always"], in: repo.root)
        #expect(coloured.stdout.contains("\u{1B}["))
    }

    @Test func workTreeScanCountsUntrackedFilesItDidNotRead() throws {
        let repo = try acmeRepository()
        try repo.commit("add app", files: ["apps/app.yaml": "clean: true\n", ".gitignore": "ignored.env\n"])
        try repo.write("new.env", "TOKEN=\(TestSecrets.acmeA)\n")
        try repo.write("notes/a.txt", "token \(TestSecrets.acmeB)\n")
        try repo.write("notes/b.txt", "plain\n")
        try repo.write("ignored.env", "TOKEN=\(TestSecrets.acmeC)\n")

        let text = try eskit(["scan"], in: repo.root)
        #expect(text.status == 0, "tracked files only by default")
        #expect(text.stderr.contains("3 untracked files not scanned (add --untracked)"), "\(text.stderr)")
        let sub = try eskit(["scan", "notes"], in: repo.root)
        #expect(sub.stderr.contains("2 untracked files not scanned"), "counts only under PATH: \(sub.stderr)")
        // A file named on the command line is scanned as it is, tracked or not (pre-commit passes files this way).
        let one = try eskit(["scan", "new.env"], in: repo.root)
        #expect(one.status == 1, "\(one.stderr)")
        #expect(one.stdout.contains("new.env"))
        let two = try eskit(["scan", "new.env", "notes/a.txt", "apps/app.yaml"], in: repo.root)
        #expect(two.status == 1)
        #expect(two.stdout.contains("new.env") && two.stdout.contains("notes/a.txt"))
        #expect(!two.stdout.contains("ignored.env"))
        let apps = try eskit(["scan", "apps"], in: repo.root)
        #expect(!apps.stderr.contains("untracked"), "none under apps/: \(apps.stderr)")

        let json = try eskit(["scan", "--format", "json"], in: repo.root)
        #expect(json.status == 0)
        #expect(!json.stderr.contains("untracked"), "the note belongs to the text summary only")
        #expect(try jsonSummary(json.stdout)["untrackedNotScanned"] as? Int == 3)
        let notes = try eskit(["scan", "notes", "--format", "json"], in: repo.root)
        #expect(try jsonSummary(notes.stdout)["untrackedNotScanned"] as? Int == 2)
        let none = try eskit(["scan", "apps", "--format", "json"], in: repo.root)
        #expect(try jsonSummary(none.stdout)["untrackedNotScanned"] as? Int == 0, "counted, and none there")
        #expect(
            try sarifRunProperties(try eskit(["scan", "--format", "sarif"], in: repo.root).stdout)?[
                "untrackedNotScanned"] as? Int == 3)
        let all = try eskit(["scan", "--untracked"], in: repo.root)
        #expect(all.status == 1)
        #expect(!all.stderr.contains("not scanned"), "\(all.stderr)")
        for arguments in [["scan", "--untracked"], ["scan", "--history"], ["scan", "--staged"]] {
            let scanned = try eskit(arguments + ["--format", "json"], in: repo.root)
            #expect(try jsonSummary(scanned.stdout)["untrackedNotScanned"] == nil, "not counted by \(arguments)")
            let sarif = try eskit(arguments + ["--format", "sarif"], in: repo.root)
            #expect(try sarifRunProperties(sarif.stdout)?["untrackedNotScanned"] == nil, "not counted by \(arguments)")
        }
    }

    @Test func stagedSeesOnlyTheStagedChange() throws {
        let repo = try acmeRepository()
        try repo.commit("existing", files: ["a.yaml": "old: \(TestSecrets.acmeA)\nkeep: 1\n"])
        try repo.write("a.yaml", "old: \(TestSecrets.acmeA)\nkeep: 1\nnew: \(TestSecrets.acmeB)\n")
        try repo.write("b.yaml", "clean: true\n")
        try repo.git(["add", "a.yaml", "b.yaml"])
        try repo.write("c.yaml", "unstaged: \(TestSecrets.acmeC)\n")
        try repo.write(
            "a.yaml", "old: \(TestSecrets.acmeA)\nkeep: 1\nnew: \(TestSecrets.acmeB)\nlater: \(TestSecrets.acmeD)\n")

        let staged = try eskit(["scan", "--staged", "--format", "json"], in: repo.root)
        #expect(staged.status == 1)
        let findings = try jsonFindings(staged.stdout)
        #expect(findings.count == 1)
        #expect(findings.first?["file"] as? String == "a.yaml")
        #expect(findings.first?["startLine"] as? Int == 3)

        try repo.git(["commit", "-q", "-m", "commit it"])
        try repo.write("d.yaml", "fine: yes\n")
        try repo.git(["add", "d.yaml"])
        #expect(try eskit(["scan", "--staged"], in: repo.root).status == 0)
    }

    @Test func historyReportsEachSecretOnceWithItsFirstCommitAndDeletedFiles() throws {
        let repo = try acmeRepository()
        let first = try repo.commit("add a", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        try repo.commit("edit a", files: ["a.yaml": "token: \(TestSecrets.acmeA)\nmore: 2\n"])
        let copy = try repo.commit("copy a", files: ["copy/a.yaml": "token: \(TestSecrets.acmeA)\nmore: 2\n"])
        let deleted = try repo.commit("add d", files: ["d.yaml": "gone: \(TestSecrets.acmeB)\n"])
        try repo.commit("remove d", removing: ["d.yaml"])

        let result = try eskit(["scan", "--history", "--no-progress", "--format", "json"], in: repo.root)
        #expect(result.status == 1)
        let findings = try jsonFindings(result.stdout)
        let a = findings.filter { $0["file"] as? String == "a.yaml" }
        #expect(a.count == 1, "a secret kept in a later version of the file is reported once")
        #expect(a.first?["commit"] as? String == first)
        #expect(a.first?["author"] as? String == "Test Author")
        let occurrences = try #require(a.first?["occurrences"] as? [[String: String]])
        #expect(occurrences.map { $0["file"] } == ["a.yaml", "copy/a.yaml"], "the edit, then its copy (the same blob)")
        #expect(occurrences.last?["commit"] == copy)
        let d = findings.filter { $0["file"] as? String == "d.yaml" }
        #expect(d.count == 1)
        #expect(d.first?["commit"] as? String == deleted)
        #expect(findings.count == 2)

        let text = try eskit(["scan", "--history", "--no-progress"], in: repo.root)
        #expect(text.stdout.contains("commit \(deleted.prefix(12))"))
        #expect(text.stderr.isEmpty, "no progress bar when stderr is not a terminal")

        #expect(try eskit(["scan"], in: repo.root).stdout.contains("d.yaml") == false)
    }

    @Test func rangeAndSinceCommitLimitTheHistory() throws {
        let repo = try acmeRepository()
        let c1 = try repo.commit("one", files: ["one.yaml": "t: \(TestSecrets.acmeA)\n"])
        let c2 = try repo.commit("two", files: ["two.yaml": "t: \(TestSecrets.acmeB)\n"])
        try repo.commit("three", files: ["three.yaml": "t: \(TestSecrets.acmeC)\n"])

        let range = try eskit(["scan", "--range", "\(c1)..\(c2)", "--format", "json"], in: repo.root)
        #expect(try jsonFindings(range.stdout).compactMap { $0["file"] as? String } == ["two.yaml"])
        let since = try eskit(["scan", "--since-commit", c2, "--format", "json"], in: repo.root)
        #expect(try jsonFindings(since.stdout).compactMap { $0["file"] as? String } == ["three.yaml"])
        let bad = try eskit(["scan", "--range", "nope..alsonope"], in: repo.root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("nope"))
    }

    @Test func standardInput() throws {
        let repo = try acmeRepository()
        let dirty = try eskit(["scan", "-", "--format", "json"], in: repo.root, stdin: "x = \(TestSecrets.acmeA)\n")
        #expect(dirty.status == 1)
        #expect(try jsonFindings(dirty.stdout).first?["file"] as? String == "-")
        #expect(try eskit(["scan", "-"], in: repo.root, stdin: "nothing here\n").status == 0)
    }

    @Test func folderOutsideAnyRepositoryIsScannedRecursively() throws {
        let folder = try Fixtures.temporaryFolder("eskit-folder")
        try Data(TestSecrets.config.utf8).write(to: folder.appendingPathComponent(".eskit.yaml"))
        for (path, text) in [
            "deep/er/x.txt": "t \(TestSecrets.acmeA)", ".git/config": "t \(TestSecrets.acmeB)",
            "bin.dat": "\u{0}\u{1}t \(TestSecrets.acmeC)", "bundle.zip": "t \(TestSecrets.acmeD)",
        ] {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let result = try eskit(["scan", folder.path, "--format", "json"])
        #expect(result.status == 1)
        #expect(try jsonFindings(result.stdout).compactMap { $0["file"] as? String } == ["deep/er/x.txt"])
        let text = try eskit(["scan", folder.path])
        #expect(text.stdout.contains("skipped 2 binary"), "a NUL byte, and an archive that is never opened")
    }

    @Test func reportFormatsAreValid() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a b/c.yaml": "token: \(TestSecrets.acmeA)\n"])

        let sarif = try eskit(["scan", "--format", "sarif"], in: repo.root)
        #expect(sarif.status == 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "eskit")
        #expect((driver["rules"] as? [[String: Any]])?.first?["id"] as? String == "acme-token")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "acme-token")
        let location = try #require(
            (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "a%20b/c.yaml")
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 1)

        let junit = try eskit(["scan", "--format", "junit"], in: repo.root)
        let xml = try XMLDocument(xmlString: junit.stdout)
        #expect(try xml.nodes(forXPath: "//testcase/failure").count == 1)

        let json = try eskit(["scan", "--format", "json"], in: repo.root)
        let finding = try #require(try jsonFindings(json.stdout).first)
        #expect(finding["secretHash"] as? String != nil)
        #expect(finding["preview"] as? String == "acm…")
        #expect(finding["secret"] == nil)

        let shown = try eskit(["scan", "--format", "json", "--show-secrets"], in: repo.root)
        #expect(try jsonFindings(shown.stdout).first?["secret"] as? String == TestSecrets.acmeA)
    }

    @Test func configAndIgnoreFilesMayBeDevices() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\ngithub: \(TestSecrets.github)\n"])
        let run = try eskit(
            ["scan", "--config", "/dev/null", "--ignore-file", "/dev/null", "--format", "json"], in: repo.root)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try jsonFindings(run.stdout).count == 1)
        let folder = try eskit(["scan", "--config", repo.root.path], in: repo.root)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("cannot read file"))
    }

    @Test func outputIsAtomicAndDevStdoutIsWrittenInPlace() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let out = try Fixtures.temporaryFolder("eskit-out")
        let report = out.appendingPathComponent("report.json")
        try Data("old".utf8).write(to: report)
        let written = try eskit(
            ["scan", "--format", "json", "--output", report.path], in: repo.root, reports: [report])
        #expect(written.status == 1)
        #expect(written.stdout.isEmpty)
        #expect(try jsonFindings(String(contentsOf: report, encoding: .utf8)).count == 1)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path) == ["report.json"], "no temporary file left")
        let bad = try eskit(["scan", "--config", "/no/such/config.yaml", "--output", report.path], in: repo.root)
        #expect(bad.status == 2)
        #expect(
            try jsonFindings(String(contentsOf: report, encoding: .utf8)).count == 1,
            "a failed run leaves the old report")

        let inPlace = try eskit(["scan", "--format", "json", "--output", "/dev/stdout"], in: repo.root)
        #expect(inPlace.status == 1)
        #expect(try jsonFindings(inPlace.stdout).count == 1)

        let fifo = out.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global().async {
            if let handle = FileHandle(forReadingAtPath: fifo.path) { box.data = handle.readDataToEndOfFile() }
            reader.leave()
        }
        let piped = try eskit(["scan", "--format", "json", "--output", fifo.path], in: repo.root)
        reader.wait()
        #expect(piped.status == 1)
        #expect(try jsonFindings(String(decoding: box.data, as: UTF8.self)).count == 1)
        var st = stat()
        #expect(
            stat(fifo.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "the FIFO is written in place, not replaced")

        let missing = try eskit(
            ["scan", "--output", out.appendingPathComponent("no/such/dir/r.txt").path], in: repo.root)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/dir"))
    }

    @Test func baselineFlow() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let baseline = repo.root.appendingPathComponent("eskit-baseline.json")
        let first = try eskit(["scan", "--baseline-out", baseline.path], in: repo.root, reports: [baseline])
        #expect(first.status == 1)
        #expect(FileManager.default.fileExists(atPath: baseline.path))
        #expect(try eskit(["scan", "--baseline", baseline.path], in: repo.root).status == 0)
        try repo.write("a.yaml", "token: \(TestSecrets.acmeA)\n\nmoved: 1\n")
        #expect(
            try eskit(["scan", "--baseline", baseline.path], in: repo.root).status == 0, "a moved line stays known")
        try repo.commit("new", files: ["b.yaml": "token: \(TestSecrets.acmeB)\n"])
        let next = try eskit(["scan", "--baseline", baseline.path, "--format", "json"], in: repo.root)
        #expect(next.status == 1)
        #expect(try jsonFindings(next.stdout).compactMap { $0["file"] as? String } == ["b.yaml"])
    }

    @Test func ignoreFileSuppressesFingerprints() throws {
        let repo = try acmeRepository()
        try repo.commit("add", files: ["a.yaml": "token: \(TestSecrets.acmeA)\n"])
        let json = try eskit(["scan", "--format", "json"], in: repo.root)
        let fingerprint = try #require(try jsonFindings(json.stdout).first?["fingerprint"] as? String)
        try repo.write(".eskitignore", "# accepted test token\n\(fingerprint)\n")
        #expect(try eskit(["scan"], in: repo.root).status == 0)
        try repo.write("other-ignore", "not-a-fingerprint\n")
        let bad = try eskit(["scan", "--ignore-file", "other-ignore"], in: repo.root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("other-ignore:1:1"))
    }

    @Test func errorsExitWithStatusTwoAndOneClearMessage() throws {
        let repo = try acmeRepository()
        try repo.write(
            ".eskit.yaml", "rules:\n  - id: broken\n    pattern: '('\n    keywords: [x]\n    description: d\n")
        let config = try eskit(["scan"], in: repo.root)
        #expect(config.status == 2)
        #expect(config.stderr.contains(".eskit.yaml:"), "names the file: \(config.stderr)")
        #expect(config.stderr.split(separator: "\n").count == 1)

        #expect(try eskit(["scan", "--bogus"], in: repo.root).status == 2)
        #expect(try eskit(["scan", "--staged", "--history"], in: repo.root).status == 2)
        #expect(try eskit(["scan", "-", "--history"], in: repo.root).status == 2)
        let missing = try eskit(["scan", "/no/such/folder"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/no/such/folder"))
        let badBaseline = repo.root.appendingPathComponent("b.json")
        try Data("{\"version\": 1, \"findings\": [{\"x\": 1}]}".utf8).write(to: badBaseline)
        let empty = repo.root.appendingPathComponent("empty.yaml")
        try Data("{}\n".utf8).write(to: empty)
        let baseline = try eskit(["scan", "--config", empty.path, "--baseline", badBaseline.path], in: repo.root)
        #expect(baseline.status == 2)
        #expect(baseline.stderr.contains("b.json:1:"))
    }

    @Test func builtInDetectorsOnAGitOpsRepository() throws {
        let repo = try GitRepoBuilder()
        let b64 = Data(TestSecrets.ordersDB.utf8).base64EncodedString()
        try repo.commit(
            "gitops",
            files: [
                "ci/runner.env": "RUNNER_ORG=example\nGITHUB_TOKEN=\(TestSecrets.github)\n",
                "apps/db/secret.yaml":
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(b64)\n",
                "apps/harbor/values.yaml": "harborAdminPassword: \(TestSecrets.harborDefault)\n",
                "apps/ok/external-secret.yaml": """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: db}
                spec:
                  secretStoreRef: {kind: ClusterSecretStore, name: vault}
                  data:
                    - secretKey: password
                      remoteRef: {key: db, property: password}

                """,
            ])
        let result = try eskit(["scan", "--format", "json"], in: repo.root)
        #expect(result.status == 1)
        let files = Set(try jsonFindings(result.stdout).compactMap { $0["file"] as? String })
        #expect(files == ["ci/runner.env", "apps/db/secret.yaml", "apps/harbor/values.yaml"])
        let kinds = try jsonFindings(result.stdout).filter { $0["file"] as? String == "apps/harbor/values.yaml" }
            .compactMap { $0["kind"] as? String }
        #expect(kinds == ["default-credential"])
    }

    @Test func theProjectsOwnTreeScansClean() throws {
        let result = try eskit(["scan", Fixtures.packageRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
