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

    public var remoteKeys: [String] { payloads.keys.sorted() }
}

public enum MigrationApplier {
    public static func prepare(_ plan: MigrationPlan, files: [MigrationFile]) throws(EskitError) -> PreparedMigration {
        var byPath = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        var prepared = PreparedMigration(files: [], payloads: [:], applied: [], alreadyApplied: [], manual: [])
        var edits: [String: [(range: Range<Int>, text: String)]] = [:]
        var appended: [String: [String]] = [:]
        var appendedText: [String: [String]] = [:]
        var newFiles: [(path: String, text: String)] = []
        // Values of shared keys come from the item that stores them first.
        for item in plan.items {
            if item.action == .manual {
                prepared.manual.append(item)
                continue
            }
            guard let bytes = byPath[item.file] else {
                throw EskitError(.input, "\(item.file): in the plan but not found; run `eskit migrate plan` again")
            }
            let documents: [YAMLDocument]
            do { documents = try YAML.parse(bytes, file: item.file) } catch {
                throw EskitError(.input, "\(error)")
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
                    if hasExternalSecret(roots, named: item.externalSecret ?? item.name) {
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
                appended[item.file, default: []].append(
                    externalSecretYAML(plan, item, remoteKey: remoteKey, labels: [], annotations: []))
            case .kustomizeGenerator:
                guard let root = roots.first,
                    let generator = root["secretGenerator"]?.items?.first(where: {
                        $0["name"]?.scalarValue == item.name
                    })
                else {
                    prepared.alreadyApplied.append(item)
                    continue
                }
                let found = MigrationPlanner.literals(generator)
                try verify(item, found: found)
                for v in item.values {
                    guard let value = found.first(where: { $0.key == v.key }) else { continue }
                    let key = MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)
                    prepared.payloads[key, default: [:]][v.property] = payload(value, base64: false)
                }
                let folder = item.file.contains("/") ? String(item.file[..<item.file.lastIndex(of: "/")!]) + "/" : ""
                let esFile = "externalsecret-\(item.externalSecret ?? item.name).yaml"
                let generatorType = item.secretType
                var esItem = item
                esItem.secretType = generatorType == "Opaque" ? nil : generatorType
                newFiles.append(
                    (
                        folder + esFile,
                        externalSecretYAML(plan, esItem, remoteKey: remoteKey, labels: [], annotations: []) + "\n"
                    ))
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
                addResource(esFile, to: item.file, byPath: byPath, edits: &edits, appendedText: &appendedText)
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
                let esFile = "externalsecret-\(secretName).yaml"
                newFiles.append(
                    (
                        folder + esFile,
                        externalSecretYAML(plan, item, remoteKey: remoteKey, labels: [], annotations: []) + "\n"
                    ))
                if let k = kustomization(in: folder, byPath: byPath) {
                    addResource(esFile, to: k, byPath: byPath, edits: &edits, appendedText: &appendedText)
                }
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
                let esFile = "externalsecret-\(secretName).yaml"
                newFiles.append(
                    (
                        folder + esFile,
                        externalSecretYAML(plan, item, remoteKey: remoteKey, labels: [], annotations: []) + "\n"
                    ))
                if let k = kustomization(in: folder, byPath: byPath) {
                    addResource(esFile, to: k, byPath: byPath, edits: &edits, appendedText: &appendedText)
                }
            case .manual:
                break
            }
            prepared.applied.append(item)
        }
        for path in Set(edits.keys).union(appended.keys).union(appendedText.keys).sorted() {
            guard var bytes = byPath[path] else { continue }
            let sorted = (edits[path] ?? []).sorted { $0.range.lowerBound > $1.range.lowerBound }
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
                    "\(item.file):\(v.line): `\(v.key)` of \(item.kind) `\(item.name)` is gone since the plan; run "
                        + "`eskit migrate plan` again")
            }
            if value.hash != v.secretHash {
                throw EskitError(
                    .input,
                    "\(item.file):\(value.line): the value of `\(v.key)` changed since the plan (its SHA-256 differs); "
                        + "run `eskit migrate plan` again")
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
        if item.secretType != nil || !labels.isEmpty || !annotations.isEmpty {
            out += "    template:\n"
            if let type = item.secretType { out += "      type: \(s(type))\n" }
            if !labels.isEmpty || !annotations.isEmpty {
                out += "      metadata:\n"
                for (title, pairs) in [("labels", labels), ("annotations", annotations)] where !pairs.isEmpty {
                    out += "        \(title):\n"
                    for pair in pairs {
                        out += "          \(s(pair.key.scalarValue ?? "")): \(s(pair.value.scalarValue ?? ""))\n"
                    }
                }
            }
        }
        out += "  data:\n"
        for v in item.values {
            out += "    - secretKey: \(s(v.key))\n      remoteRef:\n"
            out += "        key: \(s(MigrationPlan.join(plan.keyPrefix, v.sharedKey ?? remoteKey)))\n"
            out += "        property: \(s(v.property))\n"
            if v.base64 { out += "        decodingStrategy: Base64\n" }
        }
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
