import EskitCore
import EskitESO
import EskitYAML

/// Workloads that read Secrets, and what produces Secrets in the linted files.
enum ConsumerChecks {
    /// One read of a Secret by a workload: its name, the key when one is named, and where.
    struct Read {
        var doc: LintDocument
        var secret: String
        var key: String?
        var node: YAMLNode
        var how: String
    }

    static let workloadKinds: Set<String> = [
        "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController",
    ]

    static func run(_ rule: LintRule, _ c: inout LintContext) {
        let produced = producers(c)
        let writers = Dictionary(
            c.externalSecrets.flatMap { es in es.namespaces.map { ns in (key(ns, es.targetName ?? ""), es) } },
            uniquingKeysWith: { a, _ in a })
        var warned: Set<String> = []
        for read in reads(c) {
            if read.secret.contains("{{") || read.doc.isMasked(read.node.start) { continue }
            if rule.id == LintRules.consumerEnvRotation.id, read.how.hasPrefix("env"),
                writers[key(read.doc.namespace, read.secret)] ?? writers[key(nil, read.secret)] != nil,
                !hasReloader(read.doc),
                warned.insert("\(read.doc.file)#\(read.doc.root.start.offset)#\(read.secret)").inserted
            {
                c.report(
                    LintProblem(
                        rule, at: read.doc.location(read.node),
                        "\(read.doc.display) reads Secret `\(read.secret)` (written by an ExternalSecret) into "
                            + "environment variables: a rotated value reaches the Pod only when it restarts"))
            }
            let known =
                produced.contains(key(read.doc.namespace, read.secret)) || produced.contains(key(nil, read.secret))
                || (read.doc.namespace == nil && produced.contains { $0.hasSuffix("/" + read.secret) })
            if rule.id == LintRules.consumerSecretMissing.id, !known {
                c.report(
                    LintProblem(
                        rule, at: read.doc.location(read.node),
                        "\(read.doc.display) reads Secret `\(read.secret)` (\(read.how)), which nothing linted "
                            + "produces"
                            + Suggestion.hint(read.secret, produced.map { String($0.split(separator: "/").last ?? "") })
                    ))
            }
            guard rule.id == LintRules.consumerKeyMissing.id, let wanted = read.key else { continue }
            let writer = writers[key(read.doc.namespace, read.secret)] ?? writers[key(nil, read.secret)]
            guard let writer, let keys = writer.writtenKeys, !keys.contains(wanted) else { continue }
            c.report(
                LintProblem(
                    rule, at: read.doc.location(read.node),
                    "\(read.doc.display) reads key `\(wanted)` of Secret `\(read.secret)`, which \(writer.doc.display) "
                        + "(\(writer.doc.file)) does not write" + Suggestion.hint(wanted, keys.sorted())))
        }
    }

    static let reloaderAnnotations = [
        "reloader.stakater.com/auto", "secret.reloader.stakater.com/reload", "reloader.stakater.com/search",
        "wave.pusher.com/update-on-config-change",
    ]

    /// A reloader (Stakater Reloader, Wave) restarts the workload when its Secrets change.
    static func hasReloader(_ doc: LintDocument) -> Bool {
        let places = [doc.root["metadata"]?["annotations"], doc.root["spec"]?["template"]?["metadata"]?["annotations"]]
        return places.contains { annotations in
            reloaderAnnotations.contains { annotations?[$0] != nil }
        }
    }

    static func key(_ namespace: String?, _ name: String) -> String { (namespace ?? "") + "/" + name }

    /// `namespace/name` of every Secret something in the files produces (namespace empty when unknown).
    static func producers(_ c: LintContext) -> Set<String> {
        var out: Set<String> = []
        for es in c.externalSecrets {
            for ns in es.namespaces { out.insert(key(ns, es.targetName ?? "")) }
        }
        for doc in c.documents {
            switch doc.kind {
            case "Secret", "SealedSecret":
                if let name = doc.name { out.insert(key(doc.namespace, name)) }
                if doc.kind == "SealedSecret",
                    let name = doc.root["spec"]?["template"]?["metadata"]?["name"]?.scalarValue
                {
                    out.insert(key(doc.namespace, name))
                }
            case "Certificate":
                if let name = doc.root["spec"]?["secretName"]?.scalarValue { out.insert(key(doc.namespace, name)) }
            case "Kustomization" where doc.root["secretGenerator"] != nil:
                for g in doc.root["secretGenerator"]?.items ?? [] {
                    if let name = g["name"]?.scalarValue { out.insert(key(doc.namespace, name)) }
                }
            default:
                break
            }
        }
        // kustomization.yaml files often have no apiVersion / kind: read their secretGenerators directly.
        for file in c.files where KustomizeNamespaces.isKustomization(file.path) {
            guard let root = try? YAML.parse(file.bytes, file: file.path).first?.root else { continue }
            let namespace = root["namespace"]?.scalarValue
            for g in root["secretGenerator"]?.items ?? [] {
                if let name = g["name"]?.scalarValue { out.insert(key(namespace, name)) }
            }
        }
        return out
    }

