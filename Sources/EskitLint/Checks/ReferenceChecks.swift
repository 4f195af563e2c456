import EskitCore
import EskitESO
import EskitManifests
import EskitYAML
import Foundation

/// An ExternalSecret (or a ClusterExternalSecret's template) as the reference rules see it.
struct LintedExternalSecret {
    var doc: LintDocument
    var spec: ExternalSecretSpec
    /// The marks path of the spec (`spec` or `spec.externalSecretSpec`).
    var specPath: String
    /// Namespaces it lands in: its own (nil = unknown), or a ClusterExternalSecret's `namespaces`.
    var namespaces: [String?]

    var marks: Marks { doc.eso!.marks }
    var targetName: String? { spec.target?.name ?? doc.name }

    func location(_ path: String) -> SourceLocation { marks.location(specPath + (path.isEmpty ? "" : "." + path)) }

    /// The keys of the Secret ESO writes, when they can be known offline: nil with `dataFrom` or `templateFrom`.
    var writtenKeys: Set<String>? {
        if !spec.dataFrom.isEmpty { return nil }
        let dataKeys = Set(spec.data.map(\.secretKey))
        guard let template = spec.target?.template?.node else { return dataKeys }
        if template["templateFrom"] != nil { return nil }
        guard let templated = template["data"]?.pairs else { return dataKeys }
        let keys = Set(templated.compactMap(\.key.scalarValue))
        return template["mergePolicy"]?.scalarValue == "Merge" ? keys.union(dataKeys) : keys
    }
}

extension LintContext {
    var externalSecrets: [LintedExternalSecret] {
        documents.compactMap { doc -> LintedExternalSecret? in
            switch doc.eso?.object {
            case .externalSecret(let es)?:
                return LintedExternalSecret(doc: doc, spec: es.spec, specPath: "spec", namespaces: [doc.namespace])
            case .clusterExternalSecret(let ces)?:
                let namespaces: [String?] = ces.namespaces.isEmpty ? [nil] : ces.namespaces
                var doc = doc
                if let name = ces.externalSecretName { doc.name = name }
                return LintedExternalSecret(
                    doc: doc, spec: ces.externalSecretSpec, specPath: "spec.externalSecretSpec",
                    namespaces: namespaces)
            default:
                return nil
            }
        }
    }

    var stores: [(doc: LintDocument, store: SecretStore)] {
        documents.compactMap { doc in
            if case .secretStore(let store)? = doc.eso?.object { return (doc, store) }
            return nil
        }
    }
}

enum ReferenceChecks {
    static func stores(_ rule: LintRule, _ c: inout LintContext) {
        let stores = c.stores
        for es in c.externalSecrets {
            var refs: [(StoreRef, String)] = []
            if let ref = es.spec.secretStoreRef { refs.append((ref, "secretStoreRef")) }
            for (i, d) in es.spec.data.enumerated() {
                if let ref = d.sourceRef?.storeRef { refs.append((ref, "data[\(i)].sourceRef.storeRef")) }
            }
            for (i, d) in es.spec.dataFrom.enumerated() {
                if let ref = d.sourceRef?.storeRef { refs.append((ref, "dataFrom[\(i)].sourceRef.storeRef")) }
            }
            for (ref, path) in refs {
                if ref.name.contains("{{") || es.doc.isMasked(es.location(path + ".name").position) { continue }
                let cluster = ref.resolvedKind == "ClusterSecretStore"
                for namespace in es.namespaces {
                    let match = stores.first { s in
                        s.store.isCluster == cluster && s.doc.name == ref.name && c.together(s.doc.file, es.doc.file)
                            && (cluster || namespace == nil || s.doc.namespace == nil || s.doc.namespace == namespace)
                    }
                    if rule.id == LintRules.storeNotFound.id, match == nil {
                        let scope = cluster ? "" : namespace.map { " in namespace `\($0)`" } ?? ""
                        var message =
                            "\(es.doc.display): \(ref.resolvedKind) `\(ref.name)`\(scope) is not defined in the files "
                            + "linted"
                        let sameName = stores.filter { $0.store.isCluster == cluster && $0.doc.name == ref.name }
                        if let other = sameName.first, let otherNamespace = other.doc.namespace {
                            message +=
                                "; it is defined in namespace `\(otherNamespace)` (\(other.doc.file)), and a "
                                + "SecretStore "
                                + "serves its own namespace only (a ClusterSecretStore serves all)"
                        } else {
                            message += Suggestion.hint(
                                ref.name, stores.filter { $0.store.isCluster == cluster }.compactMap(\.doc.name))
                        }
                        c.report(LintProblem(rule, at: es.location(path + ".name"), message))
                        break
                    }
                    if rule.id == LintRules.storeNamespaceExcluded.id, cluster, let match, let namespace,
                        !admits(match.store.spec.conditions, namespace: namespace)
                    {
                        c.report(
                            LintProblem(
                                rule, at: es.location(path + ".name"),
                                "\(es.doc.display): ClusterSecretStore `\(ref.name)` does not admit namespace "
                                    + "`\(namespace)` (its spec.conditions, \(match.doc.file):"
                                    + "\(match.doc.eso?.marks.location("spec.conditions").position.line ?? 0))"))
                    }
                }
            }
        }
    }

