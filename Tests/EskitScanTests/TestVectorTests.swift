import EskitCore
import EskitScan
import Testing

@Suite struct TestVectorTests {
    static func hex(_ n: Int, seed: UInt64) -> String { Sample.string(n, from: Sample.hex, seed: seed) }

    /// A minified JSON array of `count` test vectors, like HPKE's `hpke-test-vectors.json`.
    static func vectors(_ count: Int, repeatValues: Bool = false, extra: String = "") -> String {
        let objects = (0..<count).map { i -> String in
            let seed = UInt64(repeatValues ? 0 : i)
            return "{\"mode\":\(i),\"shared_secret\":\"\(hex(64, seed: 100 + seed))\","
                + "\"exporter_secret\":\"\(hex(64, seed: 500 + seed))\",\"key\":\"\(hex(32, seed: 900 + seed))\","
                + "\"ikm\":\"\(hex(64, seed: 1300 + seed))\",\"enc\":\"\(hex(64, seed: 1700 + seed))\","
                + "\"encryptions\":[{\"pt\":\"\(hex(40, seed: 2100 + seed))\",\"ct\":\"\(hex(72, seed: 2500 + seed))"
                + "\"}]\(extra)}"
        }
        return "[" + objects.joined(separator: ",") + "]"
    }

    @Test func oneHexValueUnderASecretKeyIsAFinding() {
        let f = Scan.run("{\"shared_secret\": \"\(Self.hex(64, seed: 7))\"}", path: "config.json")
        #expect(f.map(\.ruleID) == ["generic-secret"])
    }

    @Test func generatedTestVectorArraysAreNotGenericFindings() {
        #expect(Scan.run(Self.vectors(8), path: "Tests/HPKE/hpke-test-vectors.json").isEmpty)
        #expect(Scan.run(Self.vectors(40), path: "vectors.txt").isEmpty, "recognised by its JSON shape, not its name")
        let pretty = Self.vectors(8).replacingOccurrences(of: "\":\"", with: "\": \"")
        #expect(Scan.run(pretty, path: "v.json").isEmpty)
    }

    @Test func tooFewOrRepeatedValuesAreStillFindings() {
        #expect(Scan.run(Self.vectors(7), path: "v.json").count == 14, "7 vectors: below the threshold")
        #expect(
            Scan.run(Self.vectors(8, repeatValues: true), path: "v.json").count == 16,
            "the same secret copied 8 times is a leak, not a vector set")
        let yaml = (0..<10).map { "- shared_secret: \(Self.hex(64, seed: UInt64(200 + $0)))" }.joined(separator: "\n")
        #expect(Scan.run(yaml + "\n", path: "values.yaml").count == 10, "only JSON test-vector files")
        let dump =
            "["
            + (0..<10).map {
                "{\"user\":\"u\($0)\",\"id\":\"\(Self.hex(32, seed: UInt64(400 + $0)))\","
                    + "\"token\":\"\(Self.hex(40, seed: UInt64(600 + $0)))\"}"
            }.joined(separator: ",") + "]"
        #expect(Scan.run(dump, path: "users.json").count == 10, "a dump of hex tokens is not a vector set")
        let random =
            "["
            + (0..<10).map { "{\"api_key\":\"\(Scan.secret(30, seed: UInt64(300 + $0)))\"}" }
            .joined(separator: ",") + "]"
        #expect(Scan.run(random, path: "keys.json").count == 10, "only hex values")
    }

    @Test func knownTokenFormatsInsideVectorFilesAreStillFound() {
        let token = "ghp_" + Sample.string(36, seed: 41)
        let f = Scan.run(Self.vectors(8, extra: ",\"note\":\"\(token)\""), path: "v.json")
        #expect(!f.isEmpty)
        #expect(f.allSatisfy { !$0.ruleID.hasPrefix("generic") }, "\(f.map(\.ruleID))")
    }
}