    static func reads(_ c: LintContext) -> [Read] {
        var out: [Read] = []
        for doc in c.documents where workloadKinds.contains(doc.kind) {
            guard let pod = podSpec(doc) else { continue }
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                for container in pod[list]?.items ?? [] {
                    for env in container["env"]?.items ?? [] {
                        guard let ref = env["valueFrom"]?["secretKeyRef"], ref["optional"]?.scalarValue != "true",
                            let name = ref["name"]
                        else { continue }
                        out.append(
                            Read(
                                doc: doc, secret: name.scalarValue ?? "", key: ref["key"]?.scalarValue,
                                node: ref["key"] ?? name, how: "env secretKeyRef"))
                    }
                    for from in container["envFrom"]?.items ?? [] {
                        guard let ref = from["secretRef"], ref["optional"]?.scalarValue != "true",
                            let name = ref["name"]
                        else { continue }
                        out.append(Read(doc: doc, secret: name.scalarValue ?? "", key: nil, node: name, how: "envFrom"))
                    }
                }
            }
            for volume in pod["volumes"]?.items ?? [] {
                if let secret = volume["secret"], secret["optional"]?.scalarValue != "true",
                    let name = secret["secretName"]
                {
                    out.append(Read(doc: doc, secret: name.scalarValue ?? "", key: nil, node: name, how: "volume"))
                    for item in secret["items"]?.items ?? [] {
                        guard let k = item["key"] else { continue }
                        out.append(
                            Read(
                                doc: doc, secret: name.scalarValue ?? "", key: k.scalarValue, node: k,
                                how: "volume item"))
                    }
                }
                for source in volume["projected"]?["sources"]?.items ?? [] {
                    guard let secret = source["secret"], secret["optional"]?.scalarValue != "true",
                        let name = secret["name"]
                    else { continue }
                    out.append(
                        Read(doc: doc, secret: name.scalarValue ?? "", key: nil, node: name, how: "projected volume"))
                }
            }
            for pull in pod["imagePullSecrets"]?.items ?? [] {
                guard let name = pull["name"] else { continue }
                out.append(
                    Read(doc: doc, secret: name.scalarValue ?? "", key: nil, node: name, how: "imagePullSecrets"))
            }
        }
        out += chartValueReads(c)
        return out.filter { !$0.secret.isEmpty }
    }

    /// Helm values that name a Secret the chart reads instead of creating one (`existingSecret: harbor-admin`,
    /// `auth.existingSecret`, `existingSecretName`, `harborAdminExistingSecret`), in values files
    /// (`values*.yaml` beside a Chart.yaml, or any `values*.yaml` an Argo CD / Flux release points at).
    static func chartValueReads(_ c: LintContext) -> [Read] {
        var out: [Read] = []
        for (file, root) in c.plainRoots {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            guard name.hasPrefix("values"), name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            let doc = LintDocument(
                file: file, root: root, apiVersion: "", kind: "Helm values", name: name, namespace: nil,
                inChart: false, masked: [], eso: nil)
            func walk(_ node: YAMLNode, _ path: String) {
                switch node.kind {
                case .mapping(let pairs):
                    for pair in pairs {
                        guard let key = pair.key.scalarValue else { continue }
                        let here = path.isEmpty ? key : path + "." + key
                        let lower = key.lowercased()
                        let namesSecret =
                            lower.hasSuffix("existingsecret") || lower.hasSuffix("existingsecretname")
                            || (lower.hasPrefix("existingsecret") && !lower.hasSuffix("key"))
                        if namesSecret,
                            let value = pair.value.scalarValue, !value.isEmpty, !value.contains("{{")
                        {
                            out.append(
                                Read(doc: doc, secret: value, key: nil, node: pair.value, how: "chart value `\(here)`"))
                        } else {
                            walk(pair.value, here)
                        }
                    }
                case .sequence(let items):
                    for (i, item) in items.enumerated() { walk(item, "\(path)[\(i)]") }
                case .scalar:
                    break
                }
            }
            walk(root, "")
        }
        return out
    }

    static func podSpec(_ doc: LintDocument) -> YAMLNode? {
        switch doc.kind {
        case "Pod": return doc.root["spec"]
        case "CronJob": return doc.root["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: return doc.root["spec"]?["template"]?["spec"]
        }
    }
}
