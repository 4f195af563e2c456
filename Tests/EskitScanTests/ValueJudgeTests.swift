import Testing

@testable import EskitScan

@Suite struct ValueJudgeTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func keyNamesByLastWord() {
        let expected: [(String, KeyClass)] = [
            ("password", .password), ("DB_PASSWORD", .password), ("harborAdminPassword", .password),
            ("db-pass", .password),
            ("api_key", .secret), ("apiKey", .secret), ("AWS_SECRET_ACCESS_KEY", .secret), ("client_secret", .secret),
            ("GITHUB_TOKEN", .secret), ("erlangCookie", .secret), ("xsrfKey", .secret), ("credentials", .secret),
            ("key", .weak), ("auth", .weak), ("basicAuth", .secret),
            ("secretName", .none), ("tokenUrl", .none), ("passwordFile", .none), ("secretKeyRef", .none),
            ("existingSecret", .none), ("existingSecretPasswordKey", .none), ("publicKeyToken", .none),
            ("output_token", .none), ("nodeSelectorKey", .none), ("name", .none),
        ]
        for (key, cls) in expected { #expect(KeyName.classify(bytes(key)) == cls, "\(key)") }
    }

    @Test func identifiersAreNotRandom() {
        for s in [
            "app-102-db", "my.app.io", "/run/secrets/db", "google_oauth2.Credentials", "ExclusiveStartKey",
            "V1SecretVolumeSource", "_EllipticCurvePrivateKey", "_RSAPrivateKey", "AWSAccessKeyId", "adminPassword",
            "k8s-home/apps/slack3/bot-token",
        ] {
            #expect(ValueJudge.looksLikeIdentifier(bytes(s)), "\(s)")
        }
        var identified = 0
        for seed in UInt64(1)...2000 {
            let random = Sample.string(12 + Int(seed % 29), seed: seed)
            if ValueJudge.looksLikeIdentifier(bytes(random)) { identified += 1 }
        }
        #expect(identified <= 4, "\(identified) of 2000 random tokens taken for identifiers")
    }

    @Test func placeholders() {
        for s in [
            "changeme", "<TOKEN>", "${VAR}", "$(VAR)", "{{ .Values.x }}", "xxxxxxxx", "your-token", "REDACTED", "***",
            "", "ENC[AES256_GCM,data:abc]", "MY_API_KEY", "example-secret", "dummy", "test", "no-password-required",
            "eyJ2IjoiMSIsInMiOjEs...", "{i}",
        ] {
            #expect(ValueJudge.isPlaceholder(bytes(s)), "\(s)")
        }
        for seed in UInt64(1)...50 { #expect(!ValueJudge.isPlaceholder(bytes(Sample.string(20, seed: seed * 7)))) }
    }

    @Test func verdicts() {
        let harbor = "Harbor" + "12345"
        #expect(ValueJudge.judge(bytes(harbor), keyClass: .password) == .defaultCredential)
        #expect(ValueJudge.judge(bytes(harbor), keyClass: .secret) == .notSecret)
        #expect(ValueJudge.judge(bytes("Tr0ub4dor&3"), keyClass: .password) == .secret)
        #expect(ValueJudge.judge(bytes("Incorrect"), keyClass: .password) == .notSecret)
        #expect(ValueJudge.judge(bytes("short1"), keyClass: .secret) == .notSecret)
        #expect(ValueJudge.judge(bytes(Sample.string(32, seed: 3)), keyClass: .secret) == .secret)
        #expect(ValueJudge.judge(bytes(Sample.string(32, seed: 3)), keyClass: .weak) == .secret)
        #expect(ValueJudge.judge(bytes("app.kubernetes.io/name"), keyClass: .weak) == .notSecret)
        #expect(ValueJudge.judge(bytes(Sample.string(32, seed: 3)), keyClass: .none) == .notSecret)
    }
}
