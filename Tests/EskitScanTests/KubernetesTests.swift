import EskitCore
import EskitScan
import Testing

/// Helpers shared by the scan tests.
enum Scan {
    static let scanner = try! Scanner()

    static func run(
        _ text: String, path: String = "manifest.yaml", addedLines: Set<Int>? = nil,
        scanner: Scanner = Scan.scanner
    ) -> [Finding] {
        scanner.scan(ScanInput(path: path, text: text, addedLines: addedLines)).findings
    }

    /// 1-based line and column of the first occurrence of `needle` in `text`.
    static func position(of needle: String, in text: String) -> (line: Int, column: Int) {
        let range = text.range(of: needle)!
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lastLine = before.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        return (line, lastLine.unicodeScalars.count + 1)
    }

    static func secret(_ n: Int, seed: UInt64) -> String { "Zx9" + Sample.string(n, seed: seed) }
}

@Suite struct KubernetesTests {
    @Test func secretDataIsDecodedAndReportedAtTheValueSpan() {
        let password = Scan.secret(17, seed: 1)
        let encoded = Sample.base64(of: password)
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(encoded)\n"
        let findings = Scan.run(text)
        #expect(findings.count == 1)
        let f = findings[0]
        #expect(f.ruleID == "kubernetes-secret-data")
        #expect(f.secret.revealed == password)
        #expect(f.secret.sha256 == SHA256.hex(Array(password.utf8)))
        let at = Scan.position(of: encoded, in: text)
        #expect(f.span.start.line == at.line && f.span.start.column == at.column)
        #expect(f.span.end.column == at.column + encoded.count)
    }

    @Test func dataBeforeKindAndManyKeysStillParsed() {
        var text = "data:\n"
        for i in 0..<40 { text += "  filler-\(i): \(Sample.base64(of: "public-value-\(i)"))\n" }
        let token = Scan.secret(29, seed: 2)
        text += "  api-token: \(Sample.base64(of: token))\nmetadata:\n  name: x\nkind: Secret\napiVersion: v1\n"
        let findings = Scan.run(text).filter { $0.ruleID == "kubernetes-secret-data" }
        #expect(findings.contains { $0.secret.revealed == token })
    }

