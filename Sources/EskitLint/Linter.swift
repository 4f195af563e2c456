import EskitCore
import EskitESO
import EskitManifests
import EskitScan
import EskitYAML

/// What `eskit lint` found in a set of files.
public struct LintReport: Sendable {
    public var problems: [LintProblem]
    public var files: Int
    public var documents: Int
    /// Problems hidden by an inline `eskit:allow <rule>` comment.
    public var suppressed: Int
    /// Files whose ESO CRDs the schema rule used instead of the built-in copy (empty: built-in or `--crds`).
    public var crdFiles: [String] = []

    public var errors: Int { problems.count { $0.severity == .error } }
    public var warnings: Int { problems.count { $0.severity == .warning } }
}

/// Options of one lint run.
public struct LintOptions: Sendable {
    /// Rules not run (`--disable`, `.eskit.yaml` `lint.disable`).
    public var disabled: Set<String> = []
    /// When set, only these rules run (`--rule`).
    public var only: Set<String>? = nil
    /// Service accounts allowed cluster-wide Secret access (`namespace/name`): ESO's controller by default.
    public var controllers: Set<String> = ["external-secrets/external-secrets"]
    /// CRDs the schema rule checks against (`--crds`); ESO's current CRDs by default.
    public var catalog: CRDCatalog = .builtIn
    /// ESO CRDs among the files linted (a repository that installs ESO with its CRDs) replace the built-in copy,
    /// unless `--crds` named others.
    public var crdsFromFiles = true

    public init() {}
}

/// Lints ESO manifests, the RBAC around them and the workloads that consume their Secrets, offline.
public enum Linter {
    public static func lint(_ files: [LintFile], options: LintOptions = LintOptions()) -> LintReport {
        var context = LintContext(files: files, options: options)
        for rule in LintRules.all where context.enabled(rule) {
            LintRules.check(rule, &context)
        }
        var kept: [LintProblem] = []
        var suppressed = 0
        for problem in Set(context.problems).sorted() {
            if context.allowed(problem) {
                suppressed += 1
            } else {
                kept.append(problem)
            }
        }
        return LintReport(
            problems: kept, files: files.count, documents: context.documents.count, suppressed: suppressed,
            crdFiles: context.crdFiles)
    }
}

/// Everything the rules read: the parsed documents, indexes by kind, and the problems found so far.
struct LintContext {
    let options: LintOptions
    let files: [LintFile]
    var documents: [LintDocument] = []
    var problems: [LintProblem] = []
    /// Problems found while reading (YAML syntax, apiVersion, schema), reported by their rules.
    var readProblems: [String: [LintProblem]] = [:]
    /// The kustomize builds each file belongs to (see `KustomizeNamespaces.roots`).
    var builds: [String: Set<String>] = [:]
    /// Documents without apiVersion / kind (Prometheus rule files, values files, kustomizations).
    var plainRoots: [(file: String, root: YAMLNode)] = []
    private var bytesByFile: [String: [UInt8]] = [:]
    /// The CRDs ESO objects are checked against.
    var catalog: CRDCatalog
    var crdFiles: [String] = []

    init(files: [LintFile], options: LintOptions) {
        self.options = options
        self.files = files
        catalog = options.catalog
        if options.crdsFromFiles {
            var crds: [(YAMLDocument, String)] = []
            let marker = Array("CustomResourceDefinition".utf8)
            for file in files where Self.isYAML(file.path) && file.bytes.firstRange(of: marker) != nil {
                for d in (try? YAML.parse(file.bytes, file: file.path)) ?? []
                where d.root?["kind"]?.scalarValue == "CustomResourceDefinition"
                    && d.root?["spec"]?["group"]?.scalarValue == ESO.group
                {
                    crds.append((d, file.path))
                }
            }
            if !crds.isEmpty, let found = try? CRDCatalog(documents: crds) {
                catalog = found
                crdFiles = Array(Set(crds.map(\.1))).sorted()
            }
        }
        let chartRoots = Set(
            files.compactMap { f -> String? in
                let name = f.path.split(separator: "/").last.map(String.init) ?? f.path
                return name == "Chart.yaml" ? KustomizeNamespaces.folder(of: f.path) : nil
            })
        let namespaces = KustomizeNamespaces(files)
        builds = KustomizeNamespaces.roots(files)
        for file in files {
            bytesByFile[file.path] = file.bytes
            guard Self.isYAML(file.path) else { continue }
            let inChart = Self.isChartTemplate(file.path, chartRoots: chartRoots)
            read(file, inChart: inChart, namespaces: namespaces)
        }
    }

