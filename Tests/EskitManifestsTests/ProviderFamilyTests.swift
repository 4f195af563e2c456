import EskitCore
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// The provider family registry: declared once, read everywhere, and nothing else compares provider names.
@Suite struct ProviderFamilyTests {
    @Test func familiesAreSortedUniqueAndAreESOProviders() throws {
        let names = ProviderFamilies.all.map(\.name)
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        let spec = try #require(
            CRDCatalog.builtIn.schema(
                group: "external-secrets.io", kind: "SecretStore",
                version: "v1")?.propertyIndex["spec"])
        let esoProviders = Set((spec.propertyIndex["provider"]?.properties ?? []).map(\.0))
        for name in names { #expect(esoProviders.contains(name), "\(name) is not a provider of ESO's SecretStore") }
        for family in ProviderFamilies.all {
            let block = try #require(spec.propertyIndex["provider"]?.propertyIndex[family.name])
            for field in family.inventoryRequired {
                #expect(block.propertyIndex[field] != nil, "\(family.name): required `\(field)` is not an ESO field")
            }
            for kind in family.authKinds {
                var schema: Schema? = block
                for key in kind.path { schema = schema?.propertyIndex[key] }
                #expect(schema != nil, "\(family.name): auth path \(kind.path) is not in ESO's schema")
                if let selector = kind.selector {
                    #expect(block.propertyIndex[selector.field] != nil, "\(family.name): selector \(selector.field)")
                }
            }
        }
    }

    @Test func everyStarterHasATemplateAndEveryTemplateAFamily() {
        let templates = EmbeddedTemplates.files.map(\.path).filter { $0.hasPrefix("inventory/") }
            .map { String($0.dropFirst("inventory/".count).dropLast(".yaml".count)) }
        #expect(Set(ProviderFamilies.starters) == Set(templates))
    }

    /// `== "vault"`, `case "aws"`, `["gcpsm"]`, `contains("pulumi")`, for every family name.
    static func comparison() throws -> Regex<AnyRegexOutput> {
        let names = ProviderFamilies.all.map(\.name).joined(separator: "|")
        return try Regex(
            "(==|!=)\\s*\"(\(names))\"|case\\s+\"(\(names))\"|\"(\(names))\"\\s*(==|!=)"
                + "|\\[\"(\(names))\"\\]|contains\\(\"(\(names))\"\\)")
    }

    /// Provider knowledge lives in the family files: no other source compares a value with a family name.
    @Test func noProviderNameIsComparedOutsideItsFamilyFile() throws {
        let comparison = try Self.comparison()
        let sources = Fixtures.packageRoot.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var offenders: [String] = []
        var scanned = 0
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("EskitManifests/Providers/"),
                !path.contains("EmbeddedTemplates"), !path.contains("EmbeddedCRDs")
            else { continue }
            // Provider clients live in one folder per family (EskitProviders/<Family>/).
            if path.hasPrefix("EskitProviders/"), path.split(separator: "/").count > 2 { continue }
            scanned += 1
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(comparison) {
                offenders.append("Sources/\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(scanned > 50)
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// The check above finds what it is meant to find.
    @Test func theComparisonCheckSeesTheShapesItForbids() throws {
        let comparison = try Self.comparison()
        for line in [
            "if name == \"vault\" {", "case \"aws\" where x:", "provider?[\"gcpsm\"]", "set.contains(\"pulumi\")",
        ] {
            #expect(line.contains(comparison), "\(line)")
        }
        #expect(!"let vaultName = provider".contains(comparison))
    }
}

/// `eskit schema config`: the documented `.eskit.yaml` shapes pass, misspelt keys do not.
@Suite struct ConfigSchemaTests {
    static let full = """
        disabledRules: [jwt]
        enabledRules: [github-pat, generic-password]
        rules:
          - id: acme-token
            description: ACME API token
            severity: high
            pattern: 'acme_[a-z0-9]{32}'
            keywords: [acme_]
            entropy: 3.0
            secretGroup: 1
        allowlist:
          paths: ['docs/**', '*.lock']
          values: ['exact-value', '/^regex-value$/']
        maxFileSize: 10485760
        lint:
          disable: [consumer-env-rotation]
          controllers: [external-secrets/external-secrets]

        """

    func issues(_ text: String) throws -> [String] {
        let root = try #require(try YAML.parse(text, file: "c.yaml").first?.root)
        return SchemaValidator.validate(root, against: ConfigSchema.root).map { "\($0.path): \($0.message)" }
    }

    @Test func theDocumentedConfigurationPasses() throws {
        #expect(try issues(Self.full) == [])
    }

    @Test func mistakesAreCaught() throws {
        #expect(try issues("disabledRule: [jwt]\n").first?.hasPrefix("disabledRule: unknown field") == true)
        #expect(try issues("rules: [{id: x, pattern: y}]\n").contains("rules[0]: missing required field `keywords`"))
        let severity = try issues("rules: [{id: x, pattern: z, keywords: [ab], severity: urgent}]\n")
        #expect(severity.count == 1, "\(severity)")
        #expect(try issues("maxFileSize: 0\n").count == 1)
        #expect(try issues("lint: {controllers: [no-namespace]}\n").count == 1)
        #expect(try issues("lint: {disabled: [x]}\n").first?.hasPrefix("lint.disabled: unknown field") == true)
    }

    @Test func theCommittedSchemaIsCurrent() throws {
        let committed = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/eskit-config.schema.json"),
            encoding: .utf8)
        #expect(committed == JSONSchemaWriter.config(), "run: eskit schema config > docs/eskit-config.schema.json")
    }
}

/// Inventory schema errors name the field and the rule, never a value: at most a 3-character preview.
@Suite struct SchemaMessagesQuoteNoValueTests {
    @Test func aTokenInTheWrongFieldIsNotRepeated() throws {
        let token = "ghp_" + String(repeating: "K7m2", count: 9)
        let text = """
            apiVersion: eskit/v1alpha1
            kind: Inventory
            defaults: {refreshPolicy: \(token)}
            environments: [{name: "\(token)"}]
            stores: [{name: s, kind: \(token), provider: {fake: {data: []}}}]

            """
        do {
            _ = try InventoryLoader.load(Array(text.utf8), file: "eskit.yaml")
            Issue.record("the inventory is invalid")
        } catch {
            #expect(error.diagnostics.count >= 3)
            for diagnostic in error.diagnostics {
                #expect(
                    !diagnostic.description.contains(token) && !diagnostic.description.contains("K7m2K7m2"),
                    "\(diagnostic.description.prefix(60))")
            }
        }
    }
}
