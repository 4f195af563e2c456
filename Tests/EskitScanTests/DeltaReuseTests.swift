import EskitCore
import TestSupport
import Testing

@testable import EskitScan

/// A version of a multi-document file rebuilt from an earlier one by copied runs (a git delta) reuses the documents
/// it copied whole: same findings as a work-tree scan of it, document starts equal to a full search.
/// The generated files are line soup on purpose (separators and look-alikes in every position, broken YAML).
@Suite struct DeltaReuseTests {
    typealias Generator = SplitMix64

    static let separators = ["---\n", "---\r\n", "--- !tag\n", "---\t\n", "--- # c\n"]
    static let noise = ["----\n", " ---\n", "a: '---'\n", "b: |\n  ---\n  x\n", "c: 1\n", "# ---\n", "d: -- -\n"]

    func document(_ i: Int, _ g: inout Generator) -> String {
        switch g.below(6) {
        case 0:
            let value = Sample.base64(of: Scan.secret(20, seed: UInt64(i % 5) + 300))
            return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\(i % 5)\ndata:\n  password: \(value)\n"
        case 1:
            return
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\(i)\ndata:\n  api_token: "
                + "\"\(Scan.secret(22, seed: UInt64(i % 3) + 400))\"\n"
        case 2:
            return
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\(i)\nspec:\n  replicas: \(i % 4)\n  "
                + "template:\n    spec:\n      containers:\n        - name: app\n          image: "
                + "ghcr.io/example/app:1.\(i).0\n          env:\n            - name: LOG_LEVEL\n              "
                + "value: info\n"
        default:
            return (0..<(1 + g.below(4))).map { _ in Self.noise[g.below(Self.noise.count)] }.joined()
        }
    }

    /// A file of whole lines: documents joined by assorted separators, sometimes with no final line break.
    func file(_ g: inout Generator, documents: Int) -> [String] {
        var lines: [String] = []
        for i in 0..<documents {
            if i > 0 || g.below(3) == 0 { lines.append(Self.separators[g.below(Self.separators.count)]) }
            lines += document(g.below(1000), &g).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map
            { $0 + "\n" }
        }
        return lines
    }

    /// A new version of `lines` by line edits, with the copied runs a delta would have: kept lines are copied
    /// (runs split at random points, as delta copy instructions are), new lines inserted; sometimes a block of
    /// lines is moved, so runs also copy out of order; some lines (most with `splitLines`) are cut at a random byte
    /// with a few bytes inserted there, so runs also start and end inside lines.
    func edit(
        _ lines: [String], _ g: inout Generator, splitLines: Bool = false
    ) -> (lines: [String], copies: [CopiedRun]) {
        var offsets: [Int] = []
        var total = 0
        for line in lines {
            offsets.append(total)
            total += line.utf8.count
        }
        var order = Array(lines.indices)
        if g.below(3) == 0, lines.count > 8 {
            let start = g.below(lines.count - 4), length = 1 + g.below(3)
            let block = Array(order[start..<start + length])
            order.removeSubrange(start..<start + length)
            order.insert(contentsOf: block, at: g.below(order.count))
        }
        var out: [String] = []
        var copies: [CopiedRun] = []
        var target = 0
        func copy(_ index: Int) {
            let length = lines[index].utf8.count
            if let last = copies.last, last.source + last.length == offsets[index], last.target + last.length == target,
                g.below(4) != 0
            {
                copies[copies.count - 1].length += length
            } else {
                copies.append(CopiedRun(source: offsets[index], target: target, length: length))
            }
            out.append(lines[index])
            target += length
        }
        func copyPart(_ index: Int, _ range: Range<Int>) {
            let bytes = Array(lines[index].utf8)[range]
            guard !bytes.isEmpty else { return }
            copies.append(CopiedRun(source: offsets[index] + range.lowerBound, target: target, length: bytes.count))
            out.append(String(decoding: bytes, as: UTF8.self))
            target += bytes.count
        }
        for index in order {
            let roll = g.below(12)
            switch splitLines && roll > 6 ? 3 : roll {
            case 0: continue
            case 3:
                let length = lines[index].utf8.count
                let cut = g.below(length + 1)
                copyPart(index, 0..<cut)
                let inserted = String(
                    (0..<g.below(4)).map { _ in ["-", "\n", " ", "x", "\t", "\r"][g.below(6)] }.joined())
                out.append(inserted)
                target += inserted.utf8.count
                copyPart(index, cut..<length)
            case 1:
                let inserted = [
                    Self.separators[g.below(Self.separators.count)], Self.noise[g.below(Self.noise.count)],
                ][g.below(2)]
                out.append(inserted)
                target += inserted.utf8.count
                copy(index)
            case 2:
                let changed = "      value: v\(g.below(100))\n"
                out.append(changed)
                target += changed.utf8.count
            default:
                copy(index)
            }
        }
        if g.below(4) == 0, let last = out.last, last.hasSuffix("\n") {
            out[out.count - 1] = String(last.dropLast())
            target -= 1
            if let run = copies.last, run.target + run.length > target {
                copies[copies.count - 1].length -= 1
                if copies[copies.count - 1].length == 0 { copies.removeLast() }
            }
        }
        return (out, copies)
    }

