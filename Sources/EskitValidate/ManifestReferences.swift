public import EskitCore
public import EskitESO
import EskitManifests
public import EskitProviders
import EskitYAML
import Foundation

/// The references of hand-written ExternalSecret and ClusterExternalSecret manifests, resolved against the
/// SecretStores and ClusterSecretStores found beside them (same files or folders), each pointing at where it is
/// written. Manifests are read as a cluster would accept them (`ESOManifests`: ESO's CRDs first).
public enum ManifestReferences {
    /// Every `*.yaml` / `*.yml` file of `paths` (files as given, folders recursively, sorted).
    public static func files(_ paths: [String]) throws(EskitError) -> [String] {
        var out: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EskitError(.usage, "\(path): no such file or folder")
            }
            guard isFolder.boolValue else {
                out.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let item = enumerator?.nextObject() as? String {
                if item.hasPrefix(".git/") || item.contains("/.git/") { continue }
                if item.hasSuffix(".yaml") || item.hasSuffix(".yml") {
                    out.append(path == "." ? item : "\(path.hasSuffix("/") ? String(path.dropLast()) : path)/\(item)")
                }
            }
        }
        return out.sorted()
    }

    /// The references of the manifests in `files`. Manifests ESO would reject are errors (with `file:line:col`),
    /// as is a reference to a store none of the files declares.
    public static func collect(_ files: [String]) throws(EskitError) -> [Reference] {
        var objects: [ReadObject] = []
        var problems: [Diagnostic] = []
        for file in files {
            let bytes = try FileReader.input(file, what: "a manifest")
            do {
                for result in try ESOManifests.read(bytes, file: file) {
                    switch result {
                    case .eso(let object): objects.append(object)
                    case .invalid(let diagnostics): problems += diagnostics
                    case .other: break
                    }
                }
            } catch {
                problems.append(.error(file, error.position, error.problem))
            }
        }
        if !problems.isEmpty {
            throw EskitError(
                .input, "", hint: "ESO would reject these manifests; fix them first", diagnostics: problems)
        }
        var namespaced: [String: SecretStore] = [:]
        var cluster: [String: SecretStore] = [:]
        for object in objects {
            guard case .secretStore(let store) = object.object else { continue }
            if store.isCluster {
                cluster[store.metadata.name] = store
            } else {
                namespaced["\(store.metadata.namespace ?? "default")/\(store.metadata.name)"] = store
            }
        }
        func binding(_ store: SecretStore) -> StoreBinding {
            StoreBinding(
                name: store.metadata.name, kind: store.kind, namespace: store.metadata.namespace,
                family: store.spec.provider.name, block: store.spec.provider.block.node)
        }
        var references: [Reference] = []
        var unresolved: [Diagnostic] = []
        func collect(_ spec: ExternalSecretSpec, namespace: String?, owner: String, marks: Marks, base: String) {
            func store(_ ref: StoreRef?, at path: String) -> StoreBinding? {
                guard let ref else {
                    unresolved.append(Diagnostic(.error, at: marks.location(base), "\(owner): no secretStoreRef"))
                    return nil
                }
                let found =
                    ref.resolvedKind == "ClusterSecretStore"
                    ? cluster[ref.name] : namespaced["\(namespace ?? "default")/\(ref.name)"]
                guard let found else {
                    let message =
                        "\(owner): \(ref.resolvedKind) `\(ref.name)` is not declared in the files given"
                        + (ref.resolvedKind == "SecretStore" ? " (in namespace `\(namespace ?? "default")`)" : "")
                    unresolved.append(Diagnostic(.error, at: marks.location(path), message))
                    return nil
                }
                return binding(found)
            }
            let defaultStore = spec.secretStoreRef
            for (i, entry) in spec.data.enumerated() {
                let path = "\(base).data[\(i)]"
                let ref = entry.sourceRef?.storeRef ?? defaultStore
                guard
                    let bound = store(
                        ref,
                        at: entry.sourceRef?.storeRef == nil
                            ? "\(base).secretStoreRef"
                            : "\(path).sourceRef.storeRef")
                else { continue }
                if entry.remoteRef.metadataPolicy == "Fetch" { continue }
                references.append(
                    Reference(
                        kind: .key(
                            RemoteKey(entry.remoteRef.key, version: entry.remoteRef.version),
                            property: entry.remoteRef.property),
                        store: bound, environment: nil, owner: owner, secretKey: entry.secretKey,
                        location: marks.location("\(path).remoteRef.key")))
            }
            for (i, entry) in spec.dataFrom.enumerated() {
                let path = "\(base).dataFrom[\(i)]"
                if entry.sourceRef?.generatorRef != nil { continue }
                let ref = entry.sourceRef?.storeRef ?? defaultStore
                guard let bound = store(ref, at: "\(base).secretStoreRef") else { continue }
                if let extract = entry.extract, extract.metadataPolicy != "Fetch" {
                    references.append(
                        Reference(
                            kind: .extract(RemoteKey(extract.key, version: extract.version)), store: bound,
                            environment: nil, owner: owner, secretKey: nil,
                            location: marks.location("\(path).extract.key")))
                } else if let find = entry.find {
                    references.append(
                        Reference(
                            kind: .find(
                                FindQuery(
                                    path: find.path, nameRegexp: find.nameRegexp,
                                    tags: Dictionary(find.tags.pairs, uniquingKeysWith: { a, _ in a }))),
                            store: bound, environment: nil, owner: owner, secretKey: nil,
                            location: marks.location("\(path).find")))
                }
            }
        }
        for object in objects {
            let meta = object.object.metadata
            switch object.object {
            case .externalSecret(let es):
                collect(
                    es.spec, namespace: meta.namespace, owner: "\(meta.namespace ?? "default")/\(meta.name)",
                    marks: object.marks, base: "spec")
            case .clusterExternalSecret(let ces):
                // The ExternalSecrets it creates read through ClusterSecretStores (namespaced stores differ per
                // target namespace and are not checked here).
                collect(
                    ces.externalSecretSpec, namespace: nil, owner: "ClusterExternalSecret \(meta.name)",
                    marks: object.marks, base: "spec.externalSecretSpec")
            default:
                break
            }
        }
        if !unresolved.isEmpty {
            throw EskitError(
                .input, "", hint: "give the files that declare the stores too (or validate the inventory)",
                diagnostics: Array(Set(unresolved)).sorted())
        }
        return references
    }
}
