import EskitCore

/// `password: …`, `DB_PASSWORD=…`, `"passwd": "…"` and similar in any text format.
struct GenericPasswordDetector: Detector {
    let id = "generic-password"
    let description = "Password assigned in plain text"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] {
        let p = "Tr0ub4dor" + "-" + Sample.string(6, seed: 21)
        return [
            DetectorExample("db:\n  password: \(p)\n"),
            DetectorExample("{\"adminPassword\": \"\(p)\"}", path: "values.json"),
            DetectorExample("export DB_PASSWORD=\"\(p)\"\n", path: "deploy.sh"),
            DetectorExample("[database]\npassword = \(p)\n", path: "app.ini"),
            DetectorExample("MYSQL_ROOT_PASSWORD=\(p)\n", path: ".env"),
            DetectorExample("```yaml\nharborAdminPassword: \(p)\n```\n", path: "README.md"),
            DetectorExample(
                "```yaml\nkind: Secret\ndata:\n  password: \(Sample.base64(of: p))\n```\n", path: "docs/setup.md"),
            DetectorExample(
                "<server>\n  <id>nexus</id>\n  <password>\(p)</password>\n</server>\n", path: "settings.xml"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample("password: changeme\n"),
            DetectorExample("password: ${DB_PASSWORD}\n"),
            DetectorExample("password: \"{{ .Values.db.password }}\"\n"),
            DetectorExample("password: <your-password>\n"),
            DetectorExample("passwordSecretName: db-credentials\n"),
            DetectorExample("password: \"\"\n"),
            DetectorExample("password: REDACTED\n"),
            DetectorExample("password: '***'\n"),
            DetectorExample("password = os.environ[\"DB_PASSWORD\"]\n", path: "app.py"),
            DetectorExample("password: is required for login\n", path: "notes.md"),
            DetectorExample(
                "```yaml\nkind: Secret\ndata:\n  password: \(Sample.base64(of: "changeme"))\n```\n",
                path: "docs/setup.md"),
            DetectorExample(
                "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n"),
            DetectorExample("existingSecretAdminPassword: harbor-admin\n", path: "values.yaml"),
            DetectorExample(
                "resource \"aws_db_instance\" \"main\" {\n  password = var.db_password\n}\n", path: "main.tf"),
        ]
    }
}
