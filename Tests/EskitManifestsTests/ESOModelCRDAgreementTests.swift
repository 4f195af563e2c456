import EskitCore
import EskitESO
import EskitManifests
import EskitYAML
import Foundation
import TestSupport
import Testing

/// Differential: mutations of a valid ExternalSecret (dropped required fields, misspelled keys, wrong types, bad
/// enum values, bad secretKey) are rejected by the ESO model's reader exactly when ESO's CRDs reject them.
@Suite(.enabled(if: OptionalTools.esoCRDs != nil, "needs ../shared/eso-crds"))
struct ESOModelCRDAgreementTests {
    static let valid = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: app
          namespace: shop
        spec:
          secretStoreRef:
            kind: ClusterSecretStore
            name: vault
          refreshInterval: 1h
          refreshPolicy: Periodic
          target:
            name: app
            creationPolicy: Owner
            deletionPolicy: Retain
            template:
              engineVersion: v2
              mergePolicy: Replace
          data:
            - secretKey: username
              remoteRef:
                key: shop/db
                property: username
                conversionStrategy: Default
                decodingStrategy: None
                metadataPolicy: None
                nullBytePolicy: Ignore
          dataFrom:
            - extract:
                key: shop/settings
            - find:
                path: shop/
                decodingStrategy: Auto

        """

    /// Every single-line mutation: the line dropped, its key misspelled, its scalar value replaced by a list or by
    /// a word no enum allows.
    static func mutations(_ valid: String = valid) -> [(String, String)] {
        let lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [(String, String)] = []
        // metadata (lines 3-5) is ObjectMeta, which the API server checks, not the CRD schema.
        for (i, line) in lines.enumerated() where i >= 5 && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let bare = line[..<colon].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "- ", with: "")
            let key = "\(bare) (line \(i + 1))"
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            func with(_ replaced: String) -> String {
                var copy = lines
                copy[i] = replaced
                return copy.joined(separator: "\n")
            }
            if !value.isEmpty && !line.contains("- ") {
                var copy = lines
                copy.remove(at: i)
                out.append(("drop \(key)", copy.joined(separator: "\n")))
            }
            out.append(("misspell \(key)", with(line.replacingOccurrences(of: bare + ":", with: bare + "x:"))))
            if !value.isEmpty {
                out.append(("list \(key)", with(line.replacingOccurrences(of: ": " + value, with: ": [x]"))))
                out.append(("enum \(key)", with(line.replacingOccurrences(of: ": " + value, with: ": Bogus value"))))
            }
        }
        return out
    }

    static let store = """
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata:
          name: vault
        spec:
          controller: dev
          refreshInterval: 60
          provider:
            vault:
              server: https://vault.example.com
              path: secret
              version: v2
              auth:
                kubernetes:
                  mountPath: kubernetes
                  role: eso
          conditions:
            - namespaces:
                - shop

        """

    @Test(arguments: ["externalsecret", "store"])
    func theReaderRejectsExactlyWhatTheCRDsReject(_ which: String) throws {
        let folder = try #require(OptionalTools.esoCRDs)
        let catalog = try CRDCatalog(folder: folder.path)
        let valid = which == "store" ? Self.store : Self.valid
        #expect(catalog.validate(text: Array(valid.utf8), file: "valid.yaml").isEmpty)
        let mutations = Self.mutations(valid)
        #expect(mutations.count > 30)
        var disagreements: [String] = []
        for (name, text) in mutations {
            let bytes = Array(text.utf8)
            let crd = !catalog.validate(text: bytes, file: "m.yaml").isEmpty
            let model = try ESOReader.read(bytes, file: "m.yaml").contains {
                if case .invalid = $0 { return true }
                return false
            }
            if crd != model { disagreements.append("\(name): CRD rejects \(crd), model rejects \(model)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }
}
