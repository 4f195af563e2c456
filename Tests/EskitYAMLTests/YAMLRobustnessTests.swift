import EskitCore
import EskitYAML
import Foundation
import TestSupport
import Testing

/// Marks stay consistent and nothing crashes on every fixture, and on truncated or corrupted copies of them.
@Suite struct YAMLRobustnessTests {
    static let fixtures = YAMLRoundTripTests.fixtures

    static func allNodes(_ document: YAMLDocument) -> [YAMLNode] {
        var out: [YAMLNode] = []
        func walk(_ node: YAMLNode) {
            out.append(node)
            if node.alias != nil { return }
            switch node.kind {
            case .scalar: break
            case .sequence(let items): items.forEach(walk)
            case .mapping(let pairs):
                pairs.forEach {
                    walk($0.key); walk($0.value)
                }
            }
        }
        document.root.map(walk)
        return out
    }

    static func checkMarks(_ documents: [YAMLDocument], _ bytes: [UInt8]) -> Bool {
        let index = LineIndex(bytes)
        for document in documents {
            guard document.span.start <= document.span.end, document.span.end.offset <= bytes.count else {
                return false
            }
            for node in allNodes(document) {
                guard node.start.offset <= node.end.offset, node.end.offset <= bytes.count,
                    index.position(ofOffset: node.start.offset) == node.start,
                    index.position(ofOffset: node.end.offset) == node.end
                else { return false }
            }
        }
        return true
    }

    @Test(arguments: fixtures)
    func marksMatchLineIndex(name: String) throws {
        let bytes = try Fixtures.bytes("yaml/\(name)")
        let documents = try YAML.parse(bytes, file: name)
        #expect(Self.checkMarks(documents, bytes))
    }

    @Test(arguments: fixtures)
    func truncatedAndCorruptedCopiesNeverCrash(name: String) throws {
        let bytes = try Fixtures.bytes("yaml/\(name)")
        var rng = SplitMix64(seed: UInt64(bytes.count))
        var variants: [[UInt8]] = stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)).map {
            Array(bytes[..<$0])
        }
        for _ in 0..<60 {
            var copy = bytes
            for _ in 0..<3 where !copy.isEmpty {
                copy[Int(rng.next() % UInt64(copy.count))] =
                    [
                        0x00, 0xFF, 0x22, 0x27, 0x5B, 0x7B, 0x3A, 0x0A, 0x09, 0x20,
                        0x26, 0x2A, 0x7C, 0xC3,
                    ][Int(rng.next() % 14)]
            }
            variants.append(copy)
        }
        for variant in variants {
            do {
                let documents = try YAML.parse(variant, file: name)
                #expect(Self.checkMarks(documents, variant))
            } catch {
                #expect(error.position.offset <= variant.count)
                #expect(error.description.hasPrefix("\(name):\(error.position.line):\(error.position.column): "))
            }
        }
    }
}
