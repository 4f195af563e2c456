import Foundation
import TestSupport
import Testing

@testable import EskitGit

@Suite("Reading blobs")
struct BlobReadingTests {
    @Test("binary hint, symlinks included, submodule entries skipped, detached HEAD walked")
    func entryKinds() throws {
        let b = try GitRepoBuilder()
        try b.write("image.bin", bytes: [0x89, 0x50, 0, 0, 7])
        try FileManager.default.createSymbolicLink(
            atPath: b.root.appendingPathComponent("link").path,
            withDestinationPath: "target/of/link")
        let first = try b.commit("one", files: ["text.txt": "plain\n"])
        try b.git(["update-index", "--add", "--cacheinfo", "160000,\(first),vendor/sub"])
        try b.git(["commit", "-q", "-m", "submodule"])
        try b.git(["checkout", "-q", "--detach"])
        let detached = try b.commit("detached only", files: ["detached.txt": "on a detached HEAD\n"])
        let repository = try GitRepository(path: b.root.path)
        let history = try repository.blobHistory()
        #expect(history.commits.last?.id.hex == detached)
        #expect(Set(history.blobs.flatMap(\.paths)) == ["image.bin", "link", "text.txt", "detached.txt"])
        #expect(Set(history.blobs.map(\.id.hex)) == (try HistoryRepository.gitBlobs(in: b.root, ["--all", "HEAD"])))
        var binary: [String: Bool] = [:]
        _ = try repository.readBlobs(of: history) { content in
            binary[content.blob.firstAppearance.path] = content.isBinary
            if content.blob.firstAppearance.path == "link" {
                #expect(Array(content.bytes) == Array("target/of/link".utf8))
            }
        }
        #expect(binary == ["image.bin": true, "link": false, "text.txt": false, "detached.txt": false])
    }

    @Test("an error thrown by the visitor stops the read and comes back")
    func visitorError() throws {
        struct Stop: Error {}
        let b = try GitRepoBuilder()
        try b.commit("one", files: ["a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n"])
        let repository = try GitRepository(path: b.root.path)
        let history = try repository.blobHistory()
        var visits = 0
        #expect(throws: Stop.self) {
            try repository.readBlobs(of: history) { _ in
                visits += 1
                throw Stop()
            }
        }
        #expect(visits == 1)
        let big = try GitRepoBuilder()
        var files: [String: String] = [:]
        for i in 0..<300 { files["f\(i).txt"] = "file \(i)\n" }
        try big.commit("many", files: files)
        let many = try GitRepository(path: big.root.path).blobHistory()
        let counter = Collected()
        #expect(throws: Stop.self) {
            try many.readBlobs(workers: 2) { content in
                counter.add(content.blob.id.hex, "")
                throw Stop()
            }
        }
        #expect(counter.values.count <= 2)
    }

    @Test("an empty history reads nothing")
    func empty() throws {
        let b = try GitRepoBuilder()
        let repository = try GitRepository(path: b.root.path)
        let history = try repository.blobHistory()
        #expect(try repository.readBlobs(of: history) { _ in Issue.record("no blob expected") } == BlobReadSummary())
        #expect(try history.readBlobs(workers: 4) { _ in Issue.record("no blob expected") } == BlobReadSummary())
        #expect(try repository.untrackedFiles().isEmpty)
        #expect(try repository.trackedFiles().isEmpty)
        #expect(try repository.stagedChanges().isEmpty)
    }
}
