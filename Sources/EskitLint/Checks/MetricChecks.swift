import EskitCore
import EskitYAML

/// ESO metric names in alerting and recording rules (`expr:` of PrometheusRule objects and plain Prometheus rule
/// files) that ESO does not export.
enum MetricChecks {
    /// Every metric ESO exports (controller-runtime's own are not ESO-prefixed).
    static let known: Set<String> = [
        "externalsecret_sync_calls_total", "externalsecret_sync_calls_error", "externalsecret_status_condition",
        "externalsecret_reconcile_duration", "externalsecret_provider_api_calls_count",
        "secretstore_status_condition", "secretstore_reconcile_duration", "clustersecretstore_status_condition",
        "clustersecretstore_reconcile_duration", "clusterexternalsecret_status_condition",
        "clusterexternalsecret_reconcile_duration", "pushsecret_status_condition", "pushsecret_reconcile_duration",
        "clusterpushsecret_status_condition", "clusterpushsecret_reconcile_duration",
    ]
    static let prefixes = [
        "externalsecret", "externalsecrets", "secretstore", "clustersecretstore", "clusterexternalsecret",
        "pushsecret", "clusterpushsecret", "external_secrets",
    ]

    static func run(_ c: inout LintContext) {
        var roots = c.plainRoots
        for doc in c.documents where doc.kind == "PrometheusRule" { roots.append((doc.file, doc.root)) }
        for (file, root) in roots {
            walk(root) { expr in
                for problem in problems(in: expr) {
                    c.report(
                        LintProblem(
                            LintRules.esoMetricUnknown, at: SourceLocation(file: file, position: expr.start), problem))
                }
            }
        }
    }

    static func walk(_ node: YAMLNode, _ body: (YAMLNode) -> Void) {
        switch node.kind {
        case .mapping(let pairs):
            for pair in pairs {
                if pair.key.scalarValue == "expr", pair.value.scalarValue != nil {
                    body(pair.value)
                } else {
                    walk(pair.value, body)
                }
            }
        case .sequence(let items):
            for item in items { walk(item, body) }
        case .scalar:
            break
        }
    }

    /// One message per unknown ESO metric in `expr`, and one for a `status` label on `sync_calls_total`.
    static func problems(in expr: YAMLNode) -> [String] {
        guard let text = expr.scalarValue else { return [] }
        var out: [String] = []
        let chars = Array(text.utf8)
        var i = 0
        while i < chars.count {
            guard isNameByte(chars[i]), i == 0 || !isNameByte(chars[i - 1]) else { i += 1; continue }
            var j = i
            while j < chars.count, isNameByte(chars[j]) { j += 1 }
            let name = String(decoding: chars[i..<j], as: UTF8.self)
            i = j
            guard prefixes.contains(where: { name.hasPrefix($0 + "_") }) else { continue }
            if !known.contains(name) {
                out.append(
                    "metric `\(name)` is not exported by ESO" + Suggestion.hint(name, known.sorted()))
            } else if name == "externalsecret_sync_calls_total", j < chars.count, chars[j] == 123,
                let close = chars[j...].firstIndex(of: 125),
                String(decoding: chars[j..<close], as: UTF8.self).contains("status")
            {
                out.append(
                    "`externalsecret_sync_calls_total` has no `status` label; errors are counted by "
                        + "`externalsecret_sync_calls_error`")
            }
        }
        return out
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (97...122).contains(b) || (65...90).contains(b) || (48...57).contains(b) || b == 95 || b == 58
    }
}
