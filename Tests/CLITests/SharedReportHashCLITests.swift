import Foundation
import TestSupport
import Testing

/// Reports that leave the machine (SARIF for code scanning, GitLab's secret-detection report for merge requests)
/// hold no value and nothing a guess could be checked against: not the SHA-256 of any reported value (hex either
/// case, base64, base64url, the 32-digit prefix) and not the JSON report's fingerprint (built from that hash). The
/// values are made up at run time (nothing secret-looking is committed); the hashes come from eskit's own JSON
/// report of the same scan, so every reported value is covered.
@Suite struct SharedReportHashCLITests {
    /// `count` values that look like secrets to the ACME rule and to the generic password detector.
    static func values(seed: UInt64, count: Int) -> (acme: [String], passwords: [String]) {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let mixed = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        func pick(_ letters: [Character], _ n: Int) -> String {
            String((0..<n).map { _ in letters[random.below(letters.count)] })
        }
        return (
            (0..<count).map { _ in "acme_" + pick(alphabet, 32) },
            (0..<count).map { _ in pick(mixed, 6) + "9" + pick(mixed, 9) }
        )
    }

    /// Hex SHA-256 -> the forms a report could carry it in.
    static func forms(ofHash hex: String) -> [String] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        let base64 = Data(bytes).base64EncodedString()
        let url = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return [
            hex, hex.uppercased(), String(hex.prefix(32)), base64, url,
            String(base64.prefix(while: { $0 != "=" })), String(url.prefix(while: { $0 != "=" })),
        ]
    }

    @Test(arguments: [["scan"], ["scan", "--history"]])
    func sarifAndGitLabReportsHoldNoHashOfAnyValue(_ mode: [String]) throws {
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        let (acme, passwords) = Self.values(seed: seed, count: 3)
        let repo = try acmeRepository()
        var files: [String: String] = [:]
        for (i, token) in acme.enumerated() { files["apps/app\(i)/config.env"] = "ACME_TOKEN=\(token)\n" }
        for (i, password) in passwords.enumerated() {
            files["apps/db\(i)/secret.yaml"] = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db\(i)
                stringData:
                  password: \(password)

                """
        }
        try repo.commit("leaks", files: files)
        let json = try eskit(mode + ["--format", "json"], in: repo.root)
        #expect(json.status == 1, "\(json.stderr)")
        let findings = try jsonFindings(json.stdout)
        #expect(findings.count >= acme.count + passwords.count, "seed \(seed): not every value was found")
        let hashes = findings.compactMap { $0["secretHash"] as? String }
        let fingerprints = findings.compactMap { $0["fingerprint"] as? String }
        #expect(hashes.count == findings.count && fingerprints.count == findings.count)
        for value in acme + passwords {
            let sum = try run("/usr/bin/sha256sum", [], stdin: value)
            #expect(hashes.contains(String(sum.stdout.prefix(64))), "seed \(seed): a value was not reported")
        }
        for format in ["sarif", "gitlab"] {
            let result = try eskit(mode + ["--format", format], in: repo.root)
            #expect(result.status == 1)
            let report = result.stdout
            #expect(report.count > 500)
            for value in acme + passwords {
                #expect(!report.contains(value), "seed \(seed): \(format) holds a value")
            }
            for hash in hashes {
                for form in Self.forms(ofHash: hash) {
                    #expect(!report.contains(form), "seed \(seed): \(format) holds \(form.prefix(6))… of a hash")
                }
            }
            for fingerprint in fingerprints {
                #expect(!report.contains(fingerprint), "seed \(seed): \(format) holds a value-derived fingerprint")
            }
        }
    }
}
