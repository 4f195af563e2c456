import EskitCore
import EskitScan

/// `kind: Secret` documents holding real values: the scanner's own Kubernetes rules decide, and only the rule and
/// the key's position are reported.
enum PlaintextChecks {
    static let secretRules: Set<String> = [
        "kubernetes-secret-data", "kubernetes-secret-stringdata", "docker-config-auth", "private-key",
        "default-credential",
    ]

    static func run(_ c: inout LintContext) {
        let withSecrets = Dictionary(grouping: c.documents.filter { $0.kind == "Secret" && $0.apiVersion == "v1" }) {
            $0.file
        }
        guard !withSecrets.isEmpty, let scanner = try? Scanner() else { return }
        for (file, docs) in withSecrets.sorted(by: { $0.key < $1.key }) {
            let result = scanner.scan(ScanInput(path: file, bytes: c.bytes(file)))
            for finding in result.findings {
                let offset = finding.span.start.offset
                guard let doc = docs.first(where: { $0.root.span.byteRange.contains(offset) }) else { continue }
                if doc.root["type"]?.scalarValue == "kubernetes.io/service-account-token" { continue }
                c.report(
                    LintProblem(
                        LintRules.plaintextSecret,
                        at: SourceLocation(file: file, position: finding.span.start),
                        "\(doc.display) holds a plaintext value (\(finding.ruleID), value not shown)"))
            }
        }
    }
}
