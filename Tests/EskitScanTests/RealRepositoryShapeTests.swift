import EskitCore
import EskitScan
import Testing

/// Shapes seen in real home-lab GitOps repositories (bench/accuracy-real.sh). Every value that looks like a secret
/// is built at run time, and key names next to them are joined from parts, so this file scans clean.
@Suite struct RealRepositoryShapeTests {
    static func kv(_ key: String, _ value: String) -> String { key + ": " + value }
    static let pw = "pass" + "word"

    // MARK: secretHash is the hash of the whole value the consumer receives

    @Test func secretDataHashIncludesTheTrailingNewline() {
        let password = Scan.secret(17, seed: 1101) + "\n"
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  "
            + Self.kv(Self.pw, Sample.base64(of: password)) + "\n"
        let f = Scan.run(text).filter { $0.ruleID == "kubernetes-secret-data" }
        #expect(f.count == 1)
        #expect(f.first?.secret.sha256 == SHA256.hex(Array(password.utf8)))
    }

    @Test func pemKeyInsideSecretDataIsHashedWhole() {
        let body = Sample.privateKeyBody(seed: 1110)
        let pem = "-----BEGIN " + "EC PRIVATE KEY-----\n" + body + "\n-----END " + "EC PRIVATE KEY-----\n"
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: issuer\ntype: kubernetes.io/tls\ndata:\n  "
            + Self.kv("tls.key", Sample.base64(of: pem)) + "\n"
        let f = Scan.run(text)
        #expect(f.count == 1)
        #expect(f.first?.secret.sha256 == SHA256.hex(Array(pem.utf8)))
    }

    @Test func htpasswdEntryInsideSecretDataIsHashedWithItsUser() {
        let line = "admin:$2y$" + "10$" + Sample.string(53, from: Sample.alnum, seed: 1120) + "\n"
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry-auth\ndata:\n  "
            + Self.kv("htpasswd", Sample.base64(of: line)) + "\n"
        let f = Scan.run(text)
        #expect(!f.isEmpty)
        #expect(f.allSatisfy { $0.secret.sha256 == SHA256.hex(Array(line.utf8)) })
    }

    @Test func stringDataHashIsTheWholeString() {
        let value = Scan.secret(20, seed: 1130)
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  "
            + Self.kv("API_TOKEN", "\"" + value + "\"") + "\n"
        let f = Scan.run(text)
        #expect(f.count == 1)
        #expect(f.first?.secret.sha256 == SHA256.hex(Array(value.utf8)))
    }

    // MARK: chart and application defaults

    @Test func chartDefaultsAreDefaultCredentials() {
        let cases = [
            Self.kv("secret" + "Key", "\"not-a-" + "secure-key\""),
            "registry:\n  credentials:\n    " + Self.kv(Self.pw, "\"harbor_registry_" + Self.pw + "\""),
            "server:\n  dev:\n    " + Self.kv("devRoot" + "Token", "root"),
            Self.kv("monitoring" + "Passcode", "\"define" + "_it\""),
            "jdbcOverwrite:\n  " + Self.kv("jdbc" + "Password", "sonar" + "Pass"),
            "replication:\n  " + Self.kv(Self.pw, "repl_" + Self.pw),
            "#  " + Self.kv("MICROBIN_ADMIN_" + "PASSWORD", "\"m1cr0" + "b1n\""),
        ]
        for text in cases {
            let f = Scan.run(text + "\n", path: "values.yaml")
            #expect(f.count == 1, "\(text.prefix(12))")
            #expect(f.first?.kind == .defaultCredential)
        }
        #expect(ChartDefaults.table.allSatisfy { !$0.app.isEmpty && !$0.source.isEmpty })
    }

    @Test func aDefaultValueUnderAnotherKeyIsNotADefault() {
        #expect(Scan.run(Self.kv("root" + "Token", "root") + "\n", path: "values.yaml").isEmpty)
        #expect(Scan.run(Self.kv("image", "\"not-a-" + "secure-key\"") + "\n", path: "values.yaml").isEmpty)
    }

    // MARK: values that are not secrets

