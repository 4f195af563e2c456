import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Reading blobs straight from packs")
struct PackReadingTests {
    /// How the test repository's objects are packed before the read.
    enum Packing: String, CaseIterable, CustomTestStringConvertible {
        case deep, shallow, referenceDeltas, indexVersion1, largeOffsets

        var testDescription: String { rawValue }

        func apply(to repo: PackRepository) throws {
            switch self {
            case .deep: try repo.builder.git(["repack", "-adfq", "--depth=200", "--window=50"])
            case .shallow: try repo.builder.git(["repack", "-adq", "--depth=3", "--window=5"])
            case .referenceDeltas: try repo.builder.git(["-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"])
            case .indexVersion1:
                try repo.builder.git(["repack", "-adfq"])
                try repo.reindex(version: "1")
            case .largeOffsets:
                try repo.builder.git(["repack", "-adfq"])
                try repo.reindex(version: "2,0x100")
            }
        }

        /// Fails the test when the pack does not hold what this packing is meant to exercise.
        func expectShape(of repo: PackRepository) throws {
            let stems = try repo.packs()
            #expect(stems.count == 1)
            let stem = try #require(stems.first)
            let entries = try VerifiedEntry.list(stem, in: repo.root)
            let pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stem + ".pack")))
            let index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stem + ".idx")))
            let types = Set(entries.filter { $0.base != nil }.map { $0.packType(in: pack) })
            let depth = entries.map(\.depth).max() ?? 0
            switch self {
            case .deep: #expect(depth >= 10 && types == [6])
            case .shallow: #expect(depth == 3 && types == [6])
            case .referenceDeltas: #expect(depth >= 3 && types == [7])
            case .indexVersion1: #expect(index.prefix(4) != [0xFF, 0x74, 0x4F, 0x63] && types == [6])
            case .largeOffsets:
                let large = (index.count - (8 + 1024 + 28 * entries.count + 40)) / 8
                #expect(index.prefix(4) == [0xFF, 0x74, 0x4F, 0x63] && large > entries.count / 2)
            }
        }
    }

    @Test("every blob is rebuilt once with git's bytes, whatever the packing", arguments: Packing.allCases)
    func equalsGit(packing: Packing) throws {
        let repo = try PackRepository()
        try packing.apply(to: repo)
        try packing.expectShape(of: repo)
        let history = try repo.history()
        let expected = try GitBlobs.contents(history.blobs.map(\.id), in: repo.root)
        #expect(expected.count == history.blobs.count && expected.count > 40)
        #expect(expected.values.contains([]) && expected.values.contains { $0.count > 0x10000 && $0.contains(0) })
        #expect(
            expected.values.contains { $0.count > 100 && $0.starts(with: Array("crlf line".utf8)) && $0.contains(0x0D) }
        )
        let (log, summary) = try DeltaReadLog.read(history, workers: 2)
        try Self.expectExact(log, expected)
        try Self.expectDirect(log, try VerifiedEntry.list(try #require(try repo.packs().first), in: repo.root))
        let reference = try history.readBlobs(workers: 1) { _ in }
        #expect(summary == reference)
        #expect(summary.blobs == history.blobs.count && summary.warnings.isEmpty && summary.skipped == 0)
        let copies = log.deltas.values.flatMap(\.copies)
        #expect(log.deltas.count >= history.blobs.count / 2)
        #expect(copies.contains { $0.length >= 0x10000 } && copies.contains { $0.source >= 0x10000 })
    }

    @Test("loose blobs, blobs of two packs and blobs of an alternate object store are all read")
    func mixedStorage() throws {
        var repo = try PackRepository(versions: 6)
        try repo.builder.git(["repack", "-adfq"])
        try repo.commitVersions(5)
        try repo.builder.git(["repack", "-dq"])
        try repo.commitVersions(4)
        let stems = try repo.packs()
        #expect(stems.count == 2)
        let history = try repo.history()
        let inPacks = try stems.map { stem in Set(try VerifiedEntry.list(stem, in: repo.root).map(\.id)) }
        let loose = history.blobs.filter { repo.isLoose($0.id) }
        #expect(!loose.isEmpty && inPacks.allSatisfy { pack in history.blobs.contains { pack.contains($0.id.hex) } })
        let (log, summary) = try DeltaReadLog.read(history, workers: 2)
        try Self.expectExact(log, try GitBlobs.contents(history.blobs.map(\.id), in: repo.root))
        let entries = try stems.flatMap { try VerifiedEntry.list($0, in: repo.root) }
        try Self.expectDirect(log, entries)
        #expect(summary == (try history.readBlobs(workers: 1) { _ in }))

        let clone = try Fixtures.temporaryFolder("eskit-shared").appendingPathComponent("clone")
        try repo.builder.git(["clone", "-q", "--shared", repo.root.path, clone.path])
        #expect(
            FileManager.default.fileExists(atPath: clone.appendingPathComponent(".git/objects/info/alternates").path))
        for n in 0..<3 {
            try Data("clone only \(n)\n".utf8).write(to: clone.appendingPathComponent("clone.txt"))
            try repo.builder.git(["add", "-A"], in: clone)
            try repo.builder.git(["commit", "-qm", "clone \(n)"], in: clone)
        }
        try repo.builder.git(["repack", "-dlq"], in: clone)
        let cloned = try GitRepository(path: clone.path).blobHistory()
        #expect(cloned.blobs.count == history.blobs.count + 3)
        let (clonedLog, clonedSummary) = try DeltaReadLog.read(cloned, workers: 3)
        try Self.expectExact(clonedLog, try GitBlobs.contents(cloned.blobs.map(\.id), in: clone))
        let clonePacks = try repo.packs(in: clone.appendingPathComponent(".git/objects"))
        #expect(clonePacks.count == 1)
        try Self.expectDirect(clonedLog, try (clonePacks + stems).flatMap { try VerifiedEntry.list($0, in: clone) })
        #expect(clonedSummary == (try cloned.readBlobs(workers: 1) { _ in }))
    }

    @Test("the packs are found from a linked worktree, a bare clone and a relative alternates path")
    func otherLayouts() throws {
        let repo = try PackRepository(versions: 8)
        try Packing.deep.apply(to: repo)
        let stems = try repo.packs()
        let folder = try Fixtures.temporaryFolder("eskit-layouts")
        let worktree = folder.appendingPathComponent("worktree"), bare = folder.appendingPathComponent("bare.git")
        let shared = folder.appendingPathComponent("shared")
        try repo.builder.git(["worktree", "add", "-q", "--detach", worktree.path])
        try repo.builder.git(["clone", "-q", "--bare", "--no-local", repo.root.path, bare.path])
        try repo.builder.git(["repack", "-adfq"], in: bare)
        try repo.builder.git(["clone", "-q", "--shared", repo.root.path, shared.path])
        let alternates = shared.appendingPathComponent(".git/objects/info/alternates")
        let relative = "../../../../\(repo.root.lastPathComponent)/.git/objects\n"
        try Data(relative.utf8).write(to: alternates)
        let barePacks = try repo.packs(in: bare.appendingPathComponent("objects"))
        let layouts = [(worktree, stems), (bare, barePacks), (shared, stems)]
        for (path, packs) in layouts {
            let history = try GitRepository(path: path.path).blobHistory()
            #expect(history.blobs.count > 20, "\(path.lastPathComponent)")
            let (log, summary) = try DeltaReadLog.read(history, workers: 2)
            try Self.expectExact(log, try GitBlobs.contents(history.blobs.map(\.id), in: path))
            try Self.expectDirect(log, try packs.flatMap { try VerifiedEntry.list($0, in: path) })
            #expect(summary == (try history.readBlobs(workers: 1) { _ in }))
        }
    }

    @Test(
        "a delta's base was visited before it on the same thread and every copied run matches the base",
        arguments: [1, 4])
    func deltaRuns(workers: Int) throws {
        let repo = try PackRepository()
        try Packing.deep.apply(to: repo)
        let history = try repo.history()
        let (log, _) = try DeltaReadLog.read(history, workers: workers)
        #expect(log.problems.isEmpty, "\(log.problems.prefix(5))")
        let ids = Set(history.blobs.map(\.id))
        let deltas = log.deltas
        #expect(deltas.count >= history.blobs.count / 2)
        for (id, delta) in deltas {
            #expect(delta.base != id && ids.contains(delta.base))
        }
        let bytes = log.bytes
        let manifestRuns = deltas.filter { bytes[$0.key].map { $0.count > 100_000 && !$0.contains(0) } ?? false }
        #expect(!manifestRuns.isEmpty)
        for (id, delta) in manifestRuns {
            let copied = delta.copies.reduce(0) { $0 + $1.length }
            #expect(copied * 10 > (bytes[id]?.count ?? 0) * 9, "a few changed lines leave nearly everything copied")
        }
    }

    @Test("include turns blobs down once each; their delta children are still rebuilt right")
    func include() throws {
        let repo = try PackRepository()
        try Packing.deep.apply(to: repo)
        let history = try repo.history()
        let expected = try GitBlobs.contents(history.blobs.map(\.id), in: repo.root)
        let wrongSizes = Collected()
        let admit: @Sendable (HistoryBlob, Int) -> Bool = { blob, size in
            if expected[blob.id]?.count != size { wrongSizes.add(blob.id.hex, "\(size)") }
            return Self.evenOrSmall(size)
        }
        let (log, summary) = try DeltaReadLog.read(history, workers: 2, include: admit)
        #expect(wrongSizes.values.isEmpty)
        #expect(log.asks.count == history.blobs.count && log.asks.values.allSatisfy { $0 == 1 })
        let admitted = expected.filter { Self.evenOrSmall($0.value.count) }
        #expect(summary.skipped == history.blobs.count - admitted.count && summary.skipped > 5)
        try Self.expectExact(log, admitted)
        #expect(summary == (try history.readBlobs(workers: 1, include: admit) { _ in }))
        let entries = try VerifiedEntry.list(try #require(try repo.packs().first), in: repo.root)
        let turnedDown = Set(expected.keys.filter { admitted[$0] == nil }.map(\.hex))
        #expect(
            entries.contains { entry in
                entry.base.map(turnedDown.contains) == true && admitted[GitObjectID(hex: entry.id)!] != nil
            }, "some visited blob is a delta of a turned-down one")

        let (none, noneSummary) = try DeltaReadLog.read(history, workers: 2) { _, _ in false }
        #expect(none.visits.isEmpty && noneSummary.skipped == history.blobs.count && noneSummary.blobs == 0)
        #expect(none.asks.count == history.blobs.count && none.asks.values.allSatisfy { $0 == 1 })
    }

    @Test("a range's blobs are rebuilt through delta bases outside the range, which are never visited")
    func rangeWithOutsideBases() throws {
        let repo = try PackRepository()
        try Packing.deep.apply(to: repo)
        let commits = try repo.builder.git(["rev-list", "--reverse", "HEAD"]).split(separator: "\n").map(String.init)
        let history = try GitRepository(path: repo.root.path).blobHistory(.range("\(commits[1])..\(commits[6])"))
        let all = try repo.history()
        #expect(!history.blobs.isEmpty && history.blobs.count < all.blobs.count / 2)
        let (log, summary) = try DeltaReadLog.read(history, workers: 2)
        try Self.expectExact(log, try GitBlobs.contents(history.blobs.map(\.id), in: repo.root))
        #expect(summary == (try history.readBlobs(workers: 1) { _ in }))
        let wanted = Set(history.blobs.map(\.id.hex))
        let entries = try VerifiedEntry.list(try #require(try repo.packs().first), in: repo.root)
        #expect(
            entries.contains { wanted.contains($0.id) && $0.base.map(wanted.contains) == false },
            "some blob of the range is a delta of a blob outside it")
        let outside = entries.filter { entry in entry.base.map { !wanted.contains($0) } ?? false }
        #expect(outside.allSatisfy { log.deltas[GitObjectID(hex: $0.id)!] == nil })
        try Self.expectDirect(log, entries.filter { $0.base.map(wanted.contains) ?? true })
    }

    @Test("an error thrown by the visitor stops every worker and comes back", arguments: [1, 3])
    func visitorError(workers: Int) throws {
        struct Stop: Error {}
        var repo = try PackRepository(versions: 6)
        try repo.builder.git(["repack", "-adfq"])
        try repo.commitVersions(2)
        let history = try repo.history()
        let visits = Collected()
        #expect(throws: Stop.self) {
            try history.readBlobsInDeltaOrder(workers: workers) { content in
                visits.add(content.blob.id.hex, "")
                throw Stop()
            }
        }
        #expect(!visits.values.isEmpty && visits.values.count <= workers)
    }

    @Test("an empty history reads nothing; blobs both packed and loose are read once, from the pack")
    func emptyAndDuplicated() throws {
        let empty = try GitRepoBuilder()
        let nothing = try GitRepository(path: empty.root.path).blobHistory()
        #expect(
            try nothing.readBlobsInDeltaOrder(workers: 4) { _ in Issue.record("no blob expected") } == BlobReadSummary()
        )
        let repo = try PackRepository(versions: 6)
        try repo.builder.git(["repack", "-afq"])
        let history = try repo.history()
        #expect(history.blobs.allSatisfy { repo.isLoose($0.id) })
        let (log, summary) = try DeltaReadLog.read(history, workers: 2)
        try Self.expectExact(log, try GitBlobs.contents(history.blobs.map(\.id), in: repo.root))
        try Self.expectDirect(log, try VerifiedEntry.list(try #require(try repo.packs().first), in: repo.root))
        #expect(summary == (try history.readBlobs(workers: 1) { _ in }))
    }

    /// Which pack entry gets a byte flipped in its zlib data.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case deltaWithChildren, wholeWithChildren, leafDelta
        var testDescription: String { rawValue }

        func pick(_ entries: [VerifiedEntry]) -> VerifiedEntry? {
            let bases = Set(entries.compactMap(\.base))
            return entries.filter { entry in
                guard entry.type == "blob", entry.sizeInPack >= 40 else { return false }
                switch self {
                case .deltaWithChildren: return entry.base != nil && bases.contains(entry.id)
                case .wholeWithChildren: return entry.base == nil && bases.contains(entry.id)
                case .leafDelta: return entry.base != nil && !bases.contains(entry.id)
                }
            }.max { $0.sizeInPack < $1.sizeInPack }
        }
    }

    /// A deep-packed repository with one entry's zlib data damaged, read as git read it before the damage.
    struct DamagedRepository {
        let history: BlobHistory
        let expected: [GitObjectID: [UInt8]]
        let entries: [VerifiedEntry]
        /// The damaged entry and every entry whose delta chain goes through it (by id).
        let below: Set<String>

        init(_ damage: Damage) throws {
            let repo = try PackRepository()
            try Packing.deep.apply(to: repo)
            history = try repo.history()
            expected = try GitBlobs.contents(history.blobs.map(\.id), in: repo.root)
            let stem = try #require(try repo.packs().first)
            entries = try VerifiedEntry.list(stem, in: repo.root)
            let target = try #require(damage.pick(entries))
            try PackReadingTests.flipByte(at: target.offset + target.sizeInPack / 2, of: stem + ".pack")
            var below: Set<String> = [target.id]
            var grew = true
            while grew {
                let next = below.union(entries.filter { $0.base.map(below.contains) == true }.map(\.id))
                grew = next.count > below.count
                below = next
            }
            self.below = below
        }
    }

    @Test(
        "a damaged entry costs its own tree only: never wrong bytes, every blob read or warned about",
        arguments: Damage.allCases)
    func damagedEntry(damage: Damage) throws {
        let damaged = try DamagedRepository(damage)
        for workers in [1, 3] {
            let (log, summary) = try DeltaReadLog.read(damaged.history, workers: workers)
            try Self.expectRead(log, summary, damaged.expected, allBut: damaged.below)
            try Self.expectDirect(log, damaged.entries.filter { !damaged.below.contains($0.id) })
            #expect(!summary.warnings.isEmpty, "libgit2 cannot read the damaged blob either")
        }
    }

    @Test(
        "under a damaged entry include is still asked at most once per blob and a turned-down blob is never read",
        arguments: Damage.allCases)
    func damagedWithInclude(damage: Damage) throws {
        let damaged = try DamagedRepository(damage)
        let (log, summary) = try DeltaReadLog.read(damaged.history, workers: 2) { Self.evenOrSmall($1) }
        let asks = log.asks
        let visits = log.bytes
        #expect(asks.values.allSatisfy { $0 == 1 } && log.visits.values.allSatisfy { $0 == 1 })
        let unasked = damaged.expected.keys.filter { asks[$0] == nil }
        #expect(unasked.allSatisfy { id in summary.warnings.contains { $0.object == id } })
        #expect(visits.allSatisfy { damaged.expected[$0.key] == $0.value && Self.evenOrSmall($0.value.count) })
        let turnedDown = damaged.expected.filter { asks[$0.key] != nil && !Self.evenOrSmall($0.value.count) }
        #expect(summary.skipped == turnedDown.count && summary.skipped > 0)
        let undamaged = damaged.expected.filter { !damaged.below.contains($0.key.hex) }
        #expect(undamaged.allSatisfy { asks[$0.key] == 1 })
        #expect(summary.blobs + summary.skipped + summary.warnings.count == damaged.expected.count)
        #expect(log.problems.isEmpty, "\(log.problems.prefix(5))")
    }

    @Test(
        "a truncated .idx or .pack is left to libgit2: warnings, no crash, no wrong bytes",
        arguments: ["idx", "pack"])
    func truncated(ending: String) throws {
        let repo = try PackRepository()
        try Packing.deep.apply(to: repo)
        let history = try repo.history()
        let expected = try GitBlobs.contents(history.blobs.map(\.id), in: repo.root)
        let stem = try #require(try repo.packs().first)
        let path = stem + "." + ending
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        for workers in [1, 2] {
            let (log, summary) = try DeltaReadLog.read(history, workers: workers)
            try Self.expectRead(log, summary, expected, allBut: Set(expected.keys.map(\.hex)))
            #expect(!summary.warnings.isEmpty)
        }
    }

    @Test("1, 2 and 4 workers read the same bytes and the same deltas")
    func workers() throws {
        let repo = try PackRepository()
        try Packing.deep.apply(to: repo)
        let history = try repo.history()
        var results:
            [(
                bytes: [GitObjectID: [UInt8]], bases: [GitObjectID: GitObjectID],
                copies: [GitObjectID: [BlobDelta.Copy]], summary: BlobReadSummary
            )] = []
        for workers in [1, 2, 4] {
            let (log, summary) = try DeltaReadLog.read(history, workers: workers)
            #expect(log.problems.isEmpty && log.visits.values.allSatisfy { $0 == 1 })
            results.append((log.bytes, log.deltas.mapValues(\.base), log.deltas.mapValues(\.copies), summary))
        }
        #expect(results[0].bytes.count == history.blobs.count)
        for other in results.dropFirst() {
            #expect(other.bytes == results[0].bytes)
            #expect(other.bases == results[0].bases)
            #expect(other.copies == results[0].copies)
            #expect(other.summary == results[0].summary)
        }
    }

    @Test(
        """
        hand-written deltas: the 0x10000 default length, 3-byte sizes and offsets, joined runs, a REF_DELTA on an \
        OFS_DELTA
        """,
        arguments: ["1", "2", "2,0x20"])
    func handWrittenDeltas(indexVersion: String) throws {
        let crafted = try HandWrittenPack(indexVersion: indexVersion)
        let ids = crafted.ids
        guard case .offsetDelta(_, let first) = crafted.entries()[1] else { return }
        #expect(first.contains(0x80 | 0x01 | 0x02 | 0x04) && first.contains(0x80 | 0x04 | 0x10 | 0x40))
        let entries = try VerifiedEntry.list(crafted.stem, in: crafted.builder.root)
        #expect(Set(entries.map(\.id)) == Set(ids.map(\.hex)) && entries.map(\.depth).max() == 2)
        let history = try GitRepository(path: crafted.builder.root.path).blobHistory()
        let expected = try GitBlobs.contents(ids, in: crafted.builder.root)
        #expect(expected == crafted.contents)
        let (log, summary) = try DeltaReadLog.read(history, workers: 1)
        try Self.expectExact(log, expected)
        #expect(summary.blobs == 3 && summary.bytes == expected.values.reduce(0) { $0 + $1.count })
        #expect(log.deltas[ids[1]]?.base == ids[0])
        #expect(
            log.deltas[ids[1]]?.copies == [
                .init(source: 0x12345, target: 0, length: 0x10000),
                .init(source: 0x10000, target: 0x10003, length: 0x10011),
                .init(source: 0, target: 0x20014, length: 0x100),
                .init(source: 0x100, target: 0x20193, length: 0x40),
            ])
        #expect(log.deltas[ids[2]]?.base == ids[1])
        #expect(
            log.deltas[ids[2]]?.copies == [
                .init(source: 5, target: 0, length: 10),
                .init(source: 0x10003, target: 15, length: 0x10000),
            ])
    }

    @Test("a delta zlib accepts but whose copy reads past its base: its tree is warned about, include asked once")
    func deltaOutsideBase() throws {
        let crafted = try HandWrittenPack(indexVersion: "2")
        let path = crafted.stem + ".pack"
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let bad = try PackWriter.bytes(crafted.entries(firstCopy: 0x22345))
        #expect(bad.count == good.count && bad != good)
        try Self.overwrite(path, with: bad.dropLast(20) + good.suffix(20))
        let history = try GitRepository(path: crafted.builder.root.path).blobHistory()
        let expected = crafted.contents
        for workers in [1, 2] {
            let (log, summary) = try DeltaReadLog.read(history, workers: workers) { _, _ in true }
            try Self.expectRead(log, summary, expected, allBut: Set(crafted.ids.dropFirst().map(\.hex)))
            #expect(log.bytes[crafted.ids[0]] == crafted.base && log.asks.values.allSatisfy { $0 == 1 })
            #expect(log.asks[crafted.ids[1]] == 1 && summary.warnings.count == 2)
        }
    }

    @Test(
        "an entry header or a delta claiming an exabyte-sized object is damage, not an allocation",
        arguments: [false, true])
    func hugeSize(inDelta: Bool) throws {
        let crafted = try HandWrittenPack(indexVersion: "2")
        let path = crafted.stem + ".pack"
        var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if inDelta {
            let forged = try PackWriter.bytes(crafted.entries(claimedSize: 1 << 60))
            #expect(forged.count == pack.count)
            pack = forged.dropLast(20) + pack.suffix(20)
        } else {
            pack.replaceSubrange(12..<21, with: [0xB0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        }
        try Self.overwrite(path, with: pack)
        let history = try GitRepository(path: crafted.builder.root.path).blobHistory()
        let expected = crafted.contents
        let (log, summary) = try DeltaReadLog.read(history, workers: 1)
        let damaged = inDelta ? crafted.ids.dropFirst() : crafted.ids[...]
        try Self.expectRead(log, summary, expected, allBut: Set(damaged.map(\.hex)))
        #expect(summary.warnings.count == damaged.count)
    }

    @Test(
        "a REF_DELTA whose base is itself (a cycle) is a warning, never handed to libgit2 (which loops on it)",
        .timeLimit(.minutes(1)))
    func deltaCycle() throws {
        let crafted = try HandWrittenPack(indexVersion: "2")
        let path = crafted.stem + ".pack"
        var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let entries = try VerifiedEntry.list(crafted.stem, in: crafted.builder.root)
        let chained = try #require(entries.first { $0.id == crafted.ids[2].hex })
        let header = pack[chained.offset...].firstIndex { $0 & 0x80 == 0 }! + 1
        #expect(Array(pack[header..<header + 20]) == withUnsafeBytes(of: crafted.ids[1].oid) { Array($0.prefix(20)) })
        pack.replaceSubrange(
            header..<header + 20, with: withUnsafeBytes(of: crafted.ids[2].oid) { Array($0.prefix(20)) })
        try Self.overwrite(path, with: pack)
        let history = try GitRepository(path: crafted.builder.root.path).blobHistory()
        let expected = crafted.contents
        let (log, summary) = try DeltaReadLog.read(history, workers: 1)
        try Self.expectRead(log, summary, expected, allBut: [crafted.ids[2].hex])
        #expect(summary.warnings.map(\.object) == [crafted.ids[2]])
    }

    @Test(
        "a tree whose REF_DELTA base is itself is a warning of the walk, never handed to libgit2",
        .timeLimit(.minutes(1)))
    func treeDeltaCycle() throws {
        let b = try GitRepoBuilder()
        for i in 0..<8 {
            try b.commit(
                "edit \(i)",
                files: [
                    "apps/web/deploy.yaml": "replicas: \(i)\n", "apps/web/v\(i).txt": "v\(i)\n",
                    "README.md": "readme\n",
                ])
        }
        try b.git(["-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"])
        let stem = try #require(
            try FileManager.default.contentsOfDirectory(atPath: b.root.appendingPathComponent(".git/objects/pack").path)
                .first { $0.hasSuffix(".pack") }
        ).dropLast(5)
        let packPath = b.root.appendingPathComponent(".git/objects/pack/\(stem).pack").path
        let entries = try VerifiedEntry.list(String(packPath.dropLast(5)), in: b.root)
        let tree = try #require(entries.first { $0.type == "tree" && $0.base != nil })
        var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packPath)))
        let header = pack[tree.offset...].firstIndex { $0 & 0x80 == 0 }! + 1
        let own = try #require(GitObjectID(hex: tree.id))
        #expect(pack[tree.offset] >> 4 & 7 == 7, "a REF_DELTA entry")
        pack.replaceSubrange(header..<header + 20, with: withUnsafeBytes(of: own.oid) { Array($0.prefix(20)) })
        try Self.overwrite(packPath, with: pack)
        let history = try GitRepository(path: b.root.path).blobHistory()
        #expect(history.warnings.map(\.object) == [own])
        #expect(
            history.warnings.first
                == .deltaLoop(own, commit: history.warnings.first?.commit, path: history.warnings.first?.path))
        #expect(history.blobs.contains { $0.firstAppearance.path == "README.md" })
    }

    @Test("zlib (the fallback when the system has no libdeflate) inflates every entry exactly as libdeflate does")
    func zlibFallbackMatchesLibDeflate() throws {
        let b = try GitRepoBuilder()
        for i in 0..<12 {
            try b.commit(
                "edit \(i)",
                files: [
                    "deploy.yaml": String(repeating: "replicas: \(i)\n", count: 200 + i),
                    "empty.txt": "", "v\(i % 3).txt": "v\(i)\n",
                ])
        }
        try b.git(["repack", "-adfq"])
        let folder = b.root.appendingPathComponent(".git/objects/pack")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".pack") })
        let stem = folder.appendingPathComponent(String(name.dropLast(5))).path
        let pack = try #require(PackFile(packPath: stem + ".pack", indexPath: stem + ".idx"))
        let zlib = Inflater(libDeflate: false)
        let fast = Inflater()
        #expect(!zlib.usesLibDeflate)
        var wholes = 0, deltas = 0
        for verified in try VerifiedEntry.list(stem, in: b.root) {
            let entry = try #require(pack.entry(at: verified.offset))
            if case .whole = entry.kind {
                let a = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, entry.size), alignment: 16)
                let c = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, entry.size), alignment: 16)
                defer { a.deallocate(); c.deallocate() }
                #expect(
                    pack.inflate(entry, into: UnsafeMutableRawBufferPointer(rebasing: a[0..<entry.size]), using: zlib))
                #expect(
                    pack.inflate(entry, into: UnsafeMutableRawBufferPointer(rebasing: c[0..<entry.size]), using: fast))
                #expect(Array(a[0..<entry.size]) == Array(c[0..<entry.size]))
                let short = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, entry.size), alignment: 16)
                defer { short.deallocate() }
                if entry.size > 0 {
                    var wrong = entry
                    wrong.size -= 1
                    #expect(
                        !pack.inflate(
                            wrong, into: UnsafeMutableRawBufferPointer(rebasing: short[0..<wrong.size]), using: zlib))
                }
                wholes += 1
            } else {
                let slow = try #require(pack.delta(entry, using: zlib))
                let slowBytes = Array(slow.instructions)
                let quick = try #require(pack.delta(entry, using: fast))
                #expect(slowBytes == Array(quick.instructions) && slow.result == quick.result)
                deltas += 1
            }
        }
        #expect(wholes > 0 && deltas > 0)
    }

    @Test("an .idx of another pack with the same object count is not trusted")
    func indexOfAnotherPack() throws {
        let b = try GitRepoBuilder()
        let one = [UInt8](repeating: 0x61, count: 300), two = [UInt8](repeating: 0x62, count: 300)
        try b.write("one.txt", bytes: one)
        try b.write("two.txt", bytes: two)
        try b.commit("same sizes")
        let stem = try PackWriter.install([.blob(one), .blob(two)], in: b, indexVersion: "2")
        try b.git(["prune-packed"])
        let swapped = try PackWriter.bytes([.blob(two), .blob(one)])
        try Self.overwrite(stem + ".pack", with: swapped)
        let history = try GitRepository(path: b.root.path).blobHistory()
        let ids = try ["one", "two"].map { try #require(GitObjectID(hex: try b.git(["rev-parse", "HEAD:\($0).txt"]))) }
        #expect(try GitBlobs.contents(ids, in: b.root).isEmpty, "git refuses a pack its index does not match")
        let (log, summary) = try DeltaReadLog.read(history, workers: 1)
        try Self.expectRead(log, summary, [ids[0]: one, ids[1]: two], allBut: Set(ids.map(\.hex)))
    }

    /// The include rule of the include tests: turns down blobs of an odd size from 64 bytes up.
    static func evenOrSmall(_ size: Int) -> Bool { size % 2 == 0 || size < 64 }

    /// Every blob of `expected` visited exactly once with exactly its bytes, nothing else visited, no delta problem.
    static func expectExact(
        _ log: DeltaReadLog, _ expected: [GitObjectID: [UInt8]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = log.bytes
        #expect(log.problems.isEmpty, "\(log.problems.prefix(5))", sourceLocation: sourceLocation)
        #expect(log.visits.values.allSatisfy { $0 == 1 }, sourceLocation: sourceLocation)
        #expect(Set(bytes.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        let wrong = bytes.filter { expected[$0.key] != $0.value }.map(\.key.hex)
        #expect(wrong.isEmpty, "wrong bytes for \(wrong.prefix(5))", sourceLocation: sourceLocation)
    }

    /// After damage: visited blobs have git's bytes, blobs outside `damaged` are all visited, and every blob not
    /// visited is in the warnings.
    static func expectRead(
        _ log: DeltaReadLog, _ summary: BlobReadSummary, _ expected: [GitObjectID: [UInt8]],
        allBut damaged: Set<String>, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = log.bytes
        #expect(log.problems.isEmpty, "\(log.problems.prefix(5))", sourceLocation: sourceLocation)
        #expect(log.visits.values.allSatisfy { $0 == 1 }, sourceLocation: sourceLocation)
        let wrong = bytes.filter { expected[$0.key] != $0.value }.map(\.key.hex)
        #expect(wrong.isEmpty, "wrong bytes for \(wrong.prefix(5))", sourceLocation: sourceLocation)
        let missing = expected.keys.filter { bytes[$0] == nil && !damaged.contains($0.hex) }.map(\.hex)
        #expect(missing.isEmpty, "undamaged blobs not read: \(missing.prefix(5))", sourceLocation: sourceLocation)
        let warned = Set(summary.warnings.map(\.object))
        let lost = expected.keys.filter { bytes[$0] == nil && !warned.contains($0) }.map(\.hex)
        #expect(lost.isEmpty, "blobs neither read nor warned about: \(lost.prefix(5))", sourceLocation: sourceLocation)
        #expect(
            summary.blobs == bytes.count && summary.blobs + summary.warnings.count == expected.count,
            sourceLocation: sourceLocation)
    }

    /// Blobs git packed whole came without `delta`, blobs it packed as deltas came with git's base: they were
    /// rebuilt from the packs, not read again through libgit2.
    static func expectDirect(
        _ log: DeltaReadLog, _ entries: [VerifiedEntry],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let deltas = log.deltas
        let visited = log.bytes
        let read = entries.filter { $0.type == "blob" && visited[GitObjectID(hex: $0.id)!] != nil }
        #expect(!read.isEmpty, sourceLocation: sourceLocation)
        let off = read.filter { deltas[GitObjectID(hex: $0.id)!]?.base.hex != $0.base }.map(\.id)
        #expect(off.isEmpty, "not rebuilt from the pack: \(off.prefix(5))", sourceLocation: sourceLocation)
    }

    static func flipByte(at offset: Int, of path: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[offset] ^= 0x5A
        try overwrite(path, with: bytes)
    }

    /// Replaces a (read-only) pack or index file's bytes.
    static func overwrite(_ path: String, with bytes: [UInt8]) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
