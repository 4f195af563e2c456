public import EskitCore
public import EskitYAML
import Foundation

/// Schemas of CustomResourceDefinitions, by group, kind and version; validates manifests against them.
public final class CRDCatalog: Sendable {
    struct Version: Sendable {
        var served: Bool
        var schema: Schema?
    }

    struct Definition: Sendable {
        var group: String
        var kind: String
        var versions: [(name: String, version: Version)]
    }

    private let definitions: [String: Definition]
    private let groups: Set<String>

    /// A CRD file that cannot be used.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads every `CustomResourceDefinition` in the given YAML files.
    public convenience init(files: [String]) throws(LoadError) {
        var documents: [(YAMLDocument, String)] = []
        for file in files {
            let data: [UInt8]
            do { data = try FileReader.input(file, what: "a CRD file", limit: 64 << 20) } catch {
                throw LoadError(description: error.description.replacingOccurrences(of: "eskit: ", with: ""))
            }
            do {
                for d in try YAML.parse(Array(data), file: file) { documents.append((d, file)) }
            } catch {
                throw LoadError(description: error.description)
            }
        }
        try self.init(documents: documents)
    }

    /// ESO's current CRDs as built into eskit (`scripts/embed-crds.py`), parsed on first use.
    public static let builtIn: CRDCatalog = {
        var documents: [(YAMLDocument, String)] = []
        for (name, json) in EmbeddedCRDs.files {
            // The embedded text is generated and checked by a test: failing to read it is a build defect.
            guard let root = try? EmbeddedJSON.parse(json) else {
                preconditionFailure("embedded CRD \(name) does not parse")
            }
            documents.append((YAMLDocument(root: root), "<built-in>/\(name)"))
        }
        guard let catalog = try? CRDCatalog(documents: documents) else { preconditionFailure("embedded CRDs unusable") }
        return catalog
    }()

    /// The schema of `kind` in `group` at `version` when that version is served.
    public func schema(group: String, kind: String, version: String) -> Schema? {
        definitions["\(group)/\(kind)"]?.versions.first { $0.name == version && $0.version.served }?.version.schema
    }

    /// True when a CRD for `kind` in API group `group` was loaded.
    public func defines(group: String, kind: String) -> Bool {
        definitions["\(group)/\(kind)"] != nil
    }

    /// Reads every `*.yaml` / `*.yml` file of a folder (sorted by name).
    public convenience init(folder: String) throws(LoadError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
        if files.isEmpty { throw LoadError(description: "\(folder): no CRD files (*.yaml) found") }
        try self.init(files: files)
    }

    /// Uses the CRDs among already parsed documents.
    public init(documents: [(YAMLDocument, String)]) throws(LoadError) {
        var definitions: [String: Definition] = [:]
        var groups = Set<String>()
        for (document, file) in documents {
            guard let root = document.root, root["kind"]?.scalarValue == "CustomResourceDefinition",
                let spec = root["spec"], let group = spec["group"]?.scalarValue,
                let kind = spec["names"]?["kind"]?.scalarValue
            else { continue }
            var versions: [(String, Version)] = []
            for v in spec["versions"]?.items ?? [] {
                guard let name = v["name"]?.scalarValue else { continue }
                let served = v["served"]?.resolved == .bool(true)
                var schema: Schema?
                if served, let node = v["schema"]?["openAPIV3Schema"] {
                    do { schema = try Schema.read(node, file: file) } catch {
                        throw LoadError(description: error.description)
                    }
                }
                versions.append((name, Version(served: served, schema: schema)))
            }
            definitions["\(group)/\(kind)"] = Definition(group: group, kind: kind, versions: versions)
            groups.insert(group)
        }
        self.definitions = definitions
        self.groups = groups
    }

    /// The kinds known, as `group/Kind` sorted.
    public var kinds: [String] { definitions.keys.sorted() }

    /// Checks one manifest. Manifests of groups the catalog does not know are not checked (empty result).
    /// A known group with an unknown kind, an unknown or unserved version, or a schema violation is an error
    /// naming `file:line:col` and the JSON path.
    public func validate(_ document: YAMLDocument, file: String) -> [Diagnostic] {
        guard let root = document.root else { return [] }
        guard root.pairs != nil else { return [.error(file, root.start, "a manifest must be a mapping")] }
        guard let apiVersionNode = root["apiVersion"], let apiVersion = apiVersionNode.scalarValue else {
            return [.error(file, root.start, "missing required field `apiVersion`")]
        }
        guard let kindNode = root["kind"], let kind = kindNode.scalarValue else {
            return [.error(file, root.start, "missing required field `kind`")]
        }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, groups.contains(parts[0]) else { return [] }
        let (group, version) = (parts[0], parts[1])
        guard let definition = definitions["\(group)/\(kind)"] else {
            let known = definitions.values.filter { $0.group == group }.map(\.kind).sorted()
            return [
                .error(file, kindNode.start, "kind: unknown kind `\(kind)` in \(group)" + Suggestion.hint(kind, known))
            ]
        }
        let served = definition.versions.filter(\.version.served).map(\.name)
        guard let entry = definition.versions.first(where: { $0.name == version }) else {
            return [
                .error(
                    file, apiVersionNode.start,
                    "apiVersion: \(apiVersion) does not exist for \(kind) (served: "
                        + "\(served.map { "\(group)/\($0)" }.joined(separator: ", ")))"
                )
            ]
        }
        guard entry.version.served, let schema = entry.version.schema else {
            return [
                .error(
                    file, apiVersionNode.start,
                    "apiVersion: \(apiVersion) is not served for \(kind) (served: "
                        + "\(served.map { "\(group)/\($0)" }.joined(separator: ", ")))"
                )
            ]
        }
        var diagnostics: [Diagnostic] = []
        if root["metadata"]?["name"]?.scalarValue == nil {
            diagnostics.append(
                .error(file, (root["metadata"] ?? root).start, "metadata: missing required field `name`"))
        }
        diagnostics += SchemaValidator.validate(root, against: schema).map { $0.diagnostic(file: file) }
        return diagnostics
    }

    /// Checks every document of a YAML text.
    public func validate(text bytes: [UInt8], file: String) -> [Diagnostic] {
        do {
            return try YAML.parse(bytes, file: file).flatMap { validate($0, file: file) }
        } catch {
            return [InventoryLoader.yamlDiagnostic(error)]
        }
    }
}
