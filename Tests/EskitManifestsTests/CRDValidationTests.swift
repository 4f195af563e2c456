import EskitCore
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// Hand-broken manifests against ESO's CRDs (`../shared/eso-crds`; the tests that need them are skipped, with the
/// reason, when it is absent).
@Suite struct CRDValidationTests {
    static let loaded: Result<CRDCatalog, CRDCatalog.LoadError>? = OptionalTools.esoCRDs.map { folder in
        Result { () throws(CRDCatalog.LoadError) in try CRDCatalog(folder: folder.path) }
    }

    /// ESO's catalog; a folder that is present but does not load fails the test.
    func catalog() throws -> CRDCatalog { try #require(Self.loaded).get() }

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("manifests/invalid").path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test(.enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"))
    func loadsTheESOKinds() throws {
        let catalog = try catalog()
        #expect(catalog.kinds.contains("external-secrets.io/ExternalSecret"))
        #expect(catalog.kinds.contains("external-secrets.io/ClusterSecretStore"))
        #expect(catalog.kinds.contains("external-secrets.io/SecretStore"))
    }

    @Test(.enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"), arguments: cases)
    func brokenManifestsFailWithExactMessages(_ name: String) throws {
        let catalog = try catalog()
        let problems = catalog.validate(text: try Fixtures.bytes("manifests/invalid/\(name)"), file: name)
        #expect(!problems.isEmpty)
        let text = problems.sorted().map(\.description).joined(separator: "\n") + "\n"
        try Golden.check(text, against: Fixtures.url("manifests/invalid/\(name.dropLast(5)).expected"))
    }

    @Test(.enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"))
    func aValidManifestPasses() throws {
        let catalog = try catalog()
        let text = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: ok, namespace: app}
            spec:
              refreshInterval: 1h
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: ok, creationPolicy: Owner, deletionPolicy: Retain}
              data: [{secretKey: a.b-c_d, remoteRef: {key: app/a, property: x}}]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: untouched-kind}
            """
        #expect(catalog.validate(text: Array(text.utf8), file: "ok.yaml").isEmpty)
    }
}

@Suite struct SchemaValidatorTests {
    func issues(_ yaml: String, _ schema: Schema) throws -> [String] {
        let root = try YAML.parse(yaml, file: "t.yaml")[0].root!
        return SchemaValidator.validate(root, against: schema).map { "\($0.position): \($0.path): \($0.message)" }
    }

    @Test func limitsAndCombinators() throws {
        let schema = Schema(
            types: ["object"],
            properties: [
                ("n", Schema(types: ["integer"], minimum: 1, maximum: 5)),
                ("s", Schema(types: ["string"], minLength: 2, maxLength: 3)),
                ("list", Schema(types: ["array"], items: Schema(types: ["string"]), minItems: 1, maxItems: 2)),
                ("port", Schema(intOrString: true)),
                ("free", Schema(types: ["object"], preserveUnknownFields: true)),
                (
                    "one",
                    Schema(
                        types: ["object"],
                        properties: [("a", Schema(types: ["string"])), ("b", Schema(types: ["string"]))],
                        oneOf: [Schema(required: ["a"]), Schema(required: ["b"])])
                ),
                ("any", Schema(anyOf: [Schema(types: ["integer"]), Schema(types: ["boolean"])])),
                ("b64", Schema(types: ["string"], format: "byte")),
                ("nul", Schema(types: ["string"], nullable: true)),
            ])
        let found = try issues(
            """
            n: 7
            s: abcd
            list: [a, b, c]
            port: true
            free: {anything: [1, 2]}
            one: {a: x, b: z}
            any: text
            b64: "not base64!"
            nul: null
            """, schema)
        #expect(
            found == [
                "1:4: n: must be <= 5",
                "2:4: s: must be at most 3 characters long",
                "3:7: list: must have at most 2 items",
                "4:7: port: expected an integer or a string, found a boolean",
                "6:6: one: must match exactly one of {`a`}, {`b`} (matches 2)",
                "7:6: any: does not match any of integer, boolean",
                "8:6: b64: is not valid base64 (format: byte)",
            ])
    }

    @Test func keysWithDotsArePathQuoted() throws {
        let schema = Schema(types: ["object"], additional: .schema(Schema(types: ["string"])))
        #expect(try issues("\"a.b/c\": 1", schema) == ["1:10: [\"a.b/c\"]: expected a string, found an integer"])
    }
}

@Suite struct PatternTests {
    @Test func crdPatterns() throws {
        let dns = try Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        #expect(dns.matches("a"))
        #expect(dns.matches("harbor-core.svc"))
        #expect(!dns.matches("Harbor"))
        #expect(!dns.matches("a-"))
        #expect(!dns.matches("a..b"))
        let key = try Pattern("^[-._a-zA-Z0-9]+$")
        #expect(key.matches(".dockerconfigjson"))
        #expect(!key.matches("a b"))
        #expect(!key.matches(""))
        let cron = try Pattern(
            "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|@every [^\\s]+.*|[^\\s]+( [^\\s]+){4})$")
        #expect(cron.matches("@daily"))
        #expect(cron.matches("@every 5m"))
        #expect(cron.matches("0 3 * * 1-5"))
        #expect(!cron.matches("0 3 * *"))
        #expect(!cron.matches("@fortnightly"))
        let gsa = try Pattern("^.*@.*\\.iam\\.gserviceaccount\\.com$")
        #expect(gsa.matches("x@p.iam.gserviceaccount.com"))
        #expect(!gsa.matches("x@p.iam.gserviceaccount.org"))
    }

    @Test func unanchoredSearchAndQuantifiers() throws {
        #expect(try Pattern("^team-").matches("team-a"))
        #expect(try Pattern("b{2,3}").matches("abbc"))
        #expect(try !Pattern("^ab{2}$").matches("abbb"))
        #expect(try Pattern("a|b").matches("xxb"))
        #expect(try Pattern("\\d+").matches("v2"))
        #expect(throws: Pattern.Unsupported.self) { try Pattern("(?=a)") }
        #expect(throws: Pattern.Unsupported.self) { try Pattern("(a") }
    }
}

@Suite struct ScalarResolutionTests {
    @Test func kubernetesReadsYAML11Booleans() throws {
        let root = try YAML.parse(
            "a: yes\nb: 'yes'\nc: Off\nd: 8200\ne: 1.5\nf: ~\ng: 0x1F\nh: yesterday\n", file: "t.yaml")[0].root!
        #expect(root["a"]?.resolved == .bool(true))
        #expect(root["b"]?.resolved == .string("yes"))
        #expect(root["c"]?.resolved == .bool(false))
        #expect(root["d"]?.resolved == .int(8200))
        #expect(root["e"]?.resolved == .float(1.5))
        #expect(root["f"]?.resolved == .null)
        #expect(root["g"]?.resolved == .int(31))
        #expect(root["h"]?.resolved == .string("yesterday"))
    }
}

@Suite struct CELRuleTests {
    func holds(_ rule: String, _ yaml: String) throws -> Bool? {
        let node = try YAML.parse(yaml, file: "t.yaml")[0].root!
        return try CELRule(rule, message: nil).holds(for: node)
    }

    @Test func subsetUsedByESO() throws {
        #expect(try holds("has(self.auth) || has(self.authRef)", "authRef: {}") == true)
        #expect(try holds("has(self.auth) || has(self.authRef)", "other: 1") == false)
        #expect(try holds("[has(self.a),has(self.b)].filter(x,x==true).size() <= 1", "{a: 1, b: 2}") == false)
        #expect(try holds("[has(self.a),has(self.b)].filter(x,x==true).size() == 1", "{b: 2}") == true)
        #expect(try holds("has(self.value) != has(self.secretRef)", "{value: x}") == true)
        #expect(try holds("!('esoNamespace' in self) && !('esoStoreName' in self)", "{esoStoreName: x}") == false)
        #expect(
            try holds(
                "!has(self.remoteKey) || !has(self.rewrite) || size(self.rewrite) == 0", "{remoteKey: k, rewrite: []}")
                == true)
        #expect(
            try holds(
                "has(self.storeRef) && (has(self.storeRef.name) || has(self.storeRef.labelSelector))",
                "{storeRef: {name: a}}") == true)
        #expect(throws: CELRule.Unsupported.self) { try CELRule("self.all(x, x > 0)", message: nil) }
    }

    @Test(.enabled(if: OptionalTools.esoCRDs != nil, "../shared/eso-crds (ESO's CRDs) is absent"))
    func everyRuleInTheESOCRDsIsSupported() throws {
        let folder = try #require(OptionalTools.esoCRDs)
        var total = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".yaml") {
            let docs = try YAML.parse(try Data(contentsOf: folder.appendingPathComponent(name)).map { $0 }, file: name)
            func walk(_ node: YAMLNode) throws {
                for pair in node.pairs ?? [] {
                    if pair.key.scalarValue == "x-kubernetes-validations" {
                        for rule in pair.value.items ?? [] {
                            let source = try #require(rule["rule"]?.scalarValue)
                            #expect(throws: Never.self, "\(name): \(source)") { _ = try CELRule(source, message: nil) }
                            total += 1
                        }
                    } else {
                        try walk(pair.value)
                    }
                }
                for item in node.items ?? [] { try walk(item) }
            }
            for doc in docs { if let root = doc.root { try walk(root) } }
        }
        #expect(total >= 30)
    }
}
