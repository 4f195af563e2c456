import Testing

@testable import EskitScan

/// Multi-document streams: only the documents holding a trigger are parsed, at their place in the file.
@Suite struct DocumentSliceTests {
    func slices(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            ManifestFile.documentSlices(ByteText(base: buffer, path: "x.yaml")).map {
                String(decoding: bytes[$0], as: UTF8.self)
            }
        }
    }

    @Test func splitsOnlyAtColumnZeroMarkers() {
        #expect(
            slices("a: 1\n---\nb: 2\n--- !tag\nc: 3\n---\r\nd: 4\n---") == [
                "a: 1\n", "---\nb: 2\n", "--- !tag\nc: 3\n", "---\r\nd: 4\n", "---",
            ])
        #expect(
            slices("---\na: |\n  ---\n  x\n----\n ---\nb: '---'\n") == ["---\na: |\n  ---\n  x\n----\n ---\nb: '---'\n"]
        )
        #expect(slices("a: 1\n") == ["a: 1\n"])
    }

    func deployment(_ i: Int) -> String {
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-\(i)\nspec:\n  template:\n    spec:\n      "
            + "containers:\n        - name: app\n          image: ghcr.io/example/app:1.\(i).0\n          env:\n       "
            + "     - name: LOG_LEVEL\n              value: info\n"
    }

    /// 1-based line and column (bytes: the text is ASCII) of `needle`, counting `\n` only.
    func position(of needle: String, in text: String) -> (line: Int, column: Int) {
        let before = Array(text.utf8[..<text.range(of: needle)!.lowerBound])
        let lineStart = (before.lastIndex(of: 10) ?? -1) + 1
        return (before.filter { $0 == 10 }.count + 1, before.count - lineStart + 1)
    }

    @Test func findingsInLaterDocumentsKeepTheirPositions() {
        let a = Scan.secret(20, seed: 61), b = Scan.secret(24, seed: 62), c = Scan.secret(22, seed: 63)
        var docs = (0..<40).map(deployment)
        docs[7] =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: one\ndata:\n  db-password: \(Sample.base64(of: a))\n"
        docs[23] =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing\nspec:\n  template:\n    spec:\n      "
            + "containers:\n        - name: billing\n          env:\n            - name: PAYMENT_API_TOKEN\n       "
            + "       value: \"\(b)\"\n"
        docs[39] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: two\nstringData:\n  token: |\n    \(c)\n"
        for crlf in [false, true] {
            var text = docs.joined(separator: "---\n")
            if crlf { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
            let found = Scan.run(text)
            #expect(
                found.map(\.ruleID) == [
                    "kubernetes-secret-data", "kubernetes-env-value", "kubernetes-secret-stringdata",
                ], "crlf \(crlf)")
            // A literal block (`|`) keeps its final newline: the Secret holds `c\n`.
            #expect(found.map(\.secret.revealed) == [a, b, c + "\n"])
            for (finding, needle) in zip(found, [Sample.base64(of: a), b, c]) {
                let at = position(of: needle, in: text)
                #expect(
                    finding.span.start.line == at.line && finding.span.start.column == at.column,
                    "\(finding.ruleID) \(finding.span) vs \(at.line):\(at.column) crlf \(crlf)")
            }
        }
    }

    @Test func aBrokenNeighbourDocumentDoesNotHideASecret() {
        let p = Scan.secret(20, seed: 64)
        let text =
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  broken: [unclosed\n---\napiVersion: v1\nkind: "
            + "Secret\nmetadata:\n  name: db\nstringData:\n  password: \"\(p)\"\n"
        let found = Scan.run(text)
        #expect(found.map(\.ruleID) == ["kubernetes-secret-stringdata"])
        #expect(found.first?.span.start.line == 11)
    }

    @Test func sealedAndSOPSDocumentsStayClaimedInAStream() {
        let sealed =
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n  "
            + "  password: AgB\(Sample.string(300, from: Sample.base64, seed: 65))\n"
        let text = ([deployment(1), sealed, deployment(2)]).joined(separator: "---\n")
        #expect(Scan.run(text).isEmpty)
    }

    @Test func documentCacheGivesTheSameFindingsAsAFullScan() {
        let scanner = Scan.scanner
        let cache = DocumentCache()
        let a = Scan.secret(20, seed: 66), b = Scan.secret(22, seed: 67)
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(Sample.base64(of: a))\n"
        let config =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  api_token: \"\(b)\"\n  mode: fast\n"
        var versions: [String] = []
        for i in 0..<6 {
            var docs = [deployment(i), secret, deployment(100 + i % 2)]
            if i >= 3 { docs.insert(config, at: 1) }
            if i == 5 { docs[0] = "# edited\n" + docs[0] }
            versions.append(docs.joined(separator: "---\n"))
        }
        for text in versions {
            let bytes = Array(text.utf8)
            let full = scanner.scan(ScanInput(path: "apps/x/manifests.yaml", bytes: bytes))
            let cached = bytes.withUnsafeBufferPointer {
                scanner.scan(path: "apps/x/manifests.yaml", buffer: $0, cache: cache)
            }
            #expect(cached.findings == full.findings)
            #expect(cached.findings.map(\.ruleID).contains("kubernetes-secret-data"))
            #expect(cached.bytesScanned == full.bytesScanned)
        }
        #expect(cache.reused >= 8)
        let other = Array(versions[0].utf8).withUnsafeBufferPointer {
            scanner.scan(path: "apps/y/manifests.yaml", buffer: $0, cache: cache)
        }
        #expect(other.findings.allSatisfy { $0.file == "apps/y/manifests.yaml" })
    }
}
