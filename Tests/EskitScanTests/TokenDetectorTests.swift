import EskitCore
import EskitScan
import Foundation
import Testing

@Suite struct TokenDetectorTests {
    @Test func tokenSpanCoversExactlyTheToken() {
        let token = "glpat-" + Sample.string(20, from: Sample.base64URL, seed: 3)
        let text = "ci:\n  token: \"\(token)\" # deploy\n"
        let f = Scan.run(text)
        #expect(f.map(\.ruleID) == ["gitlab-token"])
        #expect(f.first?.span.start.line == 2 && f.first?.span.start.column == 11)
        #expect(f.first?.span.end.column == 11 + token.count)
        #expect(f.first?.secret.revealed == token)
    }

    @Test func awsKeyIdAndItsSecret() {
        let id = "AKIA" + Sample.string(16, from: Sample.upperAlnum, seed: 8)
        let secret = Sample.string(40, from: Sample.base64, seed: 9)
        let f = Scan.run("[prod]\naws_access_key_id=\(id)\naws_secret_access_key=\(secret)\n", path: "credentials")
        #expect(f.map(\.ruleID) == ["aws-access-key-id", "aws-secret-access-key"])
        #expect(f.map(\.secret.revealed) == [id, secret])
    }

    @Test func privateKeyBlockSpansLinesAndJSONEscapes() {
        let body = Sample.privateKeyBody(seed: 3).split(separator: "\n").map(String.init)
        let pem =
            "-----BEGIN " + "EC PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END "
            + "EC PRIVATE KEY-----"
        let f = Scan.run("# key\n\(pem)\n", path: "tls.key")
        #expect(f.count == 1 && f[0].ruleID == "private-key")
        #expect(f[0].span.start.line == 2 && f[0].span.end.line == 3 + body.count && f[0].secret.revealed == pem)
        let escaped = pem.replacingOccurrences(of: "\n", with: "\\n")
        let g = Scan.run("{\"key\": \"\(escaped)\"}", path: "k.json")
        #expect(g.map(\.ruleID) == ["private-key"])
    }

    @Test func jwtNeedsADecodableHeader() {
        let good =
            "eyJ" + String(Sample.base64(of: "{\"alg\":\"none\"}").dropFirst(3)).replacingOccurrences(of: "=", with: "")
        let jwt =
            good + "." + Sample.string(40, from: Sample.base64URL, seed: 1) + "."
            + Sample.string(43, from: Sample.base64URL, seed: 2)
        #expect(Scan.run("t: \(jwt)\n").map(\.ruleID) == ["jwt"])
        let bad =
            "eyJ" + Sample.string(20, from: Sample.base64URL, seed: 5) + "."
            + Sample.string(40, from: Sample.base64URL, seed: 1) + "."
            + Sample.string(43, from: Sample.base64URL, seed: 2)
        #expect(!Scan.run("t: \(bad)\n").contains { $0.ruleID == "jwt" })
    }

    @Test func manyFindingsInOneFile() {
        var text = ""
        for i in 0..<3000 { text += "t\(i): ghp_\(Sample.string(36, seed: UInt64(i)))\n" }
        let f = Scan.run(text, path: "many.txt")
        #expect(f.count == 3000)
        #expect(f.map(\.span.start.line) == Array(1...3000))
    }

    @Test func builtInDetectorMetadataIsComplete() {
        for d in BuiltInDetectors.all {
            #expect(!d.description.isEmpty && d.description.first!.isUppercase, "\(d.id)")
            #expect(!d.description.hasSuffix("."), "\(d.id)")
        }
        #expect(BuiltInDetectors.all.filter { $0.kind == .defaultCredential }.map(\.id) == ["default-credential"])
    }
}

@Suite struct PrefilterTests {
    @Test func anchorsMatchCaseAsDeclared() {
        let p = Scan.secret(14, seed: 71)
        #expect(Scan.run("DB_PASSWORD=\(p)\n", path: ".env").count == 1)
        #expect(Scan.run("Db_PASSword=\(p)\n", path: ".env").count == 1)
        let token = Sample.string(36, seed: 72)
        #expect(Scan.run("t: ghp_\(token)\n").map(\.ruleID) == ["github-pat"])
        #expect(Scan.run("t: GHP_\(token)\n").isEmpty)
    }

    @Test func foldedControlBytesNeverStandInForPunctuation() {
        let t =
            Sample.string(6, from: Sample.lowerAlnum, seed: 1) + "."
            + Sample.string(16, from: Sample.lowerAlnum, seed: 2)
        #expect(Scan.run("kubeadm join --token \(t)\n", path: "a.sh").map(\.ruleID) == ["kubeadm-token"])
        #expect(Scan.run("kubeadm join \r\rtoken \(t)\n", path: "a.sh").isEmpty)
    }
}