    @Test func everyDocumentOfAMultiDocumentFile() {
        let a = Scan.secret(20, seed: 3), b = Scan.secret(20, seed: 4)
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            data: {LOG_LEVEL: info}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: one}
            stringData:
              db-password: "\(a)"
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: two}
            data:
              token: \(Sample.base64(of: b))

            """
        let findings = Scan.run(text)
        #expect(findings.map(\.ruleID) == ["kubernetes-secret-stringdata", "kubernetes-secret-data"])
        #expect(findings.map(\.secret.revealed) == [a, b])
        #expect(findings[0].span.start.line == 10)
        #expect(findings[1].span.start.line == 16)
    }

    @Test func jsonManifestAndKindList() {
        let p = Scan.secret(18, seed: 5)
        let json =
            "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Secret\",\n  \"metadata\": {\"name\": \"db\"},\n  \"data\": "
            + "{\"password\": \"\(Sample.base64(of: p))\"}\n}\n"
        let found = Scan.run(json, path: "secret.json")
        #expect(found.count == 1 && found[0].ruleID == "kubernetes-secret-data" && found[0].secret.revealed == p)
        #expect(found[0].span.start.line == 5)
        let list =
            "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: db}\n    "
            + "stringData:\n      password: \(p)\n"
        #expect(Scan.run(list).map(\.ruleID) == ["kubernetes-secret-stringdata"])
    }

    @Test func aDataKeyAddedToAnExistingSecretIsSeenInTheLaterVersion() {
        let v1 =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  username: \(Sample.base64(of: "app"))\n"
        #expect(Scan.run(v1).isEmpty)
        let key = Scan.secret(24, seed: 6)
        let v2 = v1 + "  api-key: \(Sample.base64(of: key))\n"
        let added = Scan.run(v2, addedLines: [7])
        #expect(added.count == 1 && added[0].secret.revealed == key && added[0].span.start.line == 7)
    }

    @Test func tokensInsideDecodedDataKeepTheirRule() {
        let gh = "ghp_" + Sample.string(36, seed: 7)
        let text = "apiVersion: v1\nkind: Secret\ndata:\n  GITHUB_TOKEN: \(Sample.base64(of: gh))\n"
        let f = Scan.run(text)
        #expect(f.map(\.ruleID) == ["github-pat"])
        #expect(f.first?.secret.revealed == gh && f.first?.span.start.line == 4)
    }

    @Test func dockerConfigJSONInsideSecretData() {
        let config = DockerConfigAuthSample.config(password: Scan.secret(30, seed: 8))
        let text =
            "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: "
            + "\(Sample.base64(of: config.json))\n"
        let f = Scan.run(text)
        #expect(f.map(\.ruleID) == ["docker-config-auth"])
        // The whole decoded value (what `kubectl get secret … | base64 -d` prints), not the password inside.
        #expect(f.first?.secret.revealed == config.json)
    }

    @Test func placeholdersInSecretsAreNotFindings() {
        let text = """
            apiVersion: v1
            kind: Secret
            data:
              password: \(Sample.base64(of: "changeme"))
              token: \(Sample.base64(of: "<TOKEN>"))
              empty: ""
            stringData:
              a: ${DB_PASSWORD}
              b: "{{ .Values.db.password }}"
              c: REDACTED
              d: xxxxxxxx
              e: your-api-key
              f: "***"
              g: $(API_TOKEN)

            """
        #expect(Scan.run(text).isEmpty)
    }

    @Test func referenceManifestsAreNotFindings() {
        let text = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db}
            spec:
              secretStoreRef: {name: vault, kind: ClusterSecretStore}
              data:
                - secretKey: password
                  remoteRef: {key: prod/db, property: password}
            ---
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata: {name: db}
            spec:
              encryptedData:
                password: AgB\(Sample.string(300, from: Sample.base64, seed: 9))

            """
        #expect(Scan.run(text).isEmpty)
    }

    @Test func envLiteralsConfigMapsKustomizeAndArgo() {
        let v = Scan.secret(20, seed: 10)
        let deploy =
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          "
            + "env:\n            - name: LOG_LEVEL\n              value: debug\n            - name: "
            + "STRIPE_API_KEY\n              value: \"\(v)\"\n"
        #expect(Scan.run(deploy).map(\.ruleID) == ["kubernetes-env-value"])
        let cm = "apiVersion: v1\nkind: ConfigMap\ndata:\n  SMTP_PASSWORD: \(v)\n  SMTP_HOST: mail\n"
        #expect(Scan.run(cm).map(\.ruleID) == ["kubernetes-configmap-secret"])
        let kustomization = "secretGenerator:\n- name: db\n  literals:\n  - user=app\n  - password=\(v)\n"
        let k = Scan.run(kustomization, path: "kustomization.yaml")
        #expect(k.map(\.ruleID) == ["kustomize-secret-literal"])
        #expect(k.first?.span.start.column == 14 && k.first?.secret.revealed == v)
        let argo =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: "
            + "repo-creds\nstringData:\n  url: https://git.example.org\n  password: \(v)\n"
        #expect(Scan.run(argo).map(\.ruleID) == ["argocd-repository-credential"])
    }

    @Test func defaultsAreDefaultCredentials() {
        let harbor = "Harbor" + "12345"
        let values =
            "harbor:\n  harborAdminPassword: \(harbor)\ngrafana:\n  adminPassword: prom-operator\nminio:\n  "
            + "rootPassword: minio123\n"
        let f = Scan.run(values, path: "values.yaml")
        #expect(f.count == 3)
        #expect(f.allSatisfy { $0.ruleID == "default-credential" && $0.kind == .defaultCredential })
        let secret = "apiVersion: v1\nkind: Secret\nstringData:\n  username: admin\n  password: admin\n"
        #expect(Scan.run(secret).map(\.kind) == [.defaultCredential])
    }
}