    /// Whether store `conditions` admit `namespace`: no conditions admit all; otherwise any condition that lists
    /// it or matches one of its regexes (a `namespaceSelector` depends on labels: assumed to admit).
    static func admits(_ conditions: [StoreCondition], namespace: String) -> Bool {
        if conditions.isEmpty { return true }
        for condition in conditions {
            if condition.namespaceSelector != nil { return true }
            if condition.namespaces.contains(namespace) { return true }
            for pattern in condition.namespaceRegexes {
                if let regex = try? NSRegularExpression(pattern: pattern),
                    regex.firstMatch(in: namespace, range: NSRange(namespace.startIndex..., in: namespace)) != nil
                {
                    return true
                }
            }
        }
        return false
    }

    static func duplicateKeys(_ c: inout LintContext) {
        for es in c.externalSecrets {
            var seen: [String: Int] = [:]
            for (i, d) in es.spec.data.enumerated() {
                if let first = seen[d.secretKey] {
                    c.report(
                        LintProblem(
                            LintRules.duplicateSecretKey, at: es.location("data[\(i)].secretKey"),
                            "\(es.doc.display): secretKey `\(d.secretKey)` is already written by data[\(first)]"))
                } else {
                    seen[d.secretKey] = i
                }
            }
        }
    }

    static func templateKeys(_ c: inout LintContext) {
        for es in c.externalSecrets where es.spec.dataFrom.isEmpty {
            guard let template = es.spec.target?.template?.node, template["templateFrom"] == nil,
                let data = template["data"]?.pairs
            else { continue }
            let declared = Set(es.spec.data.map(\.secretKey))
            for pair in data {
                guard let text = pair.value.scalarValue else { continue }
                for action in HelmActions.find(Array(text.utf8)) {
                    let body = String(decoding: Array(text.utf8)[action], as: UTF8.self)
                    guard let field = HelmActions.firstField(body), !declared.contains(field) else { continue }
                    let key = pair.key.scalarValue ?? "?"
                    c.report(
                        LintProblem(
                            LintRules.templateKeyUndeclared,
                            at: es.location("target.template.data.\(key)"),
                            "\(es.doc.display): template key `\(key)` reads `.\(field)`, which no data entry declares"
                                + Suggestion.hint(field, declared.sorted())))
                }
            }
        }
    }

    static func targetConflicts(_ c: inout LintContext) {
        var owners: [String: [LintedExternalSecret]] = [:]
        for es in c.externalSecrets {
            let policy = es.spec.target?.resolvedCreationPolicy ?? "Owner"
            guard policy == "Owner" || policy == "Orphan", let target = es.targetName, !target.contains("{{") else {
                continue
            }
            for namespace in es.namespaces {
                let key = (namespace ?? "") + "/" + target
                if let first = owners[key]?.first(where: { c.together($0.doc.file, es.doc.file) }) {
                    c.report(
                        LintProblem(
                            LintRules.targetConflict, at: es.location(es.spec.target?.name != nil ? "target.name" : ""),
                            "\(es.doc.display) and \(first.doc.display) (\(first.doc.file)) both own Secret "
                                + "`\(target)`"))
                } else {
                    owners[key, default: []].append(es)
                }
            }
        }
    }

    /// Provider calls per sync: one per data entry and dataFrom entry (batching providers do fewer).
    static func refresh(_ rule: LintRule, _ c: inout LintContext) {
        for es in c.externalSecrets {
            guard let interval = es.spec.refreshInterval, !interval.contains("{{"),
                let seconds = GoDuration.seconds(interval)
            else { continue }
            let policy = es.spec.refreshPolicy ?? "Periodic"
            if rule.id == LintRules.refreshNever.id, seconds == 0, policy == "Periodic" {
                c.report(
                    LintProblem(
                        rule, at: es.location("refreshInterval"),
                        "\(es.doc.display): refreshInterval 0 syncs once and never again"))
            }
            if rule.id == LintRules.refreshCostly.id, seconds > 0, seconds < 300, policy == "Periodic" {
                let calls = max(1, es.spec.data.count + es.spec.dataFrom.count)
                let perMonth = Int((30 * 24 * 3600 / seconds).rounded()) * calls * es.namespaces.count
                let dollars = Double(perMonth) / 10_000 * 0.05
                c.report(
                    LintProblem(
                        rule, at: es.location("refreshInterval"),
                        "\(es.doc.display): refreshInterval \(interval) costs about \(grouped(perMonth)) provider "
                            + "calls a month (\(calls) per sync; on AWS Secrets Manager about $"
                            + String(format: "%.2f", dollars) + ")"))
            }
        }
    }

    static func grouped(_ n: Int) -> String {
        var digits = Array(String(n))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }
}
