import EskitCore
import EskitScan
import Foundation
import Testing

/// Where a generic keyword assignment sits: cookie headers, recorded HTTP/2 header test data, OpenAPI examples.
@Suite struct GenericContextTests {
    static let session = Scan.secret(29, seed: 71)
    static let other = Scan.secret(29, seed: 72)
    static let third = Scan.secret(29, seed: 73)

    /// Whether `findings` hold exactly `secrets`, in order; compared here so a failure never prints a raw value.
    static func holds(_ findings: [Finding], _ secrets: [String]) -> Bool {
        findings.map(\.secret.revealed) == secrets
    }

    /// Rule, position and preview of each finding: safe to show in a failure message.
    static func shown(_ findings: [Finding]) -> String {
        findings.map { "\($0.ruleID) \($0.span) \($0.secret.preview)" }.joined(separator: ", ")
    }

    /// One HPACK test case as the shared hpack-test-case stories write it: a `wire` hex field and a list of
    /// single-header objects, pseudo-headers first.
    static func hpackStory(pseudoHeaders: Bool = true) -> String {
        let request =
            pseudoHeaders
            ? "        {\n          \":method\": \"GET\"\n        },\n        {\n          \":path\": "
                + "\"/img/logo.gif\"\n        },\n"
            : "        {\n          \"accept\": \"*/*\"\n        },\n"
        return """
            {
              "description": "Encoded by a test encoder, no Huffman.",
              "cases": [
                {
                  "seqno": 3,
                  "header_table_size": 4096,
                  "wire": "\(Sample.string(96, from: Sample.hex, seed: 74))",
                  "headers": [
            \(request)        {
                      "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.8; rv:16.0) Gecko/20100101 Firefox/16.0"
                    },
                    {
                      "cookie": "BID=\(session):FG=1"
                    },
                    {
                      "set-cookie": "tok=\(other); max-age=3600; version=1"
                    }
                  ]
                }
              ]
            }

            """
    }

    @Test func recordedHTTP2HeaderBlocksAreTestData() {
        #expect(Scan.run(Self.hpackStory(), path: "Tests/hpack-test-case/go-hpack/story_03.json").isEmpty)
        #expect(Scan.run(Self.hpackStory(), path: "captures/story.json").isEmpty, "recognised by shape, not by path")
        let swift = """
            let headers: HPACKHeaders = [":method": "GET", ":path": "/", "cookie": "sid=\(Self.session)"]

            """
        #expect(Scan.run(swift, path: "Tests/NIOHPACKTests/HPACKCodingTests.swift").isEmpty)
    }

    @Test func cookieHeadersWithoutPseudoHeadersAreStillJudged() {
        let findings = Scan.run(Self.hpackStory(pseudoHeaders: false), path: "captures/story.json")
        #expect(findings.map(\.ruleID) == ["generic-secret", "generic-secret"])
        #expect(Self.holds(findings, [Self.session + ":FG=1", Self.other]), "\(Self.shown(findings))")
    }

    @Test func aSessionCookieInAConfigFileIsReportedAtTheToken() throws {
        let text = """
            modules:
              http_app:
                prober: http
                http:
                  headers:
                    Cookie: "theme=dark; sessionid=\(Self.session); lang=en"

            """
        let findings = Scan.run(text, path: "monitoring/blackbox.yaml")
        #expect(findings.map(\.ruleID) == ["generic-secret"], "a header of several cookies is judged cookie by cookie")
        let finding = try #require(findings.first)
        #expect(Self.holds([finding], [Self.session]), "\(Self.shown(findings))")
        let at = Scan.position(of: Self.session, in: text)
        #expect(finding.span.start.line == at.line && finding.span.start.column == at.column)
        #expect(!finding.secret.preview.contains(Self.session))
    }

