import EskitCore
import EskitESO
import EskitYAML
import Foundation
import TestSupport
import Testing

/// The typed ESO model: every kind read with marks, emitted by one emitter, read back equal.
@Suite struct ESOModelTests {
    static func objects(_ relative: String) throws -> [ReadObject] {
        try ESOReader.read(try Fixtures.bytes(relative), file: relative).compactMap {
            if case .eso(let object) = $0 { return object }
            return nil
        }
    }

    @Test func everyKindAndProviderIsRead() throws {
        let results = try ESOReader.read(try Fixtures.bytes("eso/all-kinds.yaml"), file: "all-kinds.yaml")
        let kinds = results.map { result -> String in
            switch result {
            case .eso(let o): "\(o.object.kind)"
            case .invalid(let d): "invalid \(d)"
            case .other(let node): "other \(node["kind"]?.scalarValue ?? "")"
            }
        }
        #expect(
            kinds == [
                "ExternalSecret", "ClusterExternalSecret", "ClusterSecretStore", "ClusterSecretStore",
                "SecretStore", "SecretStore", "SecretStore", "SecretStore", "SecretStore", "SecretStore",
                "PushSecret", "ClusterPushSecret", "other ConfigMap",
            ])
        let objects = try Self.objects("eso/all-kinds.yaml")
        guard case .externalSecret(let es) = objects[0].object else { Issue.record("not an ExternalSecret"); return }
        #expect(es.spec.secretStoreRef == StoreRef(name: "vault", kind: "ClusterSecretStore"))
        #expect(es.spec.refreshInterval == "15m" && es.spec.refreshPolicy == "Periodic")
        #expect(es.spec.target?.name == "app-credentials" && es.spec.target?.immutable == false)
        #expect(es.spec.data.map(\.secretKey) == ["username", "auth"])
        #expect(es.spec.data[0].remoteRef.version == "3" && es.spec.data[0].remoteRef.nullBytePolicy == "Ignore")
        #expect(es.spec.data[1].sourceRef?.storeRef?.name == "local")
        #expect(es.spec.dataFrom[0].extract?.key == "shop/settings" && es.spec.dataFrom[0].rewrite.count == 1)
        #expect(es.spec.dataFrom[1].find?.nameRegexp == "^feature-" && es.spec.dataFrom[1].find?.tags["env"] == "prod")
        #expect(es.spec.dataFrom[2].sourceRef?.generatorRef != nil)
        #expect(es.spec.extras["syncWindows"] != nil, "untyped fields are kept")
        let providers = objects.compactMap { o -> String? in
            if case .secretStore(let s) = o.object { return s.spec.provider.name }
            return nil
        }
        #expect(providers == ["vault", "aws", "azurekv", "gcpsm", "pulumi", "kubernetes", "fake", "onepassword"])
        guard case .secretStore(let vault) = objects[2].object, case .vault(let v) = vault.spec.provider else {
            Issue.record("no vault store"); return
        }
        #expect(v.server == "https://vault.example.com:8200" && v.path == "secret" && v.namespace == "admin")
        #expect(v.authMethod == "kubernetes" && v.resolvedVersion == "v2")
        #expect(vault.spec.conditions.count == 2 && vault.spec.conditions[0].namespaceRegexes == ["^team-"])
        guard case .secretStore(let other) = objects[9].object, case .other(let name, _) = other.spec.provider else {
            Issue.record("unknown providers are kept as .other"); return
        }
        #expect(name == "onepassword")
        guard case .pushSecret(let push) = objects[10].object else { Issue.record("no PushSecret"); return }
        #expect(push.secretName == "app-credentials" && push.data.map(\.remoteKey) == ["shop/pushed"])
        guard case .pushSecret(let clusterPush) = objects[11].object else {
            Issue.record("no ClusterPushSecret"); return
        }
        #expect(clusterPush.isCluster && clusterPush.data.map(\.remoteKey) == ["shared/pushed"])
    }

    @Test func marksPointAtEveryField() throws {
        let objects = try Self.objects("eso/all-kinds.yaml")
        let marks = objects[0].marks
        #expect(marks.location("spec.data[1].remoteRef.key").description == "eso/all-kinds.yaml:28:24")
        #expect(marks.location("spec.dataFrom[1].find.name.regexp").position.line == 37)
        #expect(marks.location("spec.target.template.data").position.line == 22)
        #expect(marks.location("spec.data[1].remoteRef.nosuch").position.line == 28, "nearest enclosing node")
        #expect(objects[2].marks.location("spec.provider.vault.auth.kubernetes.role").position.line == 77)
    }

    /// read -> emit -> read gives equal values, for the hand-written kinds and every manifest `eskit generate`
    /// writes; and the generated manifests come out of the emitter byte for byte.
    @Test func roundTrips() throws {
        var checked = 0
        var files = ["eso/all-kinds.yaml"]
        let generated = Fixtures.url("expected/generate")
        let enumerator = FileManager.default.enumerator(atPath: generated.path)
        while let path = enumerator?.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix("externalsecret-") || name.hasPrefix("secretstore-")
                || name.hasPrefix("clustersecretstore-")
            {
                files.append("expected/generate/\(path)")
            }
        }
        #expect(files.count > 20)
        for file in files {
            let text = String(decoding: try Fixtures.bytes(file), as: UTF8.self)
            for first in try Self.objects(file) {
                let emitted = ESOEmitter.text(first.object)
                let again = try ESOReader.read(Array(emitted.utf8), file: "emitted")
                guard case .eso(let second)? = again.first else { Issue.record("\(file) does not read back"); continue }
                #expect(first.object == second.object, "\(file): read, emit, read differs")
                #expect(ESOEmitter.text(second.object) == emitted, "\(file): emitting is stable")
                if file.hasPrefix("expected/generate/") {
                    let body = text.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
                    #expect(emitted == body, "\(file): the emitter writes what the generator wrote")
                }
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    @Test func structuralProblemsAreDiagnosticsWithMarksAndNoValues() throws {
        let token = "tok_" + String(repeating: "z8", count: 10)
        let text = """
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata: {name: app}
            spec:
              data:
                - secretKey: a
                  remoteRef: {property: \(token)}
                - remoteRef: {key: b}
              dataFrom: \(token)
            ---
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: s}
            spec:
              provider: {vault: {server: x}, aws: {region: y}}

            """
        let results = try ESOReader.read(Array(text.utf8), file: "m.yaml")
        var messages: [String] = []
        for result in results { if case .invalid(let d) = result { messages += d.map(\.description) } }
        #expect(
            messages == [
                "m.yaml:1:13: error: apiVersion: `external-secrets.io/v1beta1` is not served for ExternalSecret by "
                    + "current ESO; use `external-secrets.io/v1` (v1beta1 stopped being served in ESO 0.17)",
                "m.yaml:7:18: error: spec.data[0].remoteRef.key: missing required field",
                "m.yaml:8:7: error: spec.data[1].secretKey: missing required field",
                "m.yaml:9:13: error: spec.dataFrom: expected a list, found a scalar",
                "m.yaml:15:13: error: spec.provider: exactly one provider is required (found 2)",
            ])
        #expect(messages.allSatisfy { !$0.contains(token) })
    }

    @Test func builtValuesEmitInTheGeneratorsOrder() {
        let es = ExternalSecret(
            metadata: ObjectMeta(
                name: "db", namespace: "shop", labels: StringPairs([("app.kubernetes.io/managed-by", "eskit")])),
            spec: ExternalSecretSpec(
                secretStoreRef: StoreRef(name: "vault", kind: "SecretStore"), refreshInterval: "1h",
                target: Target(name: "db", creationPolicy: "Owner", deletionPolicy: "Retain"),
                data: [DataEntry(secretKey: "password", remoteRef: RemoteRef(key: "shop/db", property: "password"))]))
        #expect(
            ESOEmitter.text(.externalSecret(es)) == """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata:
                  name: db
                  namespace: shop
                  labels:
                    app.kubernetes.io/managed-by: eskit
                spec:
                  secretStoreRef:
                    kind: SecretStore
                    name: vault
                  refreshInterval: 1h
                  target:
                    name: db
                    creationPolicy: Owner
                    deletionPolicy: Retain
                  data:
                    - secretKey: password
                      remoteRef:
                        key: shop/db
                        property: password

                """)
    }
}
