public import EskitCore
public import EskitScan
import EskitYAML
import Foundation

/// One file of the work tree, as the planner and applier read it.
public struct MigrationFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// A plaintext value as found in a file: its bytes (never printed), where it is, and how it is written there.
struct FoundValue {
    var key: String
    var bytes: [UInt8]
    var line: Int
    /// The file holding it when that is not the item's own.
    var file: String? = nil
    var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }
    var hash: String { SHA256.hex(bytes) }
    var preview: String { RedactedSecret(bytes).preview }
}

/// Finds what to migrate: `kind: Secret` documents holding plaintext the scanner recognises, env literals of Pod
/// templates the scanner flags, and every other finding as `manual`.
public enum MigrationPlanner {
    public struct Target: Sendable {
        public var storeName: String
        public var storeKind: String
        public var environment: String
        public var keyPrefix: String?

        public init(storeName: String, storeKind: String, environment: String, keyPrefix: String?) {
            self.storeName = storeName
            self.storeKind = storeKind
            self.environment = environment
            self.keyPrefix = keyPrefix
        }
    }

    static let workloadKinds: Set<String> = [
        "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
    ]

    /// `scanner` and `ignore`: the repository's configuration (`.eskit.yaml`: custom rules, allowlists) and
    /// `.eskitignore`, so the plan covers exactly what `eskit scan` reports; the built-in rules when nil.
    public static func plan(
        _ files: [MigrationFile], target: Target, scanner given: EskitScan.Scanner? = nil, ignore: IgnoreFile? = nil
    ) throws(EskitError) -> MigrationPlan {
        let scanner: EskitScan.Scanner
        if let given {
            scanner = given
        } else {
            do { scanner = try EskitScan.Scanner() } catch { throw EskitError(.input, "\(error)") }
        }
        var items: [MigrationPlan.Item] = []
        var findingsByPath: [String: [Finding]] = [:]
        for file in files {
            var findings = scanner.scan(ScanInput(path: file.path, bytes: file.bytes)).findings
            if let ignore { findings = ignore.filter(findings) }
            if !findings.isEmpty { findingsByPath[file.path] = findings }
        }
        // secretGenerators first: their env files' values are claimed before those files come up.
        let bytes = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        var generators: [String: [MigrationPlan.Item]] = [:]
        var claimedLines: Set<[String]> = []  // [path, line] of values a generator item moves
        for file in files where isKustomization(file.path) {
            guard let root = try? YAML.parse(file.bytes, file: file.path).first?.root else { continue }
            let found =
                generatorItems(root, file: file, files: bytes, findings: findingsByPath)
                + configMapItems(root, file: file, files: bytes, findings: findingsByPath)
            generators[file.path] = found
            for item in found {
                for v in item.values { claimedLines.insert([v.file ?? item.file, String(v.line)]) }
            }
        }
        for file in files {
            if let found = generators[file.path] { items += found }
            let findings = (findingsByPath[file.path] ?? []).filter {
                !claimedLines.contains([file.path, String($0.span.start.line)])
            }
            guard !findings.isEmpty else { continue }
            var claimed: Set<Int> = []  // finding offsets a rewrite covers
            /// Plans `item` and claims the findings on the lines of its values.
            func take(_ item: MigrationPlan.Item, _ inside: [Finding]) {
                items.append(item)
                let lines = Set(item.values.map(\.line))
                for f in inside where lines.contains(f.span.start.line) { claimed.insert(f.span.start.offset) }
            }
            if isYAML(file.path), let documents = try? YAML.parse(file.bytes, file: file.path) {
                for document in documents {
                    guard let root = document.root else { continue }
                    let span = root.span.byteRange
                    if root["kind"] == nil, root["githubConfigUrl"] != nil, root["githubConfigSecret"]?.pairs != nil {
                        let inside = findings.filter { span.contains($0.span.start.offset) }
                        if let item = arcItem(root, file: file, files: files, findings: inside) {
                            take(item, inside)
                            // A private key's finding starts on the `|` line's next line: claim the whole block.
                            if let value = root["githubConfigSecret"] {
                                for f in inside where value.span.byteRange.contains(f.span.start.offset) {
                                    claimed.insert(f.span.start.offset)
                                }
                            }
                        }
                        continue
                    }
                    if root["kind"] == nil, !isKustomization(file.path), HarborValues.isHarbor(root, path: file.path) {
                        let inside = findings.filter { span.contains($0.span.start.offset) }
                        if let item = harborItem(root, file: file, files: files, findings: inside) {
                            take(item, inside)
                        }
                        continue
                    }
                    guard let kind = root["kind"]?.scalarValue ?? (isKustomization(file.path) ? "Kustomization" : nil)
                    else { continue }
                    let inside = findings.filter { span.contains($0.span.start.offset) }
                    guard !inside.isEmpty else { continue }
                    if kind == "Kustomization" || isKustomization(file.path) { continue }
                    if kind == "Secret", root["apiVersion"]?.scalarValue == "v1",
                        let item = secretItem(root, file: file, target: target)
                    {
                        items.append(item)
                        for f in inside { claimed.insert(f.span.start.offset) }
                    } else if workloadKinds.contains(kind),
                        let item = envItem(root, file: file, findings: inside, target: target)
                    {
                        take(item, inside)
                    }
                }
            }
            // `kubectl create secret generic … --from-literal=…`: one item per command, all its literals.
            var commands: Set<Int> = []
            for f in findings where !claimed.contains(f.span.start.offset) {
                guard let command = KubectlSecretCommand.find(in: file.bytes, line: f.span.start.line) else {
                    continue
                }
                let lines = Set(command.values.map(\.line))
                if command.dynamic == nil, commands.insert(command.range.lowerBound).inserted {
                    items.append(kubectlItem(command, file: file))
                }
                if command.dynamic == nil {
                    for g in findings where lines.contains(g.span.start.line) { claimed.insert(g.span.start.offset) }
                }
            }
            for f in findings where !claimed.contains(f.span.start.offset) {
                items.append(
                    MigrationPlan.Item(
                        action: .manual, file: file.path, line: f.span.start.line, kind: f.ruleID,
                        name: f.description, namespace: nil, externalSecret: nil, secretType: nil, remoteKey: nil,
                        values: [
                            MigrationPlan.Value(
                                key: f.ruleID, property: "", secretHash: f.secret.sha256, preview: f.secret.preview,
                                line: f.span.start.line, base64: false)
                        ],
                        note: KubectlSecretCommand.find(in: file.bytes, line: f.span.start.line)?.dynamic.map {
                            "`kubectl create secret` with \($0): move its values to the store by hand"
                        } ?? note(for: f, path: file.path, line: lineText(file.bytes, f.span.start.line))))
            }
        }
        return MigrationPlan(
            store: .init(name: target.storeName, kind: target.storeKind), environment: target.environment,
            keyPrefix: target.keyPrefix, items: shareRemoteKeys(items))
    }