    @Test func cookiesWithoutARandomValueAndCookieSettingsStayAsTheyWere() {
        let tracking =
            "{\"set-cookie\": \"_ga=GA1.2.1351947542.1351947542; path=/; domain=.example.com; SameSite=Lax\"}"
        #expect(Scan.run(tracking, path: "fixtures/response.json").isEmpty)
        let erlang = Scan.run("rabbitmq:\n  erlangCookie: \(Self.third)\n", path: "values.yaml")
        #expect(Self.holds(erlang, [Self.third]), "a key about cookies is not a cookie header: \(Self.shown(erlang))")
        let padded = Scan.run("cookie: \(Sample.base64(of: Self.other + "xy"))\n", path: "values.yaml")
        #expect(padded.count == 1, "base64 padding is not a cookie pair")
    }

    static func openAPIYAML(version: Bool = true) -> String {
        (version ? "openapi: 3.0.3\n" : "") + """
            info:
              title: Applications API
              version: 1.0.0
            paths:
              "/applications/{client_id}/token":
                delete:
                  requestBody:
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            access_token:
                              type: string
                        example:
                          access_token: \(Self.session)
                  parameters:
                    - name: token
                      in: query
                      example: {token: \(Self.other)}
            components:
              examples:
                authorization:
                  value:
                    - id: 2
                      hashed_token: \(Self.third)
                    - id: 3
                      token: \(Self.session)
              securitySchemes:
                api_key:
                  type: apiKey
                  in: header
                  name: X-Api-Key

            """
    }

    @Test func openAPIExamplesAreDocumentation() {
        #expect(Scan.run(Self.openAPIYAML(), path: "Tests/inputs/ghes-3.0.yaml").isEmpty)
        #expect(Scan.run(Self.openAPIYAML(), path: "api/openapi.yaml").isEmpty, "recognised by content, not by path")
        #expect(
            Scan.run(Self.openAPIYAML(version: false), path: "api/openapi.yaml").count == 4,
            "the same keys outside an OpenAPI document are findings")
    }

    @Test func openAPIDocumentsAreStillScannedOutsideExamples() {
        let deploy = Scan.secret(31, seed: 75)
        let text = Self.openAPIYAML() + "x-deploy:\n  api_token: \(deploy)\n"
        let outside = Scan.run(text, path: "api/openapi.yaml")
        #expect(Self.holds(outside, [deploy]), "\(Self.shown(outside))")
        let afterExample = Self.openAPIYAML().replacingOccurrences(
            of: "  securitySchemes:",
            with: "  sync:\n    client_secret: \(deploy)\n  securitySchemes:")
        let sibling = Scan.run(afterExample, path: "api/openapi.yaml")
        #expect(Self.holds(sibling, [deploy]), "a sibling of `examples` is not an example: \(Self.shown(sibling))")
        let token = "ghp_" + Sample.string(36, seed: 76)
        let known = Self.openAPIYAML().replacingOccurrences(
            of: "hashed_token: \(Self.third)", with: "hashed_token: \(token)")
        #expect(
            Scan.run(known, path: "api/openapi.yaml").map(\.ruleID) == ["github-pat"],
            "known formats are always reported")
    }

    @Test(arguments: [false, true])
    func openAPIJSONExamplesInAnyLayout(pretty: Bool) throws {
        let deploy = Scan.secret(31, seed: 77)
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "paths": [
                "/token": [
                    "post": [
                        "responses": [
                            "201": [
                                "content": [
                                    "application/json": [
                                        "examples": [
                                            "created": ["value": ["access_token": Self.session, "scopes": ["repo"]]]
                                        ]
                                    ]
                                ]
                            ]
                        ]
                    ]
                ]
            ],
            "x-ops": ["api_token": deploy],
        ]
        let options: JSONSerialization.WritingOptions = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        let text = String(
            decoding: try JSONSerialization.data(withJSONObject: document, options: options), as: UTF8.self)
        let findings = Scan.run(text, path: "openapi.json")
        #expect(Self.holds(findings, [deploy]), "\(pretty ? "pretty" : "minified"): \(Self.shown(findings))")
    }

    @Test func examplesOutsideOpenAPIDocumentsAreScanned() {
        let values = "examples:\n  github:\n    token: \(Self.session)\n"
        #expect(Scan.run(values, path: "charts/app/values.yaml").count == 1)
        #expect(
            Scan.run("openapi_token: \(Self.other)\n", path: "ci.yaml").count == 1,
            "a key named openapi… is no document")
    }
}