    @Test func documentStartsOfARebuiltVersionEqualAFullSearch() {
        var g = Generator(seed: 11)
        for round in 0..<3000 {
            let base = file(&g, documents: 2 + g.below(8)).joined()
            let (lines, copies) = edit(
                base.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" }, &g,
                splitLines: round % 2 == 0)
            _ = lines
            let baseBytes = Array(base.utf8)
            let baseStarts = baseBytes.withUnsafeBufferPointer {
                ManifestFile.documentSlices(ByteText(base: $0, path: "a.yaml")).map(\.lowerBound)
            }
            let table = DocumentTable(
                path: "a.yaml", length: baseBytes.count, starts: baseStarts,
                entries: baseStarts.map { _ in DocumentCache.Entry(findings: [], suppressed: 0) },
                newlines: baseStarts.map { _ in 0 }, reused: 0)
            let child = Array(lines.joined().utf8)
            for run in copies {
                #expect(
                    Array(baseBytes[run.source..<run.source + run.length])
                        == Array(child[run.target..<run.target + run.length]), "round \(round): bad test copy")
            }
            let expected = child.withUnsafeBufferPointer {
                ManifestFile.documentSlices(ByteText(base: $0, path: "a.yaml")).map(\.lowerBound)
            }
            let found = child.withUnsafeBufferPointer { DocumentStarts.find(in: $0, earlier: table, copies: copies) }
            #expect(found == expected, "round \(round)")
        }
    }

    @Test func rebuiltVersionsGiveTheFindingsOfAFullScan() {
        var g = Generator(seed: 29)
        let scanner = Scan.scanner
        let paths = ["apps/x/manifests.yaml", "apps/y/prod/rendered.yaml", "apps/z/ALL.YAML"]
        var reused = 0
        for round in 0..<120 {
            var lines = file(&g, documents: 3 + g.below(10))
            var table: DocumentTable?
            var previous: [UInt8] = []
            for version in 0..<4 {
                var copies: [CopiedRun] = []
                if version > 0 { (lines, copies) = edit(lines, &g) }
                let path = paths[g.below(paths.count)]
                let bytes = Array(lines.joined().utf8)
                for run in copies {
                    #expect(
                        Array(previous[run.source..<run.source + run.length])
                            == Array(bytes[run.target..<run.target + run.length]))
                }
                let full = scanner.scan(ScanInput(path: path, bytes: bytes))
                let (result, next) = bytes.withUnsafeBufferPointer {
                    scanner.scan(path: path, buffer: $0, cache: DocumentCache(), earlier: table, copies: copies)
                }
                #expect(result.findings == full.findings, "round \(round) version \(version)")
                #expect(result.suppressed == full.suppressed && result.bytesScanned == full.bytesScanned)
                reused += next?.reused ?? 0
                table = next
                previous = bytes
            }
        }
        #expect(reused > 150)
    }

    @Test func anotherExtensionOrNoCopiesReusesNothing() {
        var g = Generator(seed: 5)
        let lines =
            file(&g, documents: 6) + [
                "---\n", "apiVersion: v1\n", "kind: Secret\n", "metadata:\n", "  name: db\n",
                "stringData:\n", "  password: \(Scan.secret(20, seed: 77))\n",
            ]
        let bytes = Array(lines.joined().utf8)
        let scanner = Scan.scanner
        let whole = [CopiedRun(source: 0, target: 0, length: bytes.count)]
        let (first, firstTable) = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "a.yaml", buffer: $0, cache: DocumentCache(), earlier: nil, copies: [])
        }
        let table = try! #require(firstTable)
        #expect(!first.findings.isEmpty)
        let same = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "a.yaml", buffer: $0, cache: DocumentCache(), earlier: table, copies: whole)
        }
        #expect(same.table?.reused == table.starts.count)
        let moved = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "deploy/b.yaml", buffer: $0, cache: DocumentCache(), earlier: table, copies: whole)
        }
        #expect(moved.table?.reused == table.starts.count)
        let fresh = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "deploy/b.yaml", buffer: $0, cache: DocumentCache())
        }
        #expect(moved.result.findings == fresh.findings)
        #expect(moved.result.findings.allSatisfy { $0.file == "deploy/b.yaml" })
        #expect(Set(moved.result.findings.map(\.fingerprint)).isDisjoint(with: first.findings.map(\.fingerprint)))
        let other = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "b.yml", buffer: $0, cache: DocumentCache(), earlier: table, copies: whole)
        }
        #expect(other.table?.reused == 0)
        let none = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "a.yaml", buffer: $0, cache: DocumentCache(), earlier: table, copies: [])
        }
        #expect(none.table?.reused == 0)
    }

    @Test func theDocumentCacheServesAnotherPathWithItsOwnFileName() {
        var g = Generator(seed: 8)
        let lines =
            file(&g, documents: 8) + [
                "---\n", "kind: Secret\n", "apiVersion: v1\n", "stringData:\n",
                "  token: \(Scan.secret(24, seed: 78))\n",
            ]
        let bytes = Array(lines.joined().utf8)
        let scanner = Scan.scanner
        let cache = DocumentCache()
        _ = bytes.withUnsafeBufferPointer { scanner.scan(path: "env/dev/app.yaml", buffer: $0, cache: cache) }
        let before = cache.reused
        let second = bytes.withUnsafeBufferPointer { scanner.scan(path: "env/prod/app.yaml", buffer: $0, cache: cache) }
        #expect(cache.reused > before)
        let fresh = bytes.withUnsafeBufferPointer {
            scanner.scan(path: "env/prod/app.yaml", buffer: $0, cache: DocumentCache())
        }
        #expect(!fresh.findings.isEmpty)
        #expect(second.findings == fresh.findings)
    }

    @Test func addedLinesSelectFindingsInAnyDocument() {
        let a = Scan.secret(20, seed: 91), b = Scan.secret(22, seed: 92)
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: one\nstringData:\n  password: \(a)\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n"
            + "apiVersion: v1\nkind: Secret\nmetadata:\n  name: two\nstringData:\n  token: \(b)\n"
        let all = Scan.run(text)
        #expect(all.map(\.span.start.line) == [6, 18])
        #expect(Scan.run(text, addedLines: [18]).map(\.span.start.line) == [18])
        #expect(Scan.run(text, addedLines: [6, 7]).map(\.span.start.line) == [6])
        #expect(Scan.run(text, addedLines: [12]).isEmpty)
    }
}
