import EskitCore
import EskitESO
import EskitYAML
import TestSupport
import Testing

/// The typed provider fields eskit's commands read, from the hand-written fixture.
@Suite struct ESOProviderTests {
    static func providers() throws -> [Provider] {
        try ESOReader.read(try Fixtures.bytes("eso/all-kinds.yaml"), file: "all-kinds.yaml").compactMap {
            if case .eso(let o) = $0, case .secretStore(let s) = o.object { return s.spec.provider }
            return nil
        }
    }

    @Test func authAndReferenceFieldsAreTyped() throws {
        let providers = try Self.providers()
        guard providers.count == 8 else { Issue.record("expected 8 stores, got \(providers.count)"); return }
        if case .vault(let v) = providers[0] {
            #expect(v.auth?.kubernetes?.mountPath == "kubernetes" && v.auth?.kubernetes?.role == "eso")
            #expect(v.auth?.kubernetes?.serviceAccountRef?.node["name"]?.scalarValue == "eso-reader")
            #expect(v.auth?.jwt == nil && v.auth?.tokenSecretRef == nil && v.caBundle == nil)
        } else {
            Issue.record("no vault")
        }
        if case .aws(let a) = providers[1] {
            #expect(a.jwtServiceAccountRef?.node["name"]?.scalarValue == "eso-aws" && a.authSecretRef == nil)
        } else {
            Issue.record("no aws")
        }
        if case .azurekv(let z) = providers[2] {
            #expect(z.serviceAccountRef?.node["name"]?.scalarValue == "eso-azure" && z.environmentType == nil)
        } else {
            Issue.record("no azurekv")
        }
        if case .gcpsm(let g) = providers[3] {
            #expect(g.workloadIdentity?.node["serviceAccountRef"] != nil && g.authSecretRef == nil)
        } else {
            Issue.record("no gcpsm")
        }
        if case .pulumi(let p) = providers[4] {
            #expect(p.auth?.node["accessToken"] != nil && p.organization == "acme")
        } else {
            Issue.record("no pulumi")
        }
        if case .kubernetes(let k) = providers[5] {
            #expect(k.auth?.node["serviceAccount"] != nil && k.remoteNamespace == "shared" && k.authRef == nil)
        } else {
            Issue.record("no kubernetes")
        }
        if case .fake(let f) = providers[6] {
            #expect(f.entries.map(\.key) == ["shop/db"])
        } else {
            Issue.record("no fake")
        }
    }

    @Test func vaultJWTAndTokenAuthAreTyped() throws {
        let text = """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: v}
            spec:
              provider:
                vault:
                  server: https://vault.example.com
                  caBundle: ZmFrZQ==
                  auth:
                    jwt:
                      path: jwt
                      role: reader
                      kubernetesServiceAccountToken: {serviceAccountRef: {name: eso}}
                    tokenSecretRef: {name: vault-token, key: token}

            """
        let results = try ESOReader.read(Array(text.utf8), file: "v.yaml")
        guard case .eso(let o)? = results.first, case .secretStore(let s) = o.object,
            case .vault(let v) = s.spec.provider
        else {
            Issue.record("not read: \(results)"); return
        }
        #expect(v.caBundle == "ZmFrZQ==" && v.auth?.jwt?.path == "jwt" && v.auth?.jwt?.role == "reader")
        #expect(v.auth?.jwt?.kubernetesServiceAccountToken != nil && v.auth?.tokenSecretRef != nil)
        #expect(o.marks.location("spec.provider.vault.auth.jwt.role").description == "v.yaml:12:17")
    }
}