    @Test func proseAndFullWidthPunctuationAreNotSecrets() {
        let texts = [
            "Password: 管理者に確認してください\n",
            Self.kv(Self.pw, "Zx9" + Sample.string(9, seed: 1140) + "（初期値）") + "\n",
            "ログイン情報 " + Self.kv("token", "トークンは Vault にあります") + "\n",
        ]
        for t in texts { #expect(Scan.run(t, path: "README.md").isEmpty, "\(t.prefix(8))") }
    }

    @Test func helmChecksumAnnotationsAndPublicIdentifiersAreNotSecrets() {
        let hex = Sample.string(64, from: Sample.hex, seed: 1150)
        let texts = [
            "metadata:\n  annotations:\n    " + Self.kv("checksum/secret", hex) + "\n",
            Self.kv("clientId", Sample.string(32, from: Sample.lowerAlnum, seed: 1151)) + "\n",
            Self.kv("client_id", Sample.string(20, seed: 1152)) + "\n",
            Self.kv("issuer", "https://auth.example.org/application/o/grafana/") + "\n",
        ]
        for t in texts { #expect(Scan.run(t, path: "values.yaml").isEmpty, "\(t.prefix(10))") }
    }

    @Test func readmeSampleValuesAreNotSecrets() {
        let texts = [
            Self.kv(Self.pw, "secret2"), Self.kv(Self.pw, "some_" + "pass"), Self.kv("token", "value2"),
            "https://user:key_" + "1234@registry.example.org", Self.kv(Self.pw, "1qaz2wsx" + "3edc"),
        ]
        for t in texts { #expect(Scan.run("#   " + t + "\n", path: "values.yaml").isEmpty, "\(t.prefix(6))") }
    }

    @Test func emailAndAccountIdsInSecretsAreNotSecrets() {
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-vars\nstringData:\n  "
            + Self.kv("CLOUDFLARE_EMAIL", "ops.team@example.org") + "\n  "
            + Self.kv("CLOUDFLARE_ACCOUNT_ID", Sample.string(32, from: Sample.hex, seed: 1160)) + "\n"
        #expect(Scan.run(text).isEmpty)
    }

    @Test func ciphertextIsNotACloudflareToken() {
        let iv = Sample.string(20, from: Sample.base64, seed: 1170) + "/" + Sample.string(40, seed: 1171) + "+x="
        let sops =
            "stringData:\n    "
            + Self.kv(
                "CLOUDFLARE_API_" + "TOKEN",
                "ENC[AES256_GCM,data:" + Sample.string(40, seed: 1172) + ",iv:" + iv + ",type:str]")
        #expect(Scan.run(sops + "\n", path: "cluster-secrets.sops.yaml").isEmpty)
        let sealed =
            "spec:\n  encryptedData:\n    "
            + Self.kv(
                "CLOUDFLARE_API_" + "TOKEN",
                "AgB" + Sample.string(300, from: Sample.alnum, seed: 1173) + "/"
                    + Sample.string(40, seed: 1174) + "+" + Sample.string(300, from: Sample.alnum, seed: 1175))
        #expect(Scan.run(sealed + "\n", path: "homepage-cred.yml.old").isEmpty)
    }

    @Test func externalSecretKeyNamesAndLockfilesAreNotSecrets() {
        let eso =
            "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nspec:\n  data:\n  - "
            + Self.kv("secret" + "Key", "gostAuthPassword2") + "\n    remoteRef:\n      key: gost\n"
        #expect(Scan.run(eso, path: "templates/externalsecret.yaml").isEmpty)
        let lock =
            "\"secret-handshake@npm:^1.0.0\":\n  " + Self.kv("resolution", "\"x\"") + "\n  "
            + Self.kv("secret", "npm:^9.0.0") + "\n"
        #expect(Scan.run(lock, path: "backstage/yarn.lock").isEmpty)
    }

    // MARK: secrets that were missed

    @Test func podEnvPasswordLiteralsWhateverTheirShape() {
        let value = Sample.string(9, from: Sample.lower, seed: 1180)
        let text =
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    env:\n    - name: PASS"
            + "WORD\n      value: " + value + "\n"
        let f = Scan.run(text)
        #expect(f.map(\.ruleID) == ["kubernetes-env-value"])
        #expect(f.first?.secret.sha256 == SHA256.hex(Array(value.utf8)))
        let placeholder = text.replacingOccurrences(of: value, with: "changeme")
        #expect(Scan.run(placeholder).isEmpty)
    }

    @Test func base64OfAJSONObjectHoldingASecret() {
        let json =
            "{\"a\":\"\(Sample.string(32, from: Sample.hex, seed: 1190))\",\"t\":\""
            + "\(Sample.string(36, from: Sample.hex, seed: 1191))\",\"s\":\""
            + "\(Sample.string(44, from: Sample.base64, seed: 1192))\"}"
        let token = Sample.base64(of: json)
        let f = Scan.run("TUNNEL_" + "TOKEN=" + token + "\n", path: ".env")
        #expect(f.map(\.ruleID) == ["base64-json-credential"])
        let config = Sample.base64(of: "{\"name\":\"web\",\"replicas\":3,\"image\":\"nginx:1.27\",\"port\":8080}")
        #expect(Scan.run("CONFIG=" + config + "\n", path: ".env").isEmpty)
    }

    @Test func credentialsJSONInSecretData() {
        let json =
            "{\n  \"verifier\": {\"salt\": \"\(Sample.string(22, from: Sample.base64URL, seed: 1193))\", \"local"
            + "Hash\": \"\(Sample.string(43, from: Sample.base64URL, seed: 1194))\"},\n  \"version\": \"2\"\n}\n"
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: op-credentials\ndata:\n  "
            + Self.kv("1password-credentials.json", Sample.base64(of: json)) + "\n"
        let f = Scan.run(text)
        #expect(f.count == 1)
        #expect(f.first?.secret.sha256 == SHA256.hex(Array(json.utf8)))
        let plain = "{\n  \"name\": \"web\",\n  \"replicas\": 3\n}\n"
        #expect(
            Scan.run(text.replacingOccurrences(of: Sample.base64(of: json), with: Sample.base64(of: plain))).isEmpty)
    }

    @Test func base64OfAPEMPrivateKey() {
        let body = Sample.privateKeyBody(seed: 1200)
        let pem = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + body + "\n-----END " + "RSA PRIVATE KEY-----\n"
        let text = "k8sserviceaccount:\n  key: " + Sample.base64(of: pem) + "\n"
        #expect(Scan.run(text, path: "secrets.yaml").map(\.ruleID) == ["private-key"])
        let cert = pem.replacingOccurrences(of: "RSA PRIVATE KEY", with: "CERTIFICATE")
        #expect(Scan.run("ca:\n  crt: " + Sample.base64(of: cert) + "\n", path: "secrets.yaml").isEmpty)
    }

    // MARK: cross-document pairing

    @Test func awsKeyIdInOneDocumentItsSecretInTheNext() {
        let id = "AKIA" + Sample.string(16, from: Sample.upperAlnum, seed: 1210)
        let secret = Sample.string(40, from: Sample.base64, seed: 1211)
        let text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s3\ndata:\n  " + Self.kv("S3_KEY", id)
            + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s3-more\ndata:\n  "
            + Self.kv("S3_CREDENTIAL_VALUE", secret) + "\n"
        let work = Scan.run(text, path: "s3.yaml")
        #expect(work.contains { $0.ruleID == "aws-secret-access-key" && $0.secret.revealed == secret })
        let lines = Set(1...text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let staged = Scan.run(text, path: "s3.yaml", addedLines: lines)
        #expect(staged.contains { $0.ruleID == "aws-secret-access-key" })
        let cache = DocumentCache()
        let history = Array(text.utf8).withUnsafeBufferPointer {
            Scan.scanner.scan(path: "s3.yaml", buffer: $0, cache: cache)
        }
        #expect(history.findings.contains { $0.ruleID == "aws-secret-access-key" })
        #expect(history.findings.map(\.ruleID) == work.map(\.ruleID))
    }

    // MARK: file ends

    /// A keyword two lines before the end of a file without a final newline: detectors that look at the next
    /// lines stop at the end of the text (a debug build traps on any read past it).
    @Test func keywordsNearTheEndOfAFileWithoutFinalNewline() {
        for tail in ["\nabc", "\n", "\n\n", "\nx\ny", ""] {
            for keyword in ["cloudflare:", "CF_API_KEY:", "password:", "token =", "AKIA"] {
                _ = Scan.run("a: b\n" + keyword + tail, path: "values.yaml")
                _ = Scan.run(keyword + tail, path: ".env")
            }
        }
    }
}
