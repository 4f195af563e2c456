import EskitCore
import EskitReport
import EskitScan
import Foundation
import TestSupport
import Testing

/// `docs/detectors.md` is generated from `BuiltInDetectors.all`; `ESKIT_RECORD=1` rewrites it (and fails).
@Suite struct DetectorCatalogTests {
    static func render() -> String {
        var out = """
            # Built-in detectors

            Generated from `BuiltInDetectors.all` by `DetectorCatalogTests`
            (`ESKIT_RECORD=1 swift test --filter DetectorCatalogTests` rewrites it). Each detector carries its own
            positive and negative examples, run by `DetectorExampleTests`. Disable a rule with `disabledRules: [id]`
            in `.eskit.yaml`; add one with `rules:` (see `ScanConfiguration`).

            | id | severity | kind | finds |
            |---|---|---|---|

            """
        for d in BuiltInDetectors.all {
            // The anchor is where a SARIF rule's helpUri points (`docs/detectors.md#<id>`).
            out +=
                "| <a name=\"\(d.id)\"></a>`\(d.id)` | \(d.severity.rawValue) | \(d.kind.rawValue) | "
                + "\(d.description) |\n"
        }
        return out + genericContext + chartDefaults() + realRepositoryPrecision()
    }

    /// The curated table of chart and application defaults (`ChartDefaults.table`).
    static func chartDefaults() -> String {
        var out = """

            ## Chart and application defaults

            Reported as `default-credential` when the key (its last dotted segment, any case) and the exact value
            match an entry: the default a chart or image ships, left in place, is a credential anyone can look up.
            Short generic defaults under any password key (`admin`, `changeit`, `minio123`, …) are judged by
            `ValueJudge.defaults` as before.

            | app | key | default | source |
            |---|---|---|---|

            """
        for e in ChartDefaults.table {
            out += "| \(e.app) | `\(e.key)` | `\(e.value.prefix(3))…` | \(e.source) |\n"
        }
        return out
    }

