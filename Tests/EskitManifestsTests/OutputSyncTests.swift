import EskitCore
import EskitManifests
import Foundation
import Testing
import TestSupport

@Suite struct OutputSyncTests {
    func generated() throws -> GenerationResult {
        let inventory = try InventoryLoader.load(try Fixtures.bytes("demo/eskit.yaml"), file: "eskit.yaml")
        return try ManifestGenerator.generate(inventory, inventoryName: "eskit.yaml")
    }

    func write(_ text: String, _ root: URL, _ path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ root: URL, _ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func checkCatchesHandEditMissingAndStaleFilesAndNeverTouchesHandWrittenOnes() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try generated()
        try OutputSync.compare(result, root: root.path).apply()
        #expect(try OutputSync.compare(result, root: root.path).isCurrent)

        let edited = "out/staging/harbor-staging/externalsecret-harbor-admin.yaml"
        let missing = "out/production/kustomization.yaml"
        let stale = "out/staging/old/externalsecret-gone.yaml"
        let handWritten = "out/staging/notes/hand-written.yaml"
        try write(read(root, edited)!.replacingOccurrences(of: "refreshInterval: 1h", with: "refreshInterval: 5m"), root, edited)
        try FileManager.default.removeItem(at: root.appendingPathComponent(missing))
        try write(ManifestGenerator.header("eskit.yaml") + "kind: ConfigMap\n", root, stale)
        try write("kind: ConfigMap\n", root, handWritten)

        let sync = try OutputSync.compare(result, root: root.path)
        #expect(sync.changes.map(\.path) == [missing, edited, stale])
        let diff = sync.diff
        #expect(diff.contains("--- a/\(edited)\n+++ b/\(edited)\n"))
        #expect(diff.contains("-  refreshInterval: 5m\n+  refreshInterval: 1h\n"))
        #expect(diff.contains("--- /dev/null\n+++ b/\(missing)\n"))
        #expect(diff.contains("--- a/\(stale)\n+++ /dev/null\n"))

        try sync.apply()
        #expect(try OutputSync.compare(result, root: root.path).isCurrent)
        #expect(read(root, stale) == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/staging/old").path))
        #expect(read(root, handWritten) == "kind: ConfigMap\n")
    }

    @Test func refusesToOverwriteAHandWrittenFile() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("resources: []\n", root, "out/staging/kustomization.yaml")
        #expect(throws: OutputSync.Conflict.self) { try OutputSync.compare(try generated(), root: root.path) }
    }

    @Test func onlyTheSelectedEnvironmentIsTouched() throws {
        let inventory = try InventoryLoader.load(try Fixtures.bytes("demo/eskit.yaml"), file: "eskit.yaml")
        let staging = try ManifestGenerator.generate(inventory, only: ["staging"], inventoryName: "eskit.yaml")
        #expect(staging.outputFolders == ["out/staging"])
        #expect(staging.files.allSatisfy { $0.path.hasPrefix("out/staging/") })
        #expect(throws: DiagnosticsError.self) { try ManifestGenerator.generate(inventory, only: ["stagin"], inventoryName: "eskit.yaml") }
    }

    @Test func committedDemoOutputIsCurrent() throws {
        let sync = try OutputSync.compare(try generated(), root: Fixtures.url("demo").path)
        #expect(sync.isCurrent, "\(sync.diff)")
    }
}

@Suite struct UnifiedDiffTests {
    @Test func hunksWithContext() {
        let old = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 2\n", with: "line two\n").replacingOccurrences(of: "line 11\n", with: "")
        #expect(UnifiedDiff.diff(old: old, new: new, oldLabel: "a/f", newLabel: "b/f") == """
            --- a/f
            +++ b/f
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +line two
             line 3
             line 4
             line 5
            @@ -8,5 +8,4 @@
             line 8
             line 9
             line 10
            -line 11
             line 12

            """)
    }

    @Test func newAndDeletedFiles() {
        #expect(UnifiedDiff.diff(old: nil, new: "a\nb\n", oldLabel: "a/x", newLabel: "b/x") == "--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(UnifiedDiff.diff(old: "a\n", new: nil, oldLabel: "a/x", newLabel: "b/x") == "--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n")
        #expect(UnifiedDiff.diff(old: "same\n", new: "same\n", oldLabel: "a", newLabel: "b") == "")
    }
}

@Suite struct SmallPartsTests {
    @Test func suggestions() {
        #expect(Suggestion.closest(to: "refreshIntervall", in: ["refreshInterval", "refreshPolicy"]) == "refreshInterval")
        #expect(Suggestion.closest(to: "propety", in: ["key", "property", "version"]) == "property")
        #expect(Suggestion.closest(to: "zzz", in: ["key"]) == nil)
    }

    @Test func durations() {
        #expect(GoDuration.seconds("1h30m") == 5400)
        #expect(GoDuration.seconds("0") == 0)
        #expect(GoDuration.seconds("0s") == 0)
        #expect(GoDuration.seconds("500ms") == 0.5)
        #expect(GoDuration.seconds("1 hour") == nil)
    }

    @Test func keyPrefix() {
        #expect(Inventory.joinKey("staging", "harbor/admin") == "staging/harbor/admin")
        #expect(Inventory.joinKey("prod/", "a") == "prod/a")
        #expect(Inventory.joinKey("/prod", "a") == "/prod/a")
        #expect(Inventory.joinKey("staging", "/shared/x") == "/shared/x")
        #expect(Inventory.joinKey(nil, "a") == "a")
    }

    @Test func templateReferences() {
        #expect(TemplateReferences.keys(in: "{{ .a }}-{{ .b | upper }}{{ index . \"c.d\" }}{{ $x.e }}{{ (.f).g }}") == ["a", "b", "c.d", "f"])
        #expect(TemplateReferences.keys(in: "{{/* .hidden */}}{{- .trim -}}{{ \".notakey\" }}") == ["trim"])
        #expect(TemplateReferences.keys(in: "no actions .here") == [])
    }

    @Test func emitterQuotesOnlyWhatNeedsIt() {
        let node = YAMLNodeBuilder.sample
        #expect(ManifestEmitter.emit(node) == """
            plain: value
            number-text: '8200'
            bool-text: 'true'
            yaml11-bool: 'yes'
            colon: 'a: b'
            hash: 'x #y'
            leading-dash: '- x'
            dash-word: -x
            empty: ''
            multi: |-
              a
              b
            list:
              - a
              - k: v
                k2: v2
            empty-map: {}

            """)
    }
}
