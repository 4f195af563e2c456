public import EskitCore
import EskitYAML

/// Checks across an environment's plan that the schema cannot express: policy pairs, template keys, target
/// collisions, ClusterSecretStore conditions, refresh intervals and provider-specific mistakes.
public enum SemanticChecks {
    /// Errors and warnings for one environment (warnings carry no environment name, so callers can dedupe).
    public static func check(_ plan: EnvironmentPlan, file: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let env = plan.environment.name
        var targets: [String: [ResolvedSecret]] = [:]
        for secret in plan.secrets {
            let who = "secret `\(secret.name)`"
            if secret.data.isEmpty && secret.dataFrom.isEmpty {
                out.append(.error(file, secret.position, "\(who): needs at least one of `data` or `dataFrom`"))
            }
            let c = secret.creationPolicy, d = secret.deletionPolicy
            if d.value == "Delete", ["Merge", "None", "CreateOrMerge"].contains(c.value) {
                out.append(.error(file, d.position, "\(who): deletionPolicy Delete cannot be combined with creationPolicy \(c.value) (ESO rejects it)"))
            } else if d.value == "Merge", c.value == "None" {
                out.append(.error(file, d.position, "\(who): deletionPolicy Merge cannot be combined with creationPolicy None (ESO rejects it)"))
            }
            for (i, entry) in secret.dataFrom.enumerated() {
                let kinds = ["extract", "find"].filter { entry[$0] != nil } + (entry["sourceRef"]?["generatorRef"] != nil ? ["sourceRef.generatorRef"] : [])
                if kinds.count != 1 {
                    out.append(.error(file, entry.start, "\(who): dataFrom[\(i)] needs exactly one of `extract`, `find` or `sourceRef.generatorRef` (found \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))"))
                }
            }
            out += checkTemplate(secret, who: who, file: file)
            out += checkRefresh(secret, who: who, file: file)
            out += checkStoreUse(secret.store, at: secret.storePosition, secret, plan: plan, who: who, file: file)
            for (store, position) in secret.entryStores {
                out += checkStoreUse(store, at: position, secret, plan: plan, who: who, file: file)
            }
            targets["\(secret.namespace)/\(secret.targetName)", default: []].append(secret)
        }
        for (key, writers) in targets.sorted(by: { $0.key < $1.key }) where writers.count > 1 {
            let creators = writers.filter { !["Merge", "None"].contains($0.creationPolicy.value) }
            if creators.count > 1 {
                let second = creators[1]
                out.append(.error(file, second.position, "secret `\(second.name)`: target Secret `\(key)` is also written by secret `\(creators[0].name)` in environment `\(env)` (only creationPolicy Merge may share a target)"))
            }
        }
        return out
    }

    static func checkRefresh(_ secret: ResolvedSecret, who: String, file: String) -> [Diagnostic] {
        let interval = secret.refreshInterval
        guard let seconds = GoDuration.seconds(interval.value) else { return [] }
        if secret.refreshPolicy.map({ $0.value != "Periodic" }) ?? false { return [] }
        let entries = max(1, secret.data.count + secret.dataFrom.count)
        if seconds == 0 {
            return [.warning(file, interval.position, "\(who): refreshInterval 0 syncs once and never again, not even on force-sync (\(entries) provider API call\(entries == 1 ? "" : "s") in total); say `refreshPolicy: CreatedOnce` if that is meant")]
        }
        if seconds < 60 {
            let perMonth = Double(entries) * (30 * 86_400 / seconds)
            return [.warning(file, interval.position, "\(who): refreshInterval \(interval.value) is under one minute: \(entries) entr\(entries == 1 ? "y" : "ies") x \(format(30 * 86_400 / seconds)) refreshes = \(format(perMonth)) provider API calls per month")]
        }
        return []
    }