    /// Per-rule precision on the real-repository benchmark, from `bench/truth/precision.tsv`
    /// (`RECORD=1 bench/accuracy-real.sh` writes it).
    static func realRepositoryPrecision() -> String {
        let url = Fixtures.packageRoot.appendingPathComponent("bench/truth/precision.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        var summary: [String: String] = [:]
        var rows: [(String, Int, Int)] = []
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: "\t").map(String.init)
            guard cells.count >= 2 else { continue }
            if cells[0].hasPrefix("# ") {
                summary[String(cells[0].dropFirst(2))] = cells[1]
            } else if cells.count == 3, let t = Int(cells[1]), let f = Int(cells[2]) {
                rows.append((cells[0], t, f))
            }
        }
        func value(_ key: String) -> String { summary[key] ?? "?" }
        var out = """

            ## Precision on real repositories

            Measured by `bench/accuracy-real.sh` (`eskit scan --history`) on \(value("repositories")) public home-lab
            GitOps repositories (`/work/shared/corpus`, labels in `bench/truth/`: every finding of eskit and
            gitleaks 8.30.1 and every credential found by reading the histories, by SHA-256). eskit finds
            \(value("eskit found")) of \(value("credentials")) real and default credentials with
            \(value("eskit distinct false positives")) distinct false positives and
            \(value("eskit placeholders flagged")) placeholders flagged; gitleaks finds \(value("gitleaks found")) with
            \(value("gitleaks distinct false positives")) distinct false positives. A finding is true when its value
            is labelled real or default; rules without a finding in the corpus are not listed.

            | rule | true findings | false findings | precision |
            |---|---|---|---|

            """
        for (rule, t, f) in rows {
            let precision = t + f == 0 ? "-" : String(format: "%.1f %%", 100 * Double(t) / Double(t + f))
            out += "| `\(rule)` | \(t) | \(f) | \(precision) |\n"
        }
        return out
    }

    /// How the generic rules read a value's surroundings (fixed prose; the choices are tested in
    /// `GenericContextTests` and `TestVectorTests`).
    static let genericContext = """

        ## Generic rules in context

        `generic-password`, `generic-secret` and `default-credential` judge a keyword assignment by its value
        (entropy, character classes, placeholders, well-known defaults) and by where it stands. Known token formats
        (`github-pat`, `jwt`, `private-key`, …) never depend on the context below: a real-format token is reported
        in an example or a test file too.

        - **Cookie headers** (`Cookie`, `Set-Cookie` as the key): the value is a list of `name=value` pairs, and
          each cookie's value is judged on its own. A session token in a file that is not recorded test data
          (`Cookie: "theme=dark; sessionid=…; lang=en"` in a blackbox-exporter module, a Helm value, a script's
          config) is reported, at the token and with the token's `secretHash`: a live session cookie grants what
          a password grants until it expires, and a demanding user would rather rotate it than learn it leaked. A
          header of several cookies used to be skipped for holding spaces; it is judged now. Tracking cookies
          (`_ga=GA1.2.…`), attributes (`max-age=3600`, `path=/`) and short values are not secrets by the same
          judge. Keys about cookies (`erlangCookie`, `cookieSecret`) keep their whole value judged.
        - **Recorded HTTP/2 header blocks**: a file holding HTTP/2 pseudo-header keys (`":method":`, `":path":`,
          `":authority":`, `":scheme":`, `":status":`) holds header blocks recorded from traffic, such as the
          hpack-test-case stories HTTP/2 libraries share (`{"cookie": "…"}` objects beside a `wire` hex field) or
          header literals in HPACK unit tests. Their cookie headers are not judged (recordings of public sites, no
          credential of the repository). Configurations name pseudo-headers as values (`name: ":authority"` in
          Envoy routes), not as keys; a file that did use them as keys would lose only its cookie headers: every
          other key in it is judged as anywhere else.
        - **OpenAPI examples**: in an OpenAPI or Swagger document (a top-level `openapi:` / `swagger:` key with a
          version, YAML at column 0 or a JSON key), values nested under `example`, `examples`, `x-example` or
          `x-examples` (request and response samples, parameter examples, in block YAML, pretty or minified JSON)
          are documentation and not reported by the generic rules. The rest of the document (an `x-` extension, a
          sibling of `examples`) is scanned as usual, and nothing changes outside OpenAPI documents (a Helm
          chart's `examples:` block is scanned).
        - **Generated test vectors**: hex values under keys that repeat across a JSON array of vector objects
          (HPKE, Wycheproof) are not reported; see `TestVectorFields` in `docs/scan.md`.

        """

    @Test func catalogIsCurrent() throws {
        let url = Fixtures.packageRoot.appendingPathComponent("docs/detectors.md")
        let expected = Self.render()
        if ProcessInfo.processInfo.environment["ESKIT_RECORD"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(expected.utf8).write(to: url)
            Issue.record("recorded \(url.path)")
            return
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        #expect(
            actual == expected,
            "docs/detectors.md is stale: run ESKIT_RECORD=1 swift test --filter DetectorCatalogTests")
    }
}

/// Every built-in rule's SARIF `helpUri` lands on its own anchor in docs/detectors.md.
@Suite struct SARIFHelpTests {
    @Test func everyBuiltInRuleHasHelpAndAnAnchorItsHelpUriReaches() throws {
        let docs = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/detectors.md"), encoding: .utf8)
        var findings: [Finding] = []
        for (i, d) in BuiltInDetectors.all.enumerated() {
            findings.append(
                Finding(
                    ruleID: d.id, description: d.description, severity: d.severity, kind: d.kind, file: "f\(i).yaml",
                    span: TextSpan(start: .start, end: .start), secret: RedactedSecret("x"), fingerprint: "fp\(i)"))
        }
        let sarif = SARIFReporter(options: ReportOptions()).render(findings, summary: ScanSummary())
        let root = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(
            (run["tool"] as? [String: Any]).flatMap { ($0["driver"] as? [String: Any])?["rules"] }
                as? [[String: Any]])
        #expect(rules.count == BuiltInDetectors.all.count)
        var helps: Set<String> = []
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            let uri = try #require(rule["helpUri"] as? String)
            #expect(uri.hasSuffix("/docs/detectors.md#\(id)"))
            #expect(docs.contains("<a name=\"\(id)\"></a>`\(id)`"), "no anchor for \(id)")
            helps.insert(try #require((rule["help"] as? [String: Any])?["text"] as? String))
        }
        #expect(helps.count == rules.count, "each rule has its own help text")
    }
}
