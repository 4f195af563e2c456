public import EskitCore
public import EskitProviders
import EskitYAML
import Foundation

/// Applies a plan: checks every value against the plan's hash, computes the new files (every byte outside the
/// rewritten nodes kept), and the provider writes (one JSON object per remote key). Nothing is written here:
/// `push` writes to the provider, the caller writes the files last (atomically), so a failed push leaves the
/// repository untouched.
public struct PreparedMigration: Sendable {
    /// New contents by file path (only files that change).
    public var files: [(path: String, bytes: [UInt8])]
    /// Values by full remote key, then property. Held in memory only, never printed.
    var payloads: [String: [String: RedactedSecret]]
    /// Items applied by this run, and items a previous run already applied (skipped).
    public var applied: [MigrationPlan.Item]
    public var alreadyApplied: [MigrationPlan.Item]
    public var manual: [MigrationPlan.Item]
    /// Files to delete (inventory merge: a file that held only migrated Secrets).
    public var removed: [String] = []
    /// Inventory merge: the `secrets` entries added to the inventory (name, namespace).
    public var inventoryEntries: [(name: String, namespace: String)] = []

    public var remoteKeys: [String] { payloads.keys.sorted() }
}

/// Where `apply` declares the new ExternalSecrets instead of writing them beside the manifests: the inventory
/// (`secrets[]` entries appended, every other byte kept), whose `eskit generate` then writes them.
public struct InventoryMerge: Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// The inventory's environment names: an entry is limited to the plan's environment when there are several.
    public var environments: [String]

    public init(path: String, bytes: [UInt8], environments: [String]) {
        self.path = path
        self.bytes = bytes
        self.environments = environments
    }

    /// The `(name, namespace)` of every `secrets[]` entry.
    func entries() -> Set<[String]> {
        guard let root = try? YAML.parse(bytes, file: path).first?.root else { return [] }
        return Set(
            (root["secrets"]?.items ?? []).compactMap { item in
                guard let name = item["name"]?.scalarValue else { return nil }
                return [name, item["namespace"]?.scalarValue ?? ""]
            })
    }
}

