import EskitCore
import EskitLint
import Foundation
import Testing

/// Every rule's own examples: each positive example gives at least one problem of that rule, each negative none;
/// and the examples of all rules together never put an example's value into a message.
@Suite struct LintRuleTests {
    static func lint(_ example: LintExample, only: String? = nil) -> LintReport {
        var options = LintOptions()
        if let only { options.only = [only] }
        return Linter.lint(example.files.map { LintFile(path: $0.path, text: $0.text) }, options: options)
    }

    @Test(arguments: LintRules.all.map(\.id))
    func positiveExamplesAreReported(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        #expect(!rule.positive.isEmpty)
        for (i, example) in rule.positive.enumerated() {
            let problems = Self.lint(example, only: id).problems
            #expect(problems.contains { $0.ruleID == id }, "\(id) positive example \(i): \(problems)")
            for p in problems {
                #expect(p.severity == rule.severity)
                #expect(p.location.position.line >= 1)
            }
        }
    }

    @Test(arguments: LintRules.all.map(\.id))
    func negativeExamplesAreClean(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        #expect(!rule.negative.isEmpty)
        for (i, example) in rule.negative.enumerated() {
            let problems = Self.lint(example, only: id).problems
            #expect(problems.isEmpty, "\(id) negative example \(i): \(problems)")
        }
    }

    /// With every rule on, a negative example raises nothing at all (the examples are realistic, not only clean
    /// for their own rule) unless it is the rule's point to show a neighbour's problem.
    @Test(arguments: LintRules.all.map(\.id))
    func negativeExamplesAreCleanForEveryRule(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        for (i, example) in rule.negative.enumerated() {
            let problems = Self.lint(example).problems.filter { $0.severity == .error }
            #expect(problems.isEmpty, "\(id) negative example \(i): \(problems)")
        }
    }

    @Test func idsAreUniqueAndDocumented() {
        let ids = LintRules.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in LintRules.all {
            #expect(!rule.summary.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
            #expect(rule.id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(rule.id)")
        }
    }

    @Test func plaintextValuesNeverReachAMessage() {
        let value = "Zx9" + "q4Lm2Tr8vW1pK7nB"
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: \(value)\n"
        let report = Linter.lint([LintFile(path: "s.yaml", text: text)])
        #expect(report.problems.map(\.ruleID) == ["plaintext-secret"])
        for p in report.problems {
            #expect(!p.message.contains(value.prefix(6)) && !(p.hint ?? "").contains(value.prefix(6)))
        }
    }

    @Test func inlineAllowSuppresses() {
        let text = LintRules.esoAPIVersion.positive[0].files[0].text.replacingOccurrences(
            of: "apiVersion: external-secrets.io/v1beta1",
            with: "apiVersion: external-secrets.io/v1beta1  # eskit:allow eso-api-version")
        let report = Linter.lint(
            [LintFile(path: "a.yaml", text: text)],
            options: {
                var o = LintOptions(); o.only = ["eso-api-version"]; return o
            }())
        #expect(report.problems.isEmpty)
        #expect(report.suppressed == 1)
    }

    @Test func positionsPointAtTheNode() throws {
        let text = LintRules.storeNotFound.positive[0].files[0].text
        let report = Linter.lint([LintFile(path: "a.yaml", text: text)])
        let p = try #require(report.problems.first { $0.ruleID == "store-not-found" })
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = lines[p.location.position.line - 1]
        let at = line.index(line.startIndex, offsetBy: p.location.position.column - 1)
        #expect(line[at...].hasPrefix("vualt"))
    }
}

/// ESO CRDs committed in the repository (ESO installed from Git) are what its objects are checked against.
@Suite struct LintRepositoryCRDTests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: externalsecrets.external-secrets.io
        spec:
          group: external-secrets.io
          names: {kind: ExternalSecret, plural: externalsecrets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [ownerTeam]
                      properties:
                        ownerTeam: {type: string}

        """

    @Test func crdsInTheFilesReplaceTheBuiltInCopy() {
        let es = LintRules.esoAPIVersion.negative[0].files[0].text
        let builtIn = Linter.lint([LintFile(path: "es.yaml", text: es)])
        #expect(!builtIn.problems.contains { $0.ruleID == "eso-schema" })
        #expect(builtIn.crdFiles.isEmpty)
        let own = Linter.lint([LintFile(path: "crds/eso.yaml", text: Self.crd), LintFile(path: "es.yaml", text: es)])
        #expect(own.crdFiles == ["crds/eso.yaml"])
        #expect(
            own.problems.contains { $0.ruleID == "eso-schema" && $0.message.contains("ownerTeam") }, "\(own.problems)")
        #expect(LintReporter.summaryLine(own).hasSuffix("; ESO CRDs from crds/eso.yaml"))
    }
}

/// v1alpha1 ExternalSecrets: the bump moves `dataFrom: - key:` under `extract:` (block and flow style), keeping
/// every other byte; the result is a valid v1 object and a second --fix has nothing to do.
@Suite struct LintV1alpha1FixTests {
    @Test func bumpMovesDataFromUnderExtract() throws {
        let text = """
            apiVersion: external-secrets.io/v1alpha1
            kind: ExternalSecret
            metadata:
              name: legacy
              namespace: apps
            spec:
              secretStoreRef: {kind: SecretStore, name: vault}
              dataFrom:
                - key: apps/legacy  # the whole map
                  version: "3"
                - {key: apps/other}

            """
        let files = [LintFile(path: "es.yaml", text: text)]
        let report = Linter.lint(files)
        #expect(report.problems.map(\.ruleID).filter { $0.hasPrefix("eso-") } == ["eso-api-version"])
        let change = try #require(LintFixer.changes(report, files: files).first)
        let fixed = String(decoding: change.after, as: UTF8.self)
        #expect(
            fixed
                == text.replacingOccurrences(of: "v1alpha1", with: "v1").replacingOccurrences(
                    of: "    - key: apps/legacy  # the whole map\n      version: \"3\"\n",
                    with: "    - extract:\n        key: apps/legacy  # the whole map\n        version: \"3\"\n"
                ).replacingOccurrences(of: "- {key: apps/other}", with: "- extract: {key: apps/other}"))
        let again = Linter.lint([LintFile(path: "es.yaml", text: fixed)])
        #expect(!again.problems.contains { $0.ruleID.hasPrefix("eso-") }, "\(again.problems)")
        #expect(LintFixer.changes(again, files: [LintFile(path: "es.yaml", text: fixed)]).isEmpty)
    }
}
