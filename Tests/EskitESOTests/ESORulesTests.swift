import EskitCore
import EskitESO
import EskitYAML
import Testing

/// The CRD / webhook rules the reader checks, each with the exact mark of the field it names.
@Suite struct ESORulesTests {
    static func messages(_ text: String, rules: Bool = true) throws -> [String] {
        var messages: [String] = []
        for result in try ESOReader.read(Array(text.utf8), file: "m.yaml", rules: rules) {
            if case .invalid(let d) = result { messages += d.map(\.description) }
        }
        return messages
    }

    static let text = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: app}
        spec:
          refreshPolicy: Periodically
          secretStoreRef: {kind: Store, name: vault}
          target: {creationPolicy: Merge, deletionPolicy: Delete, tempalte: {}}
          data:
            - secretKey: "fake key"
              remoteRef: {key: k, decodingStrategy: base64, proprety: p}
          dataFrom:
            - extract: {key: a}
              find: {path: b}
            - rewrite: []
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterExternalSecret
        metadata: {name: c}
        spec:
          externalSecretSpec:
            secretStoreRef: {name: vault}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: s}
        spec:
          provider: {fake: {data: []}}
          refreshIntervall: 10

        """

    static let oneOf = "exactly one of `extract`, `find` or `sourceRef.generatorRef` is required"

    @Test func everyRuleIsADiagnosticAtTheFieldsMark() throws {
        let e = "m.yaml:%@: error: "
        let expected = [
            (
                "5:18",
                "spec.refreshPolicy: must be one of `CreatedOnce`, `Periodic`, `OnChange`; did you mean `Periodic`?"
            ),
            ("6:26", "spec.secretStoreRef.kind: must be one of `SecretStore`, `ClusterSecretStore`"),
            ("7:51", "spec.target.deletionPolicy: `Delete` cannot be combined with creationPolicy `Merge`"),
            ("7:59", "spec.target.tempalte: unknown field; did you mean `template`?"),
            ("9:18", "spec.data[0].secretKey: must match `^[-._a-zA-Z0-9]+$`"),
            (
                "10:45",
                "spec.data[0].remoteRef.decodingStrategy: must be one of `Auto`, `Base64`, `Base64URL`, `None`; "
                    + "did you mean `Base64`?"
            ),
            ("10:53", "spec.data[0].remoteRef.proprety: unknown field; did you mean `property`?"),
            ("12:7", "spec.dataFrom[0]: " + Self.oneOf + " (found 2)"),
            ("14:7", "spec.dataFrom[1]: " + Self.oneOf + " (found 0)"),
            ("21:5", "spec.externalSecretSpec: at least one of `data` or `dataFrom` is required"),
            ("28:3", "spec.refreshIntervall: unknown field; did you mean `refreshInterval`?"),
        ].map { e.replacingOccurrences(of: "%@", with: $0.0) + $0.1 }
        let messages = try Self.messages(Self.text)
        #expect(messages == expected)
        #expect(messages.allSatisfy { !$0.contains("fake key") && !$0.contains("Periodically") })
    }

    @Test func rulesCanBeLeftToTheCRDValidator() throws {
        #expect(try Self.messages(Self.text, rules: false).isEmpty)
    }

    @Test func everyForbiddenPolicyPairIsRejected() throws {
        let pairs = [
            ("Merge", "Delete", true), ("None", "Delete", true), ("CreateOrMerge", "Delete", true),
            ("None", "Merge", true), ("Owner", "Delete", false), ("Orphan", "Delete", false),
            ("Merge", "Merge", false), ("Owner", "Retain", false), ("None", "Retain", false),
        ]
        for (creation, deletion, rejected) in pairs {
            let text = """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: app}
                spec:
                  target: {creationPolicy: \(creation), deletionPolicy: \(deletion)}
                  data: [{secretKey: a, remoteRef: {key: b}}]

                """
            let messages = try Self.messages(text)
            #expect(messages.isEmpty != rejected, "\(creation) + \(deletion)")
        }
    }

    @Test func providerNamesAndTheVaultBlockAreChecked() throws {
        let text = """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: s}
            spec:
              provider:
                vualt: {server: x}
            ---
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: t}
            spec:
              provider:
                vault:
                  version: v3
                  sever: https://vault.example.com

            """
        #expect(
            try Self.messages(text) == [
                "m.yaml:6:5: error: spec.provider.vualt: unknown provider; did you mean `vault`?",
                "m.yaml:14:7: error: spec.provider.vault.server: missing required field",
                "m.yaml:14:16: error: spec.provider.vault.version: must be one of `v1`, `v2`; did you mean `v1`?",
                "m.yaml:15:7: error: spec.provider.vault.sever: unknown field; did you mean `server`?",
            ])
    }
}