enum DockerConfigAuthSample {
    static func config(password: String) -> (json: String, password: String) {
        let auth = Sample.base64(of: "ci-bot:" + password)
        return ("{\"auths\":{\"registry.example.org\":{\"auth\":\"\(auth)\"}}}", password)
    }
}

@Suite struct MarkdownManifestTests {
    @Test func secretManifestInMarkdownReportsTheDecodedValue() {
        let p = Scan.secret(15, seed: 91)
        let md = "# Setup\n\n```yaml\napiVersion: v1\nkind: Secret\ndata:\n  password: \(Sample.base64(of: p))\n```\n"
        let f = Scan.run(md, path: "README.md")
        #expect(f.map(\.ruleID) == ["generic-password"])
        #expect(f.first?.secret.revealed == p && f.first?.span.start.line == 7)
        let yaml = "apiVersion: v1\nkind: Secret\ndata:\n  password: \(Sample.base64(of: p))\n"
        #expect(Scan.run(yaml).first?.secret.sha256 == f.first?.secret.sha256)
    }
}

@Suite struct EnvLiteralLayoutTests {
    let v = Scan.secret(20, seed: 95)

    @Test(arguments: ["block", "valueFirst", "flow", "json", "jsonPretty"])
    func envLiteralInAnyLayout(layout: String) {
        let text: String
        let path: String
        switch layout {
        case "block":
            text =
                "kind: Pod\nspec:\n  containers:\n  - name: a\n    env:\n    - name: LOG\n      value: x\n    - "
                + "name: API_SECRET\n      value: \(v)\n"
            path = "pod.yaml"
        case "valueFirst":
            text = "kind: Pod\nspec:\n  containers:\n  - env:\n    - value: \(v)\n      name: API_SECRET\n"
            path = "pod.yaml"
        case "flow":
            text = "kind: Pod\nspec:\n  containers:\n  - env: [{name: API_SECRET, value: \(v)}]\n"
            path = "pod.yaml"
        case "json":
            text =
                "{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"env\": [{\"name\": \"API_SECRET\", \"value\": "
                + "\"\(v)\"}]}]}}"
            path = "pod.json"
        default:
            text =
                "{\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"containers\": [\n      {\n        \"env\": [\n        "
                + "  {\n            \"name\": \"API_SECRET\",\n            \"value\": \"\(v)\"\n          }\n      "
                + "  ]\n      }\n    ]\n  }\n}\n"
            path = "pod.json"
        }
        let f = Scan.run(text, path: path)
        #expect(f.map(\.ruleID) == ["kubernetes-env-value"], "\(layout)")
        #expect(f.first?.secret.revealed == v)
    }
}

@Suite struct HelmTemplateTests {
    @Test func chartSecretTemplateWithLiteralValueIsParsed() {
        let v = Scan.secret(20, seed: 97)
        let text = """
            {{- if .Values.enabled }}
            apiVersion: v1
            kind: Secret
            metadata:
              name: {{ include "app.fullname" . }}
              labels:
                {{- include "app.labels" . | nindent 4 }}
            data:
              api-credential: \(Sample.base64(of: v))
              password: {{ .Values.password | b64enc | quote }}
            {{- end }}

            """
        let f = Scan.run(text, path: "charts/app/templates/secret.yaml")
        #expect(f.map(\.ruleID) == ["kubernetes-secret-data"])
        #expect(f.first?.secret.revealed == v && f.first?.span.start.line == 9 && f.first?.span.start.column == 19)
    }
}

@Suite struct HelmEnvListTests {
    @Test func helmExtraEnvVarsListsAreEnvLiterals() {
        let v = Scan.secret(20, seed: 99)
        let values =
            "app:\n  extraEnvVars:\n    - name: LOG_LEVEL\n      value: info\n    - name: SMTP_PASSWORD\n      "
            + "value: \(v)\n"
        let f = Scan.run(values, path: "values.yaml")
        #expect(f.map(\.ruleID) == ["kubernetes-env-value"])
        #expect(f.first?.secret.revealed == v && f.first?.span.start.line == 6)
    }
}
