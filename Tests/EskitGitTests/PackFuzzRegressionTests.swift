import Foundation
import TestSupport
import Testing

@testable import EskitGit

/// Pack inputs the fuzzer (bench/fuzz.sh, pack target) found to crash the reader, each rebuilt here from a real
/// pack: damage must read as damage (the object goes to libgit2, which reports it), never as a trap.
@Suite("Pack reader: inputs found by fuzzing")
struct PackFuzzRegressionTests {
    /// A repository with one pack of a few objects; returns the pack's path without `.pack` / `.idx`.
    static func packed(_ repo: GitRepoBuilder) throws -> String {
        try repo.commit("one", files: ["a.yaml": "a: 1\n", "b/c.yaml": "c: 2\n"])
        try repo.git(["repack", "-adq"])
        let folder = repo.root.appendingPathComponent(".git/objects/pack")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".pack") })
        return folder.appendingPathComponent(String(name.dropLast(5))).path
    }

    /// The object ids a version 2 index lists.
    static func ids(_ index: [UInt8]) -> [GitObjectID] {
        let count = index[8 + 1020..<8 + 1024].reduce(0) { $0 << 8 | Int($1) }
        return (0..<count).map { i in index.withUnsafeBytes { GitObjectID(raw: $0.baseAddress! + 8 + 1024 + i * 20) } }
    }

    /// Crash `crash-e631319d`: a version 2 index whose 64-bit offset table holds a value above Int.max trapped
    /// converting it (`Int(UInt64)`). Such an offset is no offset: the object is not read from the pack.
    @Test func aLargeOffsetAboveIntMaxIsNoOffset() throws {
        let repo = try GitRepoBuilder()
        let stem = try Self.packed(repo)
        try FileManager.default.removeItem(atPath: stem + ".idx")
        try repo.git(["index-pack", "--index-version=2,0", stem + ".pack"])
        var index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stem + ".idx")))
        let ids = Self.ids(index)
        try #require(ids.count >= 5)
        let offsets = 8 + 1024 + ids.count * 24
        let large = offsets + ids.count * 4
        for i in 0..<ids.count {
            // Every entry must point into the 64-bit table for the damage to reach it.
            try #require(index[offsets + i * 4] & 0x80 != 0)
            let slot =
                Int(index[offsets + i * 4] & 0x7F) << 24 | Int(index[offsets + i * 4 + 1]) << 16
                | Int(index[offsets + i * 4 + 2]) << 8 | Int(index[offsets + i * 4 + 3])
            index[large + slot * 8] |= 0x80
        }
        try Data(index).write(to: URL(fileURLWithPath: stem + ".idx"))

        let store = PackStore(objectsDirectory: repo.root.appendingPathComponent(".git/objects").path)
        #expect(store.packs.count == 1)
        let cache = PackObjectCache(store: store)
        for id in ids {
            #expect(store.locate(id) == nil)
            guard case .notPacked = cache.lookup(id) else {
                Issue.record("\(id) read from a damaged offset")
                continue
            }
        }
    }
}
