import Foundation
import Testing
import TestSupport
@testable import EskitGit

@Suite("Walking and reading blobs at once")
struct BlobStreamTests {
    @Test("streaming reads every blob once with its exact first appearance and returns the full history",
          arguments: [1, 3])
    func streamsEveryBlob(workers: Int) throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let reference = try repository.blobHistory()
        let collected = Collected()
        let firsts = Collected()
        var reports: [Int] = []
        let result = try repository.streamBlobs(workers: workers, progress: { walked, total, published in
            #expect(total == reference.commits.count)
            #expect(published <= reference.blobs.count)
            reports.append(walked)
        }) { content in
            collected.add(content.blob.id.hex, String(decoding: content.bytes, as: UTF8.self))
            #expect(content.blob.introductions.count == 1)
            firsts.add(content.blob.id.hex, content.blob.firstAppearance.commit.hex + " " + content.blob.firstAppearance.path)
        }
        #expect(reports == Array(1...reference.commits.count))
        #expect(result.history.commits.map(\.id) == reference.commits.map(\.id))
        #expect(result.history.blobs == reference.blobs)
        #expect(result.summary.blobs == reference.blobs.count)
        #expect(result.summary.bytes == BlobHistoryTests.expected.keys.reduce(0) { $0 + $1.utf8.count })
        for (content, list) in BlobHistoryTests.expected {
            let id = try repo.builder.blobID(content)
            #expect(collected.values[id] == content)
            #expect(firsts.values[id] == "\(repo.id(list[0].0)) \(list[0].1)")
        }
    }

    @Test("a range streams only the blobs new in it")
    func range() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let selection = CommitSelection.range("\(repo.id("c3"))..\(repo.id("merge"))")
        let reference = try repository.blobHistory(selection)
        let collected = Collected()
        let result = try repository.streamBlobs(selection, workers: 2) { content in
            collected.add(content.blob.id.hex, "")
        }
        #expect(result.history.blobs == reference.blobs)
        #expect(Set(collected.values.keys) == Set(reference.blobs.map(\.id.hex)))
    }

    @Test("include turns blobs down without reading them; a visitor error stops the stream")
    func includeAndErrors() throws {
        let repo = try HistoryRepository()
        let repository = try GitRepository(path: repo.root.path)
        let result = try repository.streamBlobs(workers: 2, include: { blob, _ in
            !blob.firstAppearance.path.hasSuffix("counter.txt")
        }) { content in
            #expect(!content.blob.firstAppearance.path.hasSuffix("counter.txt"))
        }
        #expect(result.summary.skipped == 5)
        #expect(result.summary.blobs == BlobHistoryTests.expected.count - 5)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            _ = try repository.streamBlobs(workers: 2) { _ in throw Stop() }
        }
    }
}