    static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    static func isKustomization(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "kustomization.yaml" || name == "kustomization.yml"
    }

    /// The `key=value` literals of a secretGenerator entry, as written.
    static func literals(_ generator: YAMLNode) -> [FoundValue] {
        (generator["literals"]?.items ?? []).compactMap { node in
            guard let raw = node.scalarValue, let eq = raw.firstIndex(of: "=") else { return nil }
            return FoundValue(
                key: String(raw[..<eq]), bytes: Array(raw[raw.index(after: eq)...].utf8), line: node.start.line)
        }
    }

    /// The folder of `path` with a trailing slash (empty at the root).
    static func folder(of path: String) -> String {
        path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) + "/" : ""
    }

    /// The namespace a `kustomization.yaml` beside `path` sets, if any.
    static func kustomizeNamespace(beside path: String, in files: [MigrationFile]) -> String? {
        let folder = folder(of: path)
        for name in ["kustomization.yaml", "kustomization.yml"] {
            guard let file = files.first(where: { $0.path == folder + name }),
                let root = try? YAML.parse(file.bytes, file: file.path).first?.root
            else { continue }
            return root["namespace"]?.scalarValue
        }
        return nil
    }

    /// The keys of an inline `githubConfigSecret` (all of them move once one is a secret: the chart then reads
    /// the Secret only).
    static func arcValues(_ root: YAMLNode) -> [FoundValue] {
        (root["githubConfigSecret"]?.pairs ?? []).compactMap { pair in
            guard let key = pair.key.scalarValue, let text = pair.value.scalarValue, !text.isEmpty else { return nil }
            return FoundValue(key: key, bytes: Array(text.utf8), line: pair.value.start.line)
        }
    }

    /// `<folder>-github-config`: the Secret an ARC scale set's values name (one per values file's folder).
    static func arcSecretName(_ path: String) -> String {
        let parts = path.split(separator: "/").dropLast()
        let base = parts.last.map(String.init) ?? "arc-runners"
        let clean = base.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(clean) + "-github-config"
    }

    static func arcItem(
        _ root: YAMLNode, file: MigrationFile, files: [MigrationFile], findings: [Finding]
    ) -> MigrationPlan.Item? {
        guard let block = root["githubConfigSecret"], !findings.isEmpty,
            findings.contains(where: { block.span.byteRange.contains($0.span.start.offset) })
        else { return nil }
        let values = arcValues(root)
        guard !values.isEmpty else { return nil }
        let namespace = kustomizeNamespace(beside: file.path, in: files)
        let name = arcSecretName(file.path)
        return MigrationPlan.Item(
            action: .arcGitHubConfig, file: file.path, line: block.start.line, kind: "ARC scale set values",
            name: name, namespace: namespace, externalSecret: name, secretType: nil,
            remoteKey: (namespace.map { $0 + "/" } ?? "") + name,
            values: values.map {
                MigrationPlan.Value(
                    key: $0.key, property: $0.key, secretHash: $0.hash, preview: $0.preview, line: $0.line,
                    base64: false)
            }, note: nil)
    }

    static func harborItem(
        _ root: YAMLNode, file: MigrationFile, files: [MigrationFile], findings: [Finding]
    ) -> MigrationPlan.Item? {
        let found = HarborValues.found(root, lines: Set(findings.map(\.span.start.line)))
        guard !found.isEmpty else { return nil }
        let namespace = kustomizeNamespace(beside: file.path, in: files)
        let template = HarborValues.templateData(root, keys: Set(found.map(\.1.key)))
        return MigrationPlan.Item(
            action: .harborValues, file: file.path, line: found[0].1.line, kind: "Harbor values", name: "harbor",
            namespace: namespace, externalSecret: "harbor-secrets", secretType: nil,
            remoteKey: (namespace.map { $0 + "/" } ?? "") + "harbor",
            values: found.map { _, v in
                MigrationPlan.Value(
                    key: v.key, property: v.key, secretHash: v.hash, preview: v.preview, line: v.line, base64: false)
            }, note: nil, template: Dictionary(template.map { ($0.key, $0.template) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The env files (`envs`, and the older single `env`) a secretGenerator entry reads, relative to the
    /// repository (`folder` is the kustomization's).
    static func envFiles(_ generator: YAMLNode, folder: String) -> [String] {
        let listed =
            (generator["envs"]?.items ?? []).compactMap(\.scalarValue)
            + [generator["env"]?.scalarValue]
            .compactMap { $0 }
        return listed.map { folder + ($0.hasPrefix("./") ? String($0.dropFirst(2)) : $0) }
    }

    /// The `KEY=VALUE` lines of an env file as kustomize reads them (`#` comments and blank lines skipped, the
    /// value as written up to the line end).
    static func envFileValues(_ bytes: [UInt8], file: String) -> [FoundValue] {
        var out: [FoundValue] = []
        var lineNumber = 0
        for raw in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(raw)
            if line.last == 13 { line.removeLast() }
            let start = line.firstIndex { $0 != 32 && $0 != 9 } ?? line.count
            guard start < line.count, line[start] != 35, let eq = line[start...].firstIndex(of: 61) else { continue }
            let key = String(decoding: line[start..<eq], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            out.append(FoundValue(key: key, bytes: Array(line[(eq + 1)...]), line: lineNumber, file: file))
        }
        return out
    }

    /// A generator's values: its literals, then each env file's lines (files not among `files` are skipped).
    static func generatorValues(_ generator: YAMLNode, folder: String, files: [String: [UInt8]]) -> [FoundValue] {
        var values = literals(generator)
        for path in envFiles(generator, folder: folder) {
            guard let bytes = files[path] else { continue }
            values += envFileValues(bytes, file: path)
        }
        return values
    }

    /// A kustomization's generator entries of `list` (`secretGenerator`, `configMapGenerator`) with a finding in
    /// their literals or env files: the entry, its name and namespace, every value, and the flagged ones.
    static func flaggedGenerators(
        _ root: YAMLNode, list: String, file: MigrationFile, files: [String: [UInt8]], findings: [String: [Finding]]
    ) -> [(generator: YAMLNode, name: String, namespace: String?, values: [FoundValue], flagged: [FoundValue])] {
        let folder = folder(of: file.path)
        return (root[list]?.items ?? []).compactMap { generator in
            guard let name = generator["name"]?.scalarValue else { return nil }
            let values = generatorValues(generator, folder: folder, files: files)
            let flagged = values.filter { v in
                (findings[v.file ?? file.path] ?? []).contains { $0.span.start.line == v.line }
            }
            guard !flagged.isEmpty else { return nil }
            return (
                generator, name, generator["namespace"]?.scalarValue ?? root["namespace"]?.scalarValue, values, flagged
            )
        }
    }

    static func planValues(_ values: [FoundValue]) -> [MigrationPlan.Value] {
        values.map {
            MigrationPlan.Value(
                key: $0.key, property: $0.key, secretHash: $0.hash, preview: $0.preview, line: $0.line, base64: false,
                file: $0.file)
        }
    }

    /// Each `secretGenerator` entry with a finding in its literals or env files, with every value of it (the
    /// Secret needs all).
    static func generatorItems(
        _ root: YAMLNode, file: MigrationFile, files: [String: [UInt8]], findings: [String: [Finding]]
    ) -> [MigrationPlan.Item] {
        flaggedGenerators(root, list: "secretGenerator", file: file, files: files, findings: findings).map { g in
            MigrationPlan.Item(
                action: .kustomizeGenerator, file: file.path, line: g.generator.start.line, kind: "secretGenerator",
                name: g.name, namespace: g.namespace, externalSecret: g.name,
                secretType: g.generator["type"]?.scalarValue, remoteKey: (g.namespace.map { $0 + "/" } ?? "") + g.name,
                values: planValues(g.values), note: nil)
        }
    }

    /// The files listed in a kustomization's `resources` (in its folder) whose workloads read ConfigMap `name`
    /// through `envFrom`.
    static func envFromConsumers(_ root: YAMLNode, folder: String, name: String, files: [String: [UInt8]]) -> [String] {
        var out: [String] = []
        for resource in (root["resources"]?.items ?? []).compactMap(\.scalarValue) {
            let path = folder + (resource.hasPrefix("./") ? String(resource.dropFirst(2)) : resource)
            guard let bytes = files[path], isYAML(path), let documents = try? YAML.parse(bytes, file: path) else {
                continue
            }
            let reads = documents.contains { document in
                guard let root = document.root, let kind = root["kind"]?.scalarValue else { return false }
                return !envFromItems(root, kind: kind, configMap: name).isEmpty
            }
            if reads { out.append(path) }
        }
        return out
    }

    /// The `envFrom` items (`- configMapRef: {name: …}`) of a workload's containers that read ConfigMap `name`.
    static func envFromItems(_ root: YAMLNode, kind: String, configMap name: String) -> [YAMLNode] {
        guard workloadKinds.contains(kind), let pod = podSpec(root, kind: kind) else { return [] }
        var out: [YAMLNode] = []
        for list in ["initContainers", "containers"] {
            for container in pod[list]?.items ?? [] {
                for item in container["envFrom"]?.items ?? []
                where item["configMapRef"]?["name"]?.scalarValue == name {
                    out.append(item)
                }
            }
        }
        return out
    }

    /// Each `configMapGenerator` entry with a finding in its env files or literals: the flagged values move to a
    /// Secret (`<name>-secret`) an ExternalSecret writes; the other lines stay configuration.
    static func configMapItems(
        _ root: YAMLNode, file: MigrationFile, files: [String: [UInt8]], findings: [String: [Finding]]
    ) -> [MigrationPlan.Item] {
        flaggedGenerators(root, list: "configMapGenerator", file: file, files: files, findings: findings).map { g in
            let secret = g.name + "-secret"
            return MigrationPlan.Item(
                action: .configMapEnvSecret, file: file.path, line: g.generator.start.line,
                kind: "configMapGenerator", name: g.name, namespace: g.namespace, externalSecret: secret,
                secretType: nil, remoteKey: (g.namespace.map { $0 + "/" } ?? "") + secret,
                values: planValues(g.flagged), note: nil,
                consumers: envFromConsumers(root, folder: folder(of: file.path), name: g.name, files: files))
        }
    }

    /// The text of 1-based line `line`.
    static func lineText(_ bytes: [UInt8], _ line: Int) -> String {
        let starts = KubectlSecretCommand.lineStarts(bytes)
        guard line >= 1, line <= starts.count else { return "" }
        let end = line < starts.count ? starts[line] : bytes.count
        return String(decoding: bytes[starts[line - 1]..<end], as: UTF8.self)
    }

    static func kubectlItem(_ command: KubectlSecretCommand, file: MigrationFile) -> MigrationPlan.Item {
        let namespace = command.namespace ?? "default"
        return MigrationPlan.Item(
            action: .kubectlSecret, file: file.path, line: command.line, kind: "kubectl create secret",
            name: command.name, namespace: namespace, externalSecret: command.name, secretType: nil,
            remoteKey: namespace + "/" + command.name, values: planValues(command.values), note: nil)
    }

    static func note(for f: Finding, path: String, line: String = "") -> String {
        if line.contains("gh secret set") || line.contains("/actions/secrets/") {
            return "a GitHub Actions secret written by a script: move the value to the store; ESO's `github` provider "
                + "pushes it to GitHub from there (a PushSecret), so the script writes nothing secret"
        }
        if path.hasSuffix(".sh") || path.hasSuffix(".md") {
            return "move the value to the store by hand and read it from there (this file is not a manifest)"
        }
        return "not a shape eskit rewrites yet: move the value to the store and reference it by hand"
    }

    /// The values of a Secret: `data` decoded, `stringData` as written (it wins over `data` for the same key).
    static func secretValues(_ root: YAMLNode) -> [FoundValue] {
        var values: [String: FoundValue] = [:]
        var order: [String] = []
        for pair in root["data"]?.pairs ?? [] {
            guard let key = pair.key.scalarValue, let text = pair.value.scalarValue else { continue }
            let compact = text.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else { continue }
            if values[key] == nil { order.append(key) }
            values[key] = FoundValue(key: key, bytes: Array(data), line: pair.value.start.line)
        }
        for pair in root["stringData"]?.pairs ?? [] {
            guard let key = pair.key.scalarValue, let text = pair.value.scalarValue else { continue }
            if values[key] == nil { order.append(key) }
            values[key] = FoundValue(key: key, bytes: Array(text.utf8), line: pair.value.start.line)
        }
        return order.compactMap { values[$0] }
    }

    static func secretItem(_ root: YAMLNode, file: MigrationFile, target: Target) -> MigrationPlan.Item? {
        guard let name = root["metadata"]?["name"]?.scalarValue else { return nil }
        let namespace = root["metadata"]?["namespace"]?.scalarValue
        let values = secretValues(root)
        guard !values.isEmpty else { return nil }
        let type = root["type"]?.scalarValue
        return MigrationPlan.Item(
            action: .externalSecret, file: file.path, line: root.start.line, kind: "Secret", name: name,
            namespace: namespace, externalSecret: name, secretType: type == "Opaque" ? nil : type,
            remoteKey: (namespace.map { $0 + "/" } ?? "") + name,
            values: values.map {
                MigrationPlan.Value(
                    key: $0.key, property: $0.key, secretHash: $0.hash, preview: $0.preview, line: $0.line,
                    base64: !$0.isUTF8)
            }, note: nil)
    }

    static func podSpec(_ root: YAMLNode, kind: String) -> YAMLNode? {
        switch kind {
        case "Pod": return root["spec"]
        case "CronJob": return root["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: return root["spec"]?["template"]?["spec"]
        }
    }

    /// Env literals (`- name: X` + `value: …`) of the workload's containers that a finding points at.
    static func envLiterals(_ root: YAMLNode, kind: String, lines: Set<Int>?) -> [(name: String, pair: YAMLPair)] {
        var out: [(String, YAMLPair)] = []
        guard let pod = podSpec(root, kind: kind) else { return [] }
        for list in ["initContainers", "containers"] {
            for container in pod[list]?.items ?? [] {
                for env in container["env"]?.items ?? [] {
                    guard let name = env["name"]?.scalarValue, let pair = env.pair(forKey: "value"),
                        pair.value.scalarValue != nil, lines.map({ $0.contains(pair.value.start.line) }) ?? true
                    else { continue }
                    out.append((name, pair))
                }
            }
        }
        return out
    }

    static func envItem(
        _ root: YAMLNode, file: MigrationFile, findings: [Finding], target: Target
    ) -> MigrationPlan.Item? {
        guard let kind = root["kind"]?.scalarValue, let name = root["metadata"]?["name"]?.scalarValue else {
            return nil
        }
        let namespace = root["metadata"]?["namespace"]?.scalarValue
        let lines = Set(findings.map(\.span.start.line))
        let literals = envLiterals(root, kind: kind, lines: lines)
        guard !literals.isEmpty else { return nil }
        var seen: Set<String> = []
        var values: [MigrationPlan.Value] = []
        for (env, pair) in literals where seen.insert(env).inserted {
            let bytes = Array((pair.value.scalarValue ?? "").utf8)
            values.append(
                MigrationPlan.Value(
                    key: env, property: env, secretHash: SHA256.hex(bytes), preview: RedactedSecret(bytes).preview,
                    line: pair.value.start.line, base64: false))
        }
        return MigrationPlan.Item(
            action: .envSecretKeyRef, file: file.path, line: root.start.line, kind: kind, name: name,
            namespace: namespace, externalSecret: name + "-env", secretType: nil,
            remoteKey: (namespace.map { $0 + "/" } ?? "") + name + "-env", values: values, note: nil)
    }

    /// One secret in several places (same hash) becomes one remote key: later values point at the first one's
    /// remote key and property.
    static func shareRemoteKeys(_ items: [MigrationPlan.Item]) -> [MigrationPlan.Item] {
        var first: [String: (key: String, property: String)] = [:]
        var out = items
        for i in out.indices where out[i].action != .manual {
            guard let remoteKey = out[i].remoteKey else { continue }
            for j in out[i].values.indices {
                let v = out[i].values[j]
                if let earlier = first[v.secretHash], earlier.key != remoteKey {
                    out[i].values[j].sharedKey = earlier.key
                    out[i].values[j].property = earlier.property
                } else if first[v.secretHash] == nil {
                    first[v.secretHash] = (remoteKey, v.property)
                }
            }
        }
        return out
    }
}