public enum MigrationApplier {
    /// `inventory` nil: each ExternalSecret is written beside what it replaces (in place). Given: each becomes a
    /// `secrets[]` entry of the inventory, a Secret manifest is removed (its file too when nothing else is left
    /// in it, and its line in the folder's kustomization), and the caller runs `generate`.
    public static func prepare(
        _ plan: MigrationPlan, files: [MigrationFile], inventory: InventoryMerge? = nil
    ) throws(EskitError) -> PreparedMigration {
        var byPath = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        var prepared = PreparedMigration(files: [], payloads: [:], applied: [], alreadyApplied: [], manual: [])
        let declared = inventory?.entries() ?? []
        var entries: [String] = []
        /// Inventory merge: documents removed per file (to delete files left empty).
        var removedDocuments: [String: Int] = [:]
        func alreadyDeclared(_ item: MigrationPlan.Item) -> Bool {
            inventory != nil && declared.contains([item.externalSecret ?? item.name, item.namespace ?? ""])
        }
        var edits: [String: [(range: Range<Int>, text: String)]] = [:]
        var appended: [String: [String]] = [:]
        var appendedText: [String: [String]] = [:]
        var newFiles: [(path: String, text: String)] = []
        func declare(_ item: MigrationPlan.Item, labels: [YAMLPair], annotations: [YAMLPair]) throws(EskitError) {
            guard let inventory else { return }
            let name = item.externalSecret ?? item.name
            guard let namespace = item.namespace, !namespace.isEmpty else {
                throw EskitError(
                    .input,
                    "\(item.file):\(item.line): \(item.kind) `\(item.name)` names no namespace, which an inventory "
                        + "entry "
                        + "needs; set `namespace` on the item in the plan (or apply with --in-place)")
            }
            if declared.contains([name, namespace]) {
                throw EskitError(
                    .input,
                    "\(inventory.path): already declares secret `\(name)` in namespace `\(namespace)`; rename "
                        + "`externalSecret` of the item at \(item.file):\(item.line) in the plan")
            }
            entries.append(
                inventoryEntry(
                    plan, item, remoteKey: item.remoteKey ?? item.name, labels: labels, annotations: annotations,
                    limitTo: inventory.environments.count > 1 ? plan.environment : nil))
            prepared.inventoryEntries.append((name, namespace))
        }
        /// The item's ExternalSecret: an inventory entry, or a file in `folder` listed in `kustomization`.
        func place(_ item: MigrationPlan.Item, folder: String, kustomization: String?) throws(EskitError) {
            if inventory != nil { return try declare(item, labels: [], annotations: []) }
            let esFile = "externalsecret-\(item.externalSecret ?? item.name).yaml"
            let text = externalSecretYAML(
                plan, item, remoteKey: item.remoteKey ?? item.name, labels: [], annotations: [])
            newFiles.append((folder + esFile, text + "\n"))
            if let kustomization {
                addResource(esFile, to: kustomization, byPath: byPath, edits: &edits, appendedText: &appendedText)
            }
        }
        // Values of shared keys come from the item that stores them first.
        for item in plan.items {
            if item.action == .manual {
                prepared.manual.append(item)
                continue
            }
            guard let bytes = byPath[item.file] else {
                if alreadyDeclared(item) {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                throw EskitError(.input, "\(item.file): in the plan but not found; run `eskit migrate plan` again")
            }
            // Scripts and docs (`kubectl create secret`) are not YAML.
            var documents: [YAMLDocument] = []
            if item.action != .kubectlSecret {
                do { documents = try YAML.parse(bytes, file: item.file) } catch {
                    throw EskitError(.input, "\(error)")
                }
            }
            let roots = documents.compactMap(\.root)
            let remoteKey = item.remoteKey ?? item.name
            switch item.action {
            case .externalSecret:
                guard
                    let root = roots.first(where: {
                        $0["kind"]?.scalarValue == "Secret" && $0["metadata"]?["name"]?.scalarValue == item.name
                            && $0["metadata"]?["namespace"]?.scalarValue == item.namespace
                    })
                else {
                    if hasExternalSecret(roots, named: item.externalSecret ?? item.name) || alreadyDeclared(item) {
                        prepared.alreadyApplied.append(item)
                        continue
                    }
                    throw EskitError(
                        .input,
                        "\(item.file):\(item.line): Secret `\(item.name)` is no longer there; run `eskit migrate plan` "
                            + "again")
                }
                let found = MigrationPlanner.secretValues(root)
                try verify(item, found: found)
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: v.base64)
                }
                let labels = root["metadata"]?["labels"]?.pairs ?? []
                let annotations = (root["metadata"]?["annotations"]?.pairs ?? []).filter {
                    $0.key.scalarValue != "kubectl.kubernetes.io/last-applied-configuration"
                }
                if inventory != nil {
                    try declare(item, labels: labels, annotations: annotations)
                    edits[item.file, default: []].append((documentRange(root, in: bytes), ""))
                    removedDocuments[item.file, default: 0] += 1
                    if removedDocuments[item.file] == roots.count {
                        prepared.removed.append(item.file)
                        let folder = MigrationPlanner.folder(of: item.file)
                        if let k = kustomization(in: folder, byPath: byPath) {
                            removeResource(
                                String(item.file.dropFirst(folder.count)), from: k, byPath: byPath, edits: &edits)
                        }
                    }
                    prepared.applied.append(item)
                    continue
                }
                let text = externalSecretYAML(
                    plan, item, remoteKey: remoteKey, labels: labels, annotations: annotations)
                // The mapping's end mark sits at the next token (`---` or the end): keep the line breaks before it.
                let end = root.lastScalarEnd
                edits[item.file, default: []].append((root.span.byteRange.lowerBound..<end, text))
            case .envSecretKeyRef:
                guard let kind = roots.first(where: { $0["metadata"]?["name"]?.scalarValue == item.name }),
                    let kindName = kind["kind"]?.scalarValue
                else {
                    throw EskitError(
                        .input,
                        "\(item.file):\(item.line): \(item.kind) `\(item.name)` is no longer there; run `eskit "
                            + "migrate plan` again")
                }
                let literals = MigrationPlanner.envLiterals(kind, kind: kindName, lines: nil)
                let wanted = Set(item.values.map(\.key))
                let mine = literals.filter { wanted.contains($0.name) }
                if mine.isEmpty {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let found = mine.map {
                    FoundValue(
                        key: $0.name, bytes: Array(($0.pair.value.scalarValue ?? "").utf8),
                        line: $0.pair.value.start.line)
                }
                try verify(item, found: found)
                let secretName = item.externalSecret ?? item.name + "-env"
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                for (env, pair) in mine {
                    let indent = String(repeating: " ", count: max(0, pair.key.start.column - 1))
                    let text =
                        "valueFrom:\n\(indent)  secretKeyRef:\n\(indent)    name: \(MigrationPlan.scalar(secretName))\n"
                        + "\(indent)    key: \(MigrationPlan.scalar(env))"
                    edits[item.file, default: []].append((pair.key.start.offset..<pair.value.end.offset, text))
                }
                if inventory != nil {
                    try declare(item, labels: [], annotations: [])
                } else {
                    appended[item.file, default: []].append(
                        externalSecretYAML(plan, item, remoteKey: remoteKey, labels: [], annotations: []))
                }
            case .kustomizeGenerator:
                guard let root = roots.first,
                    let generator = root["secretGenerator"]?.items?.first(where: {
                        $0["name"]?.scalarValue == item.name
                    })
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let folder = MigrationPlanner.folder(of: item.file)
                let found = MigrationPlanner.generatorValues(generator, folder: folder, files: byPath)
                try verify(item, found: found)
                // The env files hold the values: they go with the generator.
                for path in MigrationPlanner.envFiles(generator, folder: folder) where byPath[path] != nil {
                    prepared.removed.append(path)
                }
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                var esItem = item
                esItem.secretType = item.secretType == "Opaque" ? nil : item.secretType
                // The generator entry goes (from its `- ` line to the end of its last line); the new file joins
                // `resources`.
                // The whole `secretGenerator:` key when this was its only entry.
                let only = root["secretGenerator"]?.items?.count == 1
                var start =
                    only ? (root.pair(forKey: "secretGenerator")?.key.start.offset ?? 0) : generator.start.offset
                while start > 0, bytes[start - 1] != 10 { start -= 1 }
                // A collection's end mark sits at the next token (past comments after it): end at its last scalar.
                var end = generator.lastScalarEnd
                while end < bytes.count, bytes[end] != 10 { end += 1 }
                if end < bytes.count { end += 1 }
                edits[item.file, default: []].append((start..<end, ""))
                try place(esItem, folder: folder, kustomization: item.file)
            case .arcGitHubConfig:
                guard
                    let root = roots.first(where: {
                        $0["kind"] == nil && $0["githubConfigSecret"]?.pairs != nil && $0["githubConfigUrl"] != nil
                    }), let pair = root.pair(forKey: "githubConfigSecret")
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let found = MigrationPlanner.arcValues(root)
                try verify(item, found: found)
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                let secretName = item.externalSecret ?? item.name
                // `githubConfigSecret:` + its block becomes `githubConfigSecret: <name>`; a literal block's end
                // mark is on the next line, so the line break before it stays.
                var end = pair.value.lastScalarEnd
                while end > pair.key.end.offset, [10, 13, 32].contains(bytes[end - 1]) { end -= 1 }
                edits[item.file, default: []].append(
                    (pair.key.end.offset..<end, ": " + MigrationPlan.scalar(secretName)))
                let folder = MigrationPlanner.folder(of: item.file)
                try place(item, folder: folder, kustomization: kustomization(in: folder, byPath: byPath))
            case .harborValues:
                guard let root = roots.first(where: { $0["kind"] == nil && HarborValues.isHarbor($0, path: item.file) })
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let all = HarborValues.fields.compactMap { field -> (HarborValues.Field, FoundValue)? in
                    guard let node = HarborValues.node(root, field.path), let text = node.scalarValue, !text.isEmpty
                    else { return nil }
                    return (
                        field,
                        FoundValue(
                            key: HarborValues.secretKey(field, in: root), bytes: Array(text.utf8), line: node.start.line
                        )
                    )
                }
                let planned = Set(item.values.map(\.key))
                let mine = all.filter { planned.contains($0.1.key) }
                if mine.isEmpty {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                try verify(item, found: mine.map(\.1))
                for v in item.values {
                    guard let value = mine.first(where: { $0.1.key == v.key })?.1 else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                let secretName = item.externalSecret ?? "harbor-secrets"
                var named: Set<[String]> = []
                for (field, _) in mine {
                    guard let valueNode = HarborValues.node(root, field.path) else { continue }
                    edits[item.file, default: []].append((valueNode.span.byteRange, "\"\""))
                    guard named.insert(field.existing).inserted else { continue }
                    if let existing = HarborValues.pair(root, field.existing), existing.value.scalarValue != nil {
                        let range = existing.value.span.byteRange
                        edits[item.file, default: []].append(
                            (
                                range,
                                range.isEmpty
                                    ? " " + MigrationPlan.scalar(secretName) : MigrationPlan.scalar(secretName)
                            ))
                    } else if let valuePair = HarborValues.pair(root, field.path) {
                        var lineEnd = valuePair.value.span.byteRange.upperBound
                        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
                        let indent = String(repeating: " ", count: max(0, valuePair.key.start.column - 1))
                        edits[item.file, default: []].append(
                            (
                                lineEnd..<lineEnd,
                                "\n\(indent)\(field.existing.last!): \(MigrationPlan.scalar(secretName))"
                            ))
                    }
                }
                let folder = MigrationPlanner.folder(of: item.file)
                try place(item, folder: folder, kustomization: kustomization(in: folder, byPath: byPath))
            case .configMapEnvSecret:
                let folder = MigrationPlanner.folder(of: item.file)
                guard let root = roots.first,
                    let generator = root["configMapGenerator"]?.items?.first(where: {
                        $0["name"]?.scalarValue == item.name
                    })
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let planned = Set(item.values.map(\.key))
                let found = MigrationPlanner.generatorValues(generator, folder: folder, files: byPath).filter {
                    planned.contains($0.key)
                }
                if found.isEmpty {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                try verify(item, found: found)
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                // The secret lines leave the env files (the configuration lines stay) and the literals.
                for value in found {
                    let path = value.file ?? item.file
                    guard let bytes = byPath[path] else { continue }
                    edits[path, default: []].append((lineRange(value.line, in: bytes), ""))
                }
                let secretName = item.externalSecret ?? item.name + "-secret"
                try place(item, folder: folder, kustomization: item.file)
                // Every workload reading the ConfigMap through envFrom reads the Secret too, right after it.
                for path in item.consumers {
                    guard let bytes = byPath[path], let documents = try? YAML.parse(bytes, file: path) else { continue }
                    for root in documents.compactMap(\.root) {
                        guard let kind = root["kind"]?.scalarValue else { continue }
                        for entry in MigrationPlanner.envFromItems(root, kind: kind, configMap: item.name) {
                            let dash = max(0, entry.start.column - 3)
                            let lineStart = entry.start.offset - (entry.start.column - 1)
                            guard bytes[lineStart + dash] == 45 else {
                                throw EskitError(
                                    .input,
                                    "\(path):\(entry.start.line):\(entry.start.column): `envFrom` is not a block list; "
                                        + "write it as one (`- configMapRef: ...` lines) so eskit can add the Secret")
                            }
                            let pad = String(repeating: " ", count: dash)
                            var end = entry.lastScalarEnd
                            while end < bytes.count, bytes[end] != 10 { end += 1 }
                            edits[path, default: []].append(
                                (
                                    end..<end,
                                    "\n\(pad)- secretRef:\n\(pad)    name: \(MigrationPlan.scalar(secretName))"
                                ))
                        }
                    }
                }
            case .kubectlSecret:
                guard let command = KubectlSecretCommand.find(in: bytes, line: item.line), command.name == item.name,
                    command.dynamic == nil
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                try verify(item, found: command.values)
                for v in item.values {
                    guard let value = command.values.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                let namespace = item.namespace ?? "default"
                let pad = String(repeating: " ", count: command.indent)
                edits[item.file, default: []].append(
                    (
                        command.range,
                        "\(pad)# Secret \(namespace)/\(item.name) is written by an ExternalSecret from the store "
                            + "(eskit migrate): nothing to create here\n"
                    ))
                try place(item, folder: MigrationPlanner.folder(of: item.file), kustomization: nil)
            case .manual:
                break
            }
            prepared.applied.append(item)
        }
        if let inventory, !entries.isEmpty {
            byPath[inventory.path] = inventory.bytes
            try addEntries(entries, to: inventory, edits: &edits, appendedText: &appendedText)
        }
        for path in prepared.removed { edits[path] = nil }
        for path in Set(edits.keys).union(appended.keys).union(appendedText.keys).sorted() {
            guard var bytes = byPath[path] else { continue }
            // Removals that overlap (two neighbouring documents sharing a `---` line) are one removal.
            var merged: [(range: Range<Int>, text: String)] = []
            for e in (edits[path] ?? []).sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                if let last = merged.last, last.text.isEmpty, e.text.isEmpty,
                    e.range.lowerBound <= last.range.upperBound
                {
                    merged[merged.count - 1].range =
                        last.range.lowerBound..<max(last.range.upperBound, e.range.upperBound)
                } else {
                    merged.append(e)
                }
            }
            let sorted = merged.reversed() as [(range: Range<Int>, text: String)]
            for (i, e) in sorted.enumerated() where i == 0 || e.range.upperBound <= sorted[i - 1].range.lowerBound {
                bytes.replaceSubrange(e.range, with: Array(e.text.utf8))
            }
            for document in appended[path] ?? [] {
                if bytes.last != 10 { bytes.append(10) }
                bytes += Array(("---\n" + document + "\n").utf8)
            }
            for text in appendedText[path] ?? [] {
                if bytes.last != 10 { bytes.append(10) }
                bytes += Array(text.utf8)
            }
            byPath[path] = bytes
            prepared.files.append((path, bytes))
        }
        for (path, text) in newFiles {
            if byPath[path] != nil {
                throw EskitError(.input, "\(path) exists already; rename `externalSecret` in the plan")
            }
            prepared.files.append((path, Array(text.utf8)))
        }
        return prepared
    }

    /// The bytes of line `line` (1-based) with its line break.
    static func lineRange(_ line: Int, in bytes: [UInt8]) -> Range<Int> {
        var start = 0
        var current = 1
        while current < line, start < bytes.count {
            if bytes[start] == 10 { current += 1 }
            start += 1
        }
        var end = start
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        return start..<min(bytes.count, end + 1)
    }

    /// The kustomization file in `folder` (among the files read), if any.
    static func kustomization(in folder: String, byPath: [String: [UInt8]]) -> String? {
        ["kustomization.yaml", "kustomization.yml"].map { folder + $0 }.first { byPath[$0] != nil }
    }

    /// Lists `esFile` in the `resources` of kustomization `path` (after its last entry, or a new `resources:`).
    static func addResource(
        _ esFile: String, to path: String, byPath: [String: [UInt8]],
        edits: inout [String: [(range: Range<Int>, text: String)]], appendedText: inout [String: [String]]
    ) {
        guard let bytes = byPath[path], let root = try? YAML.parse(bytes, file: path).first?.root else { return }
        guard let resources = root["resources"], let last = resources.items?.last else {
            appendedText[path, default: []].append("resources:\n  - \(esFile)\n")
            return
        }
        if resources.items?.contains(where: { $0.scalarValue == esFile }) == true { return }
        var lineEnd = last.end.offset
        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
        let indent = String(repeating: " ", count: max(0, last.start.column - 3))
        edits[path, default: []].append((lineEnd..<lineEnd, "\n\(indent)- \(esFile)"))
    }

    /// The bytes of the document holding `root`, from the comment lines right above it to the end of its last
    /// line, with one `---` separator line (the one after it, else the one before it).
    static func documentRange(_ root: YAMLNode, in bytes: [UInt8]) -> Range<Int> {
        func lineStart(_ i: Int) -> Int {
            var i = i
            while i > 0, bytes[i - 1] != 10 { i -= 1 }
            return i
        }
        func nextLine(_ i: Int) -> Int {
            var i = i
            while i < bytes.count, bytes[i] != 10 { i += 1 }
            return min(bytes.count, i + 1)
        }
        func isSeparator(_ start: Int) -> Bool {
            let end = nextLine(start)
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
            return line.hasPrefix("---") && line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\n" || $0 == "\r" }
        }
        var start = lineStart(root.span.byteRange.lowerBound)
        // Comment and blank lines right above the document (`# Source: …` of rendered charts) go with it.
        while start > 0 {
            let previous = lineStart(start - 1)
            let line = bytes[previous..<start].drop { $0 == 32 || $0 == 9 }
            guard line.first == 35 || line.allSatisfy({ $0 == 10 || $0 == 13 }) else { break }
            start = previous
        }
        var end = nextLine(root.lastScalarEnd)
        if end < bytes.count, isSeparator(end) {
            end = nextLine(end)
        } else if start > 0, isSeparator(lineStart(start - 1)) {
            start = lineStart(start - 1)
        }
        return start..<end
    }

    /// Removes the `resources` entry `file` from kustomization `path` (its whole line).
    static func removeResource(
        _ file: String, from path: String, byPath: [String: [UInt8]],
        edits: inout [String: [(range: Range<Int>, text: String)]]
    ) {
        guard let bytes = byPath[path], let root = try? YAML.parse(bytes, file: path).first?.root,
            let entry = root["resources"]?.items?.first(where: {
                $0.scalarValue == file || $0.scalarValue == "./" + file
            })
        else { return }
        var start = entry.start.offset
        while start > 0, bytes[start - 1] != 10 { start -= 1 }
        var end = entry.end.offset
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        if end < bytes.count { end += 1 }
        edits[path, default: []].append((start..<end, ""))
    }

    /// Appends the entries to the inventory's `secrets` list (after its last item, in its indentation; `secrets:
    /// []` becomes a block list; a missing `secrets` key is added at the end).
    static func addEntries(
        _ entries: [String], to inventory: InventoryMerge,
        edits: inout [String: [(range: Range<Int>, text: String)]], appendedText: inout [String: [String]]
    ) throws(EskitError) {
        let bytes = inventory.bytes
        let root: YAMLNode?
        do { root = try YAML.parse(bytes, file: inventory.path).first?.root } catch {
            throw EskitError(.input, "\(error)")
        }
        func indented(_ entry: String, by indent: Int) -> String {
            let pad = String(repeating: " ", count: indent)
            return entry.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }
                .joined(separator: "\n")
        }
        guard let pair = root?.pair(forKey: "secrets") else {
            appendedText[inventory.path, default: []].append(
                "secrets:\n" + entries.map { indented($0, by: 2) }.joined(separator: "\n") + "\n")
            return
        }
        if let last = pair.value.items?.last, pair.value.span.byteRange.lowerBound < last.start.offset,
            bytes[pair.value.span.byteRange.lowerBound] != 91
        {
            // A block list: after the last line of its last item, at the column of its `- `.
            var lineEnd = last.lastScalarEnd
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            let indent = max(0, last.start.column - 3)
            edits[inventory.path, default: []].append(
                (lineEnd..<lineEnd, "\n" + entries.map { indented($0, by: indent) }.joined(separator: "\n")))
        } else if pair.value.items?.isEmpty == true || pair.value.isNull {
            // `secrets: []` or `secrets:` with nothing: the value becomes the block list.
            // The `[]` goes; the list starts on the next line, after any comment on this one.
            let indent = pair.key.start.column - 1 + 2
            let text = "\n" + entries.map { indented($0, by: indent) }.joined(separator: "\n")
            var valueStart = pair.value.span.byteRange.lowerBound
            while valueStart > pair.key.end.offset + 1, bytes[valueStart - 1] == 32 { valueStart -= 1 }
            var lineEnd = pair.value.span.byteRange.upperBound
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            if !pair.value.isNull {
                edits[inventory.path, default: []].append((valueStart..<pair.value.span.byteRange.upperBound, ""))
            }
            edits[inventory.path, default: []].append((lineEnd..<lineEnd, text))
        } else {
            throw EskitError(
                .input,
                "\(inventory.path):\(pair.value.start.line):\(pair.value.start.column): `secrets` is a flow list; "
                    + "write it as a block list (`- name: ...` lines) so eskit can add entries, or apply with "
                    + "--in-place")
        }
    }

    /// One inventory `secrets[]` entry (list item text starting `- `, no trailing line break), keys relative to
    /// the environment's key prefix as the inventory writes them.
    static func inventoryEntry(
        _ plan: MigrationPlan, _ item: MigrationPlan.Item, remoteKey: String, labels: [YAMLPair],
        annotations: [YAMLPair], limitTo environment: String?
    ) -> String {
        let s = MigrationPlan.scalar
        var out = "- name: \(s(item.externalSecret ?? item.name))\n  namespace: \(s(item.namespace ?? ""))\n"
        if let environment { out += "  environments: [\(s(environment))]\n" }
        out += "  store: \(s(plan.store.name))\n"
        let template = templateLines(item, labels: labels, annotations: annotations)
        if !template.isEmpty { out += "  target:\n" + template }
        out += dataLines(item) { v in v.sharedKey ?? remoteKey }
        return String(out.dropLast())
    }

    /// `    template:` (under `target:`) with the Secret type, the template keys and the kept labels and annotations;
    /// empty when there is none of them. The in-place ExternalSecret and the inventory entry share it.
    static func templateLines(_ item: MigrationPlan.Item, labels: [YAMLPair], annotations: [YAMLPair]) -> String {
        guard item.secretType != nil || !labels.isEmpty || !annotations.isEmpty || !item.template.isEmpty else {
            return ""
        }
        let s = MigrationPlan.scalar
        var out = "    template:\n"
        if let type = item.secretType { out += "      type: \(s(type))\n" }
        out += templateData(item, indent: 6)
        if !labels.isEmpty || !annotations.isEmpty {
            out += "      metadata:\n"
            for (title, pairs) in [("labels", labels), ("annotations", annotations)] where !pairs.isEmpty {
                out += "        \(title):\n"
                for pair in pairs {
                    out += "          \(s(pair.key.scalarValue ?? "")): \(s(pair.value.scalarValue ?? ""))\n"
                }
            }
        }
        return out
    }

    /// `  data:` with one entry per value, its remote key from `key`.
    static func dataLines(_ item: MigrationPlan.Item, key: (MigrationPlan.Value) -> String) -> String {
        let s = MigrationPlan.scalar
        var out = "  data:\n"
        for v in item.values {
            out += "    - secretKey: \(s(v.key))\n      remoteRef:\n"
            out += "        key: \(s(key(v)))\n        property: \(s(v.property))\n"
            if v.base64 { out += "        decodingStrategy: Base64\n" }
        }
        return out
    }

    /// `engineVersion`, `mergePolicy: Merge` and `data` of a template that adds keys to the fetched ones.
    static func templateData(_ item: MigrationPlan.Item, indent: Int) -> String {
        guard !item.template.isEmpty else { return "" }
        let pad = String(repeating: " ", count: indent)
        var out = "\(pad)engineVersion: v2\n\(pad)mergePolicy: Merge\n\(pad)data:\n"
        for key in item.template.keys.sorted() {
            out += "\(pad)  \(MigrationPlan.scalar(key)): \(MigrationPlan.scalar(item.template[key]!))\n"
        }
        return out
    }

    static func hasExternalSecret(_ roots: [YAMLNode], named name: String) -> Bool {
        roots.contains { $0["kind"]?.scalarValue == "ExternalSecret" && $0["metadata"]?["name"]?.scalarValue == name }
    }

    static func payload(_ value: FoundValue, base64: Bool) -> RedactedSecret {
        base64 ? RedactedSecret(Data(value.bytes).base64EncodedString()) : RedactedSecret(value.bytes)
    }

    /// Every planned value is in the file with the planned hash (the file did not change since the plan).
    static func verify(_ item: MigrationPlan.Item, found: [FoundValue]) throws(EskitError) {
        for v in item.values {
            guard let value = found.first(where: { $0.key == v.key }) else {
                throw EskitError(
                    .input,
                    "\(v.file ?? item.file):\(v.line): `\(v.key)` of \(item.kind) `\(item.name)` is gone since the "
                        + "plan; run `eskit migrate plan` again")
            }
            if value.hash != v.secretHash {
                throw EskitError(
                    .input,
                    "\(value.file ?? item.file):\(value.line): the value of `\(v.key)` changed since the plan (its "
                        + "SHA-256 differs); run `eskit migrate plan` again")
            }
        }
    }

    static func externalSecretYAML(
        _ plan: MigrationPlan, _ item: MigrationPlan.Item, remoteKey: String, labels: [YAMLPair],
        annotations: [YAMLPair]
    ) -> String {
        let s = MigrationPlan.scalar
        let name = item.externalSecret ?? item.name
        var out = "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: \(s(name))\n"
        if let ns = item.namespace { out += "  namespace: \(s(ns))\n" }
        out += "  labels:\n    app.kubernetes.io/managed-by: eskit-migrate\n"
        out += "spec:\n  refreshInterval: 1h\n  secretStoreRef:\n"
        out += "    kind: \(plan.store.kind)\n    name: \(s(plan.store.name))\n"
        out += "  target:\n    name: \(s(name))\n    creationPolicy: Owner\n"
        out += templateLines(item, labels: labels, annotations: annotations)
        out += dataLines(item) { v in MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey) }
        return String(out.dropLast())
    }

    /// Writes each remote key's properties as one JSON object through `provider` (compare-before-write: an equal
    /// value is left alone; a different existing one is refused unless `overwrite`). Returns what happened per
    /// key; the first failure stops and says which keys were written before it.
    public static func push(
        _ prepared: PreparedMigration, to provider: any SecretProvider, overwrite: Bool
    ) async throws(EskitError) -> [(key: String, result: PutResult)] {
        var done: [(key: String, result: PutResult)] = []
        for key in prepared.remoteKeys {
            let properties = prepared.payloads[key] ?? [:]
            var object: [String: String] = [:]
            for (property, value) in properties { object[property] = value.revealed }
            let json =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                .map(Array.init) ?? []
            do {
                let result = try await provider.put(
                    key, value: RedactedSecret(json), mode: overwrite ? .overwrite : .createOnly)
                done.append((key, result))
            } catch {
                let written = done.filter { $0.result != .unchanged }.map(\.key)
                throw EskitError(
                    .provider,
                    "push of `\(key)` failed: \(error)"
                        + (written.isEmpty
                            ? "; nothing was written" : "; already written: \(written.joined(separator: ", "))")
                        + "; no file was changed")
            }
        }
        return done
    }
}