    static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    /// `chart/templates/x.yaml` (at any depth below `templates/`) of a folder holding a `Chart.yaml`.
    static func isChartTemplate(_ path: String, chartRoots: Set<String>) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let t = parts.lastIndex(of: "templates") else { return false }
        let root = t == 0 ? "." : parts[..<t].joined(separator: "/")
        if chartRoots.contains(root) { return true }
        return FileSystem.isFile((root == "." ? "" : root + "/") + "Chart.yaml")
    }

    /// Whether two files can be deployed together: they share a kustomize build, or either is in none.
    func together(_ a: String, _ b: String) -> Bool {
        guard let x = builds[a], let y = builds[b] else { return true }
        return !x.isDisjoint(with: y)
    }

    func enabled(_ rule: LintRule) -> Bool {
        if options.disabled.contains(rule.id) { return false }
        if let only = options.only { return only.contains(rule.id) }
        return true
    }

    mutating func report(_ problem: LintProblem) { problems.append(problem) }

    // MARK: reading

    private mutating func read(_ file: LintFile, inChart: Bool, namespaces: KustomizeNamespaces) {
        var bytes = file.bytes
        var masked: [Range<Int>] = []
        if inChart {
            masked = HelmActions.find(bytes)
            bytes = HelmActions.mask(bytes, actions: masked)
        }
        let parsed: [YAMLDocument]
        do {
            parsed = try YAML.parse(bytes, file: file.path)
        } catch {
            var hint: String? = nil
            let line = lineText(file.path, error.position)
            if !inChart, line.contains("{{") {
                hint =
                    "Helm template syntax in a file Helm does not render: move it into a chart's templates/ or "
                    + "write the value"
            }
            readProblems["yaml-syntax", default: []].append(
                LintProblem(
                    LintRules.yamlSyntax,
                    at: SourceLocation(file: file.path, position: error.position), error.problem, hint: hint))
            return
        }
        for document in parsed {
            guard let root = document.root, root.pairs != nil else { continue }
            guard let apiVersion = root["apiVersion"]?.scalarValue, let kind = root["kind"]?.scalarValue else {
                plainRoots.append((file.path, root))
                continue
            }
            var name = root["metadata"]?["name"]?.scalarValue
            if inChart, let node = root["metadata"]?["name"],
                masked.contains(where: { $0.overlaps(node.span.byteRange) })
            {
                // `{{ .Release.Name }}-billing`: the template text, not its mask.
                name = String(decoding: file.bytes[node.span.byteRange], as: UTF8.self)
            }
            let namespace = root["metadata"]?["namespace"]?.scalarValue ?? namespaces.namespace(of: file.path)
            var doc = LintDocument(
                file: file.path, root: root, apiVersion: apiVersion, kind: kind, name: name, namespace: namespace,
                inChart: inChart, masked: masked, eso: nil)
            if doc.group == ESO.group, ESOReader.kinds.contains(kind) { readESO(&doc, document) }
            documents.append(doc)
        }
    }

    /// Reads an ESO document: an apiVersion ESO no longer serves is reported (with the bump as a fix) and the
    /// document is read as if bumped, so the other rules still see it; CRD schema problems are reported.
    private mutating func readESO(_ doc: inout LintDocument, _ document: YAMLDocument) {
        var root = doc.root
        let served = kindIsPush(doc.kind) ? ESO.pushAPIVersion : ESO.apiVersion
        if doc.apiVersion != served, let node = root["apiVersion"] {
            readProblems["eso-api-version", default: []].append(
                APIVersionRule.problem(doc, node: node, served: served, source: bytesByFile[doc.file]))
            root = Self.replacing(root, key: "apiVersion", with: served)
            if doc.apiVersion.hasSuffix("/v1alpha1") { root = Self.movingDataFrom(root) }
        }
        let catalogProblems = catalog.validate(YAMLDocument(root: root), file: doc.file)
        var diagnostics = catalogProblems
        let result = ESOReader.read(root, file: doc.file)
        if case .invalid(let found) = result, catalogProblems.isEmpty { diagnostics = found }
        if case .eso(let object) = result { doc.eso = object }
        for d in diagnostics where !doc.isMasked(d.location.position) {
            if doc.inChart, lineText(doc.file, d.location.position).contains("{{") { continue }
            // `labels:` followed by `{{- include … | nindent 4 }}`: filled in by Helm.
            if doc.inChart, d.message.hasSuffix("found null") { continue }
            readProblems["eso-schema", default: []].append(
                LintProblem(LintRules.esoSchema, at: d.location, d.message))
        }
    }

    private func kindIsPush(_ kind: String) -> Bool { kind.hasSuffix("PushSecret") }

    /// `root` with v1alpha1 `dataFrom: - key: …` entries read as `- extract: {key: …}` (what the fix writes), so
    /// the schema rule judges the bumped object, not the move.
    static func movingDataFrom(_ root: YAMLNode) -> YAMLNode {
        guard case .mapping(var pairs) = root.kind, let s = pairs.firstIndex(where: { $0.key.scalarValue == "spec" }),
            case .mapping(var spec) = pairs[s].value.kind,
            let d = spec.firstIndex(where: { $0.key.scalarValue == "dataFrom" }),
            case .sequence(let items) = spec[d].value.kind
        else { return root }
        let moved = items.map { item -> YAMLNode in
            guard APIVersionRule.isV1alpha1Entry(item) else { return item }
            var wrapper = item
            wrapper.kind = .mapping([
                YAMLPair(key: YAMLNode(kind: .scalar("extract", .plain), span: item.span), value: item)
            ])
            return wrapper
        }
        spec[d].value.kind = .sequence(moved)
        pairs[s].value.kind = .mapping(spec)
        var out = root
        out.kind = .mapping(pairs)
        return out
    }

    /// `root` with the scalar value of top-level `key` replaced (spans kept).
    static func replacing(_ root: YAMLNode, key: String, with value: String) -> YAMLNode {
        guard case .mapping(var pairs) = root.kind else { return root }
        for i in pairs.indices where pairs[i].key.scalarValue == key {
            var node = pairs[i].value
            node.kind = .scalar(value, .plain)
            pairs[i].value = node
        }
        var out = root
        out.kind = .mapping(pairs)
        return out
    }

    // MARK: text access

    func bytes(_ file: String) -> [UInt8] { bytesByFile[file] ?? [] }

    /// The text of the line holding `position` in `file` (the original bytes).
    func lineText(_ file: String, _ position: TextPosition) -> String {
        let bytes = bytesByFile[file] ?? []
        guard position.offset <= bytes.count else { return "" }
        var start = min(position.offset, bytes.count)
        while start > 0, bytes[start - 1] != 10 { start -= 1 }
        var end = min(position.offset, bytes.count)
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: suppression

    /// `# eskit:allow <rule>[, <rule>…]` (or `eskit:allow all`) on the problem's line or the line above it.
    func allowed(_ problem: LintProblem) -> Bool {
        let bytes = bytesByFile[problem.location.file] ?? []
        let offset = min(problem.location.position.offset, bytes.count)
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 10 { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
        var previousStart = lineStart > 0 ? lineStart - 1 : 0
        while previousStart > 0, bytes[previousStart - 1] != 10 { previousStart -= 1 }
        let text = String(decoding: bytes[previousStart..<lineEnd], as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let r = line.range(of: "eskit:allow") else { continue }
            let rest = line[r.upperBound...].split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            if rest.contains(where: { $0 == problem.ruleID || $0 == "all" }) { return true }
        }
        return false
    }
}

/// Plain file checks without Foundation's FileManager (which is slow to start).
enum FileSystem {
    static func isFile(_ path: String) -> Bool {
        (try? FileReader.read(path, limit: 1 << 20)).map { if case .bytes = $0 { true } else { false } } ?? false
    }
}
