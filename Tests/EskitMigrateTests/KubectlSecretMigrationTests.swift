import EskitCore
import EskitMigrate
import EskitScan
import Foundation
import TestSupport
import Testing

/// `kubectl create secret generic … --from-literal=…` in a bootstrap script (the seed guide's Harbor admin secret):
/// the command becomes a comment and an ExternalSecret writes the Secret; a command that reads values at run time
/// stays manual, with the reason.
@Suite struct KubectlSecretMigrationTests {
    static let target = MigrationPlanner.Target(
        storeName: "openbao", storeKind: "ClusterSecretStore", environment: "home", keyPrefix: "home")
    static let password = "Kp" + Sample.string(16, seed: 9301)
    static let token = "tk_" + Sample.string(24, seed: 9302)

    static func script(password: String = password) -> MigrationFile {
        MigrationFile(
            path: "scripts/bootstrap.sh",
            bytes: Array(
                ("#!/bin/sh\nset -e\n  kubectl create secret generic harbor-admin-secret \\\n"
                    + "    --from-literal=username=admin --from-literal=password=\"\(password)\" \\\n"
                    + "    -n harbor --dry-run=client -o yaml | kubectl apply -f -\n"
                    + "kubectl -n ci create secret generic gh --from-literal='token=\(token)' "
                    + "--from-literal=user=$GH_USER\necho done\n").utf8))
    }

    @Test func aStaticCommandBecomesAnExternalSecretAndADynamicOneStaysManual() throws {
        let plan = try MigrationPlanner.plan([Self.script()], target: Self.target)
        #expect(plan.items.map(\.action) == [.kubectlSecret, .manual], "\(plan.items)")
        let item = plan.items[0]
        #expect(item.name == "harbor-admin-secret" && item.namespace == "harbor" && item.line == 3)
        #expect(item.values.map(\.key) == ["username", "password"] && item.values.map(\.line) == [4, 4])
        #expect(
            plan.items[1].line == 6 && plan.items[1].note?.contains("read from the environment at run time") == true)
        let yaml = plan.yaml()
        #expect(!yaml.contains(Self.password) && !yaml.contains(Self.token))

        let prepared = try MigrationApplier.prepare(plan, files: [Self.script()])
        let script = String(
            decoding: try #require(prepared.files.first { $0.path == "scripts/bootstrap.sh" }).bytes, as: UTF8.self)
        #expect(
            script
                == "#!/bin/sh\nset -e\n  # Secret harbor/harbor-admin-secret is written by an ExternalSecret from the "
                + "store (eskit migrate): nothing to create here\nkubectl -n ci create secret generic gh "
                + "--from-literal='token=\(Self.token)' --from-literal=user=$GH_USER\necho done\n")
        let es = String(
            decoding: try #require(
                prepared.files.first { $0.path == "scripts/externalsecret-harbor-admin-secret.yaml" }
            )
            .bytes, as: UTF8.self)
        #expect(es.contains("namespace: harbor") && es.contains("key: home/harbor/harbor-admin-secret"))
        #expect(prepared.remoteKeys == ["home/harbor/harbor-admin-secret"])
        // Applied, the plan is a no-op; a value changed since the plan is refused.
        let rerun = try MigrationApplier.prepare(
            plan, files: [MigrationFile(path: "scripts/bootstrap.sh", bytes: Array(script.utf8))])
        #expect(rerun.applied.isEmpty && rerun.alreadyApplied.count == 1)
        do {
            _ = try MigrationApplier.prepare(plan, files: [Self.script(password: "Kp" + Sample.string(16, seed: 9303))])
            Issue.record("a changed value must be refused")
        } catch {
            #expect(error.message.contains("scripts/bootstrap.sh:4: the value of `password` changed"), "\(error)")
        }
    }

    /// `gh secret set NAME --body VALUE` is found and listed as manual with the way to move it (a PushSecret).
    @Test func aGitHubActionsSecretWrittenByAScriptIsManualWithTheWayOut() throws {
        let script = MigrationFile(
            path: "ci/secrets.sh",
            bytes: Array("#!/bin/sh\ngh secret set HARBOR_PASSWORD --body \"\(Self.password)\" --repo ex/infra\n".utf8))
        let plan = try MigrationPlanner.plan([script], target: Self.target)
        #expect(plan.items.map(\.action) == [.manual] && plan.items.first?.line == 2, "\(plan.items)")
        #expect(plan.items.first?.note?.contains("ESO's `github` provider") == true)
        #expect(!plan.yaml().contains(Self.password))
    }
}