    static func format(_ value: Double) -> String {
        let n = Int64(value.rounded())
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    static func checkStoreUse(_ store: ResolvedStore, at position: TextPosition, _ secret: ResolvedSecret,
                              plan: EnvironmentPlan, who: String, file: String) -> [Diagnostic] {
        guard store.kind == .clusterSecretStore, let conditions = store.node["conditions"]?.items, !conditions.isEmpty else {
            return []
        }
        let labels = plan.namespaceLabels[secret.namespace] ?? nil
        var missingLabels = false
        for condition in conditions {
            if (condition["namespaces"]?.items ?? []).contains(where: { $0.scalarValue == secret.namespace }) { return [] }
            for regex in condition["namespaceRegexes"]?.items ?? [] {
                guard let source = regex.scalarValue else { continue }
                guard let pattern = try? Pattern(source) else {
                    return [.warning(file, regex.start, "store `\(store.name)`: cannot check namespaceRegexes entry `\(source)` (outside the supported regular-expression subset)")]
                }
                if pattern.matches(secret.namespace) { return [] }
            }
            if let selector = condition["namespaceSelector"] {
                var known = labels ?? [:]
                known["kubernetes.io/metadata.name"] = secret.namespace
                switch selectorMatches(selector, known) {
                case true: return []
                case false: if labels == nil { missingLabels = true }
                }
            }
        }
        var message = "\(who): ClusterSecretStore `\(store.name)` does not admit namespace `\(secret.namespace)` in environment `\(plan.environment.name)` (denied by its conditions)"
        if missingLabels {
            message += "; declare the namespace's labels under `environments[].namespaces.<namespace>.labels` so eskit can match namespaceSelector"
        }
        return [.error(file, position, message)]
    }

    static func selectorMatches(_ selector: YAMLNode, _ labels: [String: String]) -> Bool {
        for (k, v) in selector["matchLabels"]?.stringPairs ?? [] where labels[k] != v { return false }
        for e in selector["matchExpressions"]?.items ?? [] {
            let key = e["key"]?.scalarValue ?? ""
            let values = (e["values"]?.items ?? []).compactMap(\.scalarValue)
            switch e["operator"]?.scalarValue {
            case "In": if !(labels[key].map(values.contains) ?? false) { return false }
            case "NotIn": if labels[key].map(values.contains) ?? false { return false }
            case "Exists": if labels[key] == nil { return false }
            case "DoesNotExist": if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }

    static func checkTemplate(_ secret: ResolvedSecret, who: String, file: String) -> [Diagnostic] {
        guard let template = secret.target?["template"], secret.dataFrom.isEmpty,
              template["templateFrom"] == nil else { return [] }
        let declared = secret.data.compactMap { $0["secretKey"]?.scalarValue }
        var out: [Diagnostic] = []
        var fields: [(String, YAMLNode)] = (template["data"]?.pairs ?? []).map { ("data.\($0.key.scalarValue ?? "")", $0.value) }
        for section in ["labels", "annotations"] {
            fields += (template["metadata"]?[section]?.pairs ?? []).map { ("metadata.\(section).\($0.key.scalarValue ?? "")", $0.value) }
        }
        for (field, value) in fields {
            guard let text = value.scalarValue else { continue }
            for key in TemplateReferences.keys(in: text) where !declared.contains(key) {
                out.append(.error(file, value.start, "\(who): template \(field) references `.\(key)`, which no data[].secretKey declares" + Suggestion.hint(key, declared)))
            }
        }
        return out
    }
}

/// The top-level keys a Go template reads from its data (`{{ .password }}`, `{{ index . "tls.crt" }}`).
public enum TemplateReferences {
    public static func keys(in text: String) -> [String] {
        let b = Array(text.utf8)
        var keys: [String] = []
        var i = 0
        func isIdent(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        while i + 1 < b.count {
            guard b[i] == UInt8(ascii: "{"), b[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
            var j = i + 2
            var end = j
            while end + 1 < b.count, !(b[end] == UInt8(ascii: "}") && b[end + 1] == UInt8(ascii: "}")) { end += 1 }
            if end + 1 >= b.count { end = b.count }
            if j < end, b[j] == UInt8(ascii: "-") { j += 1 }
            while j < end, b[j] == 32 { j += 1 }
            if j + 1 < end, b[j] == UInt8(ascii: "/"), b[j + 1] == UInt8(ascii: "*") { i = end + 2; continue }
            var k = j
            while k < end {
                let c = b[k]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
                    k += 1
                    while k < end, b[k] != c { if b[k] == 92 { k += 1 }; k += 1 }
                    k += 1
                    continue
                }
                if c == UInt8(ascii: "."), k + 1 < end, isIdent(b[k + 1]), !(b[k + 1] >= 48 && b[k + 1] <= 57) {
                    let before: UInt8 = k > 0 ? b[k - 1] : 32
                    var e = k + 1
                    while e < end, isIdent(b[e]) { e += 1 }
                    if !isIdent(before), before != UInt8(ascii: ")"), before != UInt8(ascii: "]"), before != UInt8(ascii: "$") {
                        keys.append(String(decoding: b[(k + 1)..<e], as: UTF8.self))
                    }
                    k = e
                    continue
                }
                if c == UInt8(ascii: "i"), k + 5 <= end, Array(b[k..<(k + 5)]) == Array("index".utf8),
                   k == 0 || !isIdent(b[k - 1]) {
                    var m = k + 5
                    while m < end, b[m] == 32 { m += 1 }
                    if m < end, b[m] == UInt8(ascii: "."), m + 1 < end, b[m + 1] == 32 {
                        m += 1
                        while m < end, b[m] == 32 { m += 1 }
                        if m < end, b[m] == UInt8(ascii: "\"") {
                            var e = m + 1
                            while e < end, b[e] != UInt8(ascii: "\"") { e += 1 }
                            keys.append(String(decoding: b[(m + 1)..<e], as: UTF8.self))
                            k = e + 1
                            continue
                        }
                    }
                }
                k += 1
            }
            i = end + 2
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
