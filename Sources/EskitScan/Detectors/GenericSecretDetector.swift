import EskitCore

/// `token: …`, `api_key = …`, `client_secret: …` with a random-looking value.
struct GenericSecretDetector: Detector {
    let id = "generic-secret"
    let description = "Token, API key or client secret assigned in plain text"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let t = Sample.string(32, seed: 22)
        return [
            DetectorExample("api_key: \(t)\n"),
            DetectorExample("{\"client_secret\": \"\(t)\"}", path: "config.json"),
            DetectorExample("[auth]\naccess_token = \"\(t)\"\n", path: "config.toml"),
            DetectorExample("export SERVICE_TOKEN=\(t)\n", path: "env.sh"),
            DetectorExample("headers:\n  Cookie: \"theme=dark; sessionid=\(t); lang=en\"\n", path: "blackbox.yaml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("api_key: your-api-key\n"),
            DetectorExample("tokenUrl: https://auth.example.org/token\n"),
            DetectorExample("secretName: my-app-tls\n"),
            DetectorExample("client_secret: $(CLIENT_SECRET)\n"),
            DetectorExample("token: \(Sample.string(6, seed: 3))\n"),
            DetectorExample("apiKey: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
            DetectorExample("secretKey: app.kubernetes.io-component-name\n"),
            DetectorExample(
                "data:\n  - secretKey: adminPassword\n    remoteRef:\n      key: k8s-home/apps/slack3/bot-token\n",
                path: "README.md"),
            DetectorExample(
                "spec:\n  dataFrom:\n    - extract:\n        key: \(Sample.string(20, seed: 25))  # record id\n"
                    + "  data:\n    - secretKey: login\n      remoteRef: {key: \(Sample.string(20, seed: 26))}\n",
                path: "keeper-externalsecret.yaml"),
            DetectorExample("erlangCookie: \"{{ .Values.cookie }}\"\n"),
            DetectorExample(
                "{\"cases\": [{\"headers\": [{\":method\": \"GET\"}, {\":path\": \"/\"}, {\"cookie\": "
                    + "\"SID=\(Sample.string(32, seed: 23))\"}]}]}\n",
                path: "Tests/hpack-test-case/story_00.json"),
            DetectorExample(
                "openapi: 3.0.3\npaths:\n  /token:\n    post:\n      responses:\n        \"201\":\n          "
                    + "content:\n            application/json:\n              example:\n                access_token: "
                    + "\(Sample.string(40, seed: 24))\n",
                path: "api/openapi.yaml"),
            DetectorExample(
                "<dict>\n\t<key>IDEDidComputeMac32BitWarning</key>\n\t<true/>\n\t<key>74ACFA82-31AA-4343-92D6-CA8B8D3"
                    + "9C225</key>\n</dict>\n",
                path: "IDEWorkspaceChecks.plist"),
        ]
    }
}
