import EskitCore
import Testing

@testable import EskitScan

/// Leaks a GitOps repository really holds (Helm values of common charts, Argo CD's own Secret, package manager and
/// git credential files), each next to the safe form that must stay quiet.
@Suite struct GitOpsLeakTests {
    /// A word-like but strong password (dash-separated words with digits): built at run time.
    static let wordLike = "Ord3rs" + "-Db-" + "S3cr3t" + "-Pw-" + String(2000 + 25)

    func rules(_ text: String, path: String = "manifest.yaml") -> [String] { Scan.run(text, path: path).map(\.ruleID) }

    @Test func wordLikePasswordInSecretData() {
        let encoded = Sample.base64(of: Self.wordLike)
        let passphrase = Sample.base64(of: "Correct" + "HorseBattery" + "Staple")
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-db\ntype: Opaque\ndata:\n  password: "
            + "\(encoded)\n  admin-password: \(passphrase)\n  username: \(Sample.base64(of: "orders"))\n"
        let found = Scan.run(text)
        #expect(found.map(\.ruleID) == ["kubernetes-secret-data", "kubernetes-secret-data"])
        #expect(found.first?.secret.sha256 == SHA256.hex(Array(Self.wordLike.utf8)))
        for placeholder in ["changeme", "password", "no-password-set", "<db-password>", "Password1"] {
            let doc =
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  password: "
                + "\(Sample.base64(of: placeholder))\n"
            #expect(!rules(doc).contains("kubernetes-secret-data"), "\(placeholder)")
        }
    }

    @Test func valuesEncodedWithTheirTrailingNewline() {
        let p = Scan.secret(18, seed: 81)
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "
            + "\(Sample.base64(of: p + "\n"))\nstringData:\n  token: |\n    \(Scan.secret(24, seed: 82))\n"
        let found = Scan.run(text)
        #expect(found.map(\.ruleID) == ["kubernetes-secret-data", "kubernetes-secret-stringdata"])
        #expect(found.first?.secret.revealed == p + "\n")
        let config =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cfg\nstringData:\n  app.conf: |\n    log_level = "
            + "info\n    workers = 4\n"
        #expect(Scan.run(config).isEmpty)
    }

    @Test func wordLikePasswordInHelmValuesAndTfvars() {
        let values =
            "postgresql:\n  auth:\n    password: \(Self.wordLike)\n    existingSecret: \"\"\nredis:\n  auth:\n    "
            + "password: \"R3dis-Cache-\(Sample.string(6, seed: 71))\"\ngrafana:\n  adminPassword: "
            + "Gr4fana-\(Sample.string(8, seed: 72))\n"
        #expect(rules(values, path: "values.yaml") == ["generic-password", "generic-password", "generic-password"])
        #expect(rules("db_password = \"\(Self.wordLike)\"\n", path: "prod.tfvars") == ["generic-password"])
        let safe =
            "postgresql:\n  auth:\n    existingSecret: orders-db\n    secretKeys:\n      userPasswordKey: "
            + "password\nredis:\n  auth:\n    password: \"\"\n"
        #expect(rules(safe, path: "values.yaml").isEmpty)
    }

    @Test func argoCDAdminPasswordHash() {
        let bcrypt = "$2a$10$" + Sample.string(53, from: Sample.alnum + [46, 47], seed: 73)
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: argocd-secret\ntype: Opaque\nstringData:\n  "
            + "admin.password: \(bcrypt)\n  admin.passwordMtime: \"2025-01-01T00:00:00Z\"\n"
        #expect(rules(text) == ["kubernetes-secret-stringdata"])
        #expect(
            rules("configs:\n  secret:\n    argocdServerAdminPassword: \"\(bcrypt)\"\n", path: "values.yaml") == [
                "generic-password"
            ])
        #expect(rules("stringData:\n  admin.password: $ARGOCD_ADMIN_PASSWORD_HASH\n").isEmpty)
    }

    @Test func sealedAndSOPSSecretsAreFine() {
        let sealed =
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n  "
            + "  password: AgB\(Sample.string(300, from: Sample.base64, seed: 74))\n"
        #expect(rules(sealed).isEmpty)
        let sops =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: "
            + "ENC[AES256_GCM,data:\(Sample.string(24, from: Sample.base64, seed: 75)),type:str]\nsops:\n  "
            + "version: 3.8.1\n"
        #expect(rules(sops).isEmpty)
    }

    @Test func credentialFiles() {
        let token = Sample.string(36, seed: 76)
        #expect(rules("//registry.npmjs.org/:_authToken=npm_\(token)\n", path: ".npmrc") == ["npm-token"])
        #expect(rules("//npm.pkg.github.com/:_authToken=\(token)\n", path: ".npmrc") == ["generic-secret"])
        #expect(rules("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", path: ".npmrc").isEmpty)
        #expect(
            rules("machine github.com\n  login ci-bot\n  password \(token)\n", path: ".netrc") == ["netrc-password"])
        #expect(rules("https://ci-bot:\(token)@github.com\n", path: ".git-credentials") == ["url-credentials"])
        let body = Sample.base64(of: "openssh-key-v1\u{0}" + Sample.string(200, seed: 77))
        #expect(
            rules(
                "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n\(body)\n-----END OPENSSH " + "PRIVATE KEY-----\n",
                path: "id_rsa") == ["private-key"])
        // A body that is not an OpenSSH key (letters of the right length): a fabricated example, said so.
        let fake = Sample.string(280, from: Sample.base64, seed: 77)
        #expect(
            rules(
                "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n\(fake)\n-----END OPENSSH " + "PRIVATE KEY-----\n",
                path: "id_rsa") == ["private-key-example"])
    }

    @Test func gcpServiceAccountKeyID() {
        let id = Sample.string(40, from: Sample.hex, seed: 78)
        let text =
            "{\n  \"type\": \"service_account\",\n  \"project_id\": \"orders-prod\",\n  \"private_key_id\": "
            + "\"\(id)\",\n  \"client_email\": \"ci@orders-prod.iam.gserviceaccount.com\"\n}\n"
        let found = Scan.run(text, path: "sa.json")
        #expect(found.map(\.ruleID) == ["gcp-service-account-key"])
        #expect(found.first?.span.start.line == 4 && found.first?.span.start.column == 22)
    }

    @Test func referencesVersusValuesStartingWithSymbols() {
        let bytes = { (s: String) in Array(s.utf8) }
        for reference in ["@db.password@", "%DB_PASSWORD%", "@secrets/db", "%(password)s", "%{DB_PASS}"] {
            #expect(ValueJudge.isPlaceholder(bytes(reference)), "\(reference)")
        }
        for seed in UInt64(80)...(UInt64(90)) {
            for lead in ["@", "%"] {
                let value = lead + Sample.string(12, seed: seed) + "%W+"
                #expect(!ValueJudge.isPlaceholder(bytes(value)))
                #expect(ValueJudge.judge(bytes(value), keyClass: .password) == .secret)
            }
        }
        #expect(
            !ValueJudge.isPlaceholder(bytes("$2y$10$" + Sample.string(53, from: Sample.alnum + [46, 47], seed: 79))))
        #expect(ValueJudge.isPlaceholder(bytes("$DB_PASSWORD")))
        #expect(ValueJudge.isPlaceholder(bytes("$2y$")))
    }
}
