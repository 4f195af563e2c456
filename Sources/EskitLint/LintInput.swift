import EskitCore
import EskitESO
import EskitYAML
import Foundation

/// One file given to the linter: its path as reported and its bytes.
public struct LintFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }
}

/// One YAML document of a linted file, with what the rules ask of every object.
struct LintDocument {
    var file: String
    var root: YAMLNode
    var apiVersion: String
    var kind: String
    var name: String?
    /// `metadata.namespace`, else the `namespace:` of a kustomization that lists the file; nil when unknown.
    var namespace: String?
    /// True when the file is a Helm chart template (Helm renders it before Kubernetes sees it).
    var inChart: Bool
    /// Byte ranges of Helm actions (`{{ … }}`) masked out before parsing a chart template.
    var masked: [Range<Int>]
    /// The typed ESO object, when the document is one the model reads (after an apiVersion bump, when needed).
    var eso: ReadObject?

    var group: String { apiVersion.split(separator: "/").count == 2 ? String(apiVersion.split(separator: "/")[0]) : "" }
    var isMasked: (TextPosition) -> Bool {
        { position in masked.contains { $0.contains(position.offset) } }
    }

    func location(_ node: YAMLNode?) -> SourceLocation {
        SourceLocation(file: file, position: (node ?? root).start)
    }

    /// `Kind namespace/name` (or `Kind name`) for messages.
    var display: String {
        "\(kind) " + (namespace.map { "\($0)/" } ?? "") + (name ?? "(unnamed)")
    }
}

/// Helm template actions in chart templates: found (skipping quoted strings inside an action, so
/// `{{ "{{ .x }}" }}` is one action) and masked with bytes of the same length, so the rest parses as YAML with
/// every position unchanged.
enum HelmActions {
    /// Ranges of every `{{ … }}` action of `bytes`.
    static func find(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        let n = bytes.count
        while i + 1 < n {
            guard bytes[i] == 123, bytes[i + 1] == 123 else { i += 1; continue }
            let start = i
            var j = i + 2
            var closed = false
            while j + 1 < n {
                let b = bytes[j]
                if b == 34 || b == 96 {  // "…" or `…` string inside the action
                    var k = j + 1
                    while k < n, bytes[k] != b {
                        if b == 34, bytes[k] == 92 { k += 1 }
                        k += 1
                    }
                    j = k + 1
                    continue
                }
                if b == 125, bytes[j + 1] == 125 {
                    closed = true
                    break
                }
                j += 1
            }
            guard closed else { break }
            out.append(start..<(j + 2))
            i = j + 2
        }
        return out
    }

    /// `bytes` with each action replaced: by spaces when its line holds only actions (control flow such as
    /// `{{- if .Values.x }}`), otherwise by `x` (a value such as `{{ .Values.name }}`). Newlines are kept.
    static func mask(_ bytes: [UInt8], actions: [Range<Int>]) -> [UInt8] {
        var out = bytes
        for range in actions {
            var lineStart = range.lowerBound
            while lineStart > 0, bytes[lineStart - 1] != 10 { lineStart -= 1 }
            var lineEnd = range.upperBound
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            var alone = true
            var k = lineStart
            while k < lineEnd {
                if let a = actions.first(where: { $0.contains(k) }) {
                    k = a.upperBound
                    continue
                }
                if bytes[k] != 32, bytes[k] != 9, bytes[k] != 13 {
                    alone = false
                    break
                }
                k += 1
            }
            for p in range where bytes[p] != 10 { out[p] = alone ? 32 : 120 }
        }
        return out
    }

    /// The first identifier path of an action (`.Values.x` → `Values`; `.password | b64dec` → `password`), when
    /// the action starts with a field reference; nil for functions, variables and control flow.
    static func firstField(_ action: String) -> String? {
        var body = Substring(action.dropFirst(2).dropLast(2))
        if body.hasPrefix("-") { body = body.dropFirst() }
        if body.hasSuffix("-") { body = body.dropLast() }
        body = body.drop { $0 == " " || $0 == "\t" }
        guard body.hasPrefix("."), body.count > 1 else { return nil }
        let name = body.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}

/// Where `kustomization.yaml` files set a namespace for the resources they list.
struct KustomizeNamespaces {
    private var byFile: [String: String] = [:]

    init(_ files: [LintFile]) {
        for file in files where Self.isKustomization(file.path) {
            guard let doc = try? YAML.parse(file.bytes, file: file.path).first?.root,
                let namespace = doc["namespace"]?.scalarValue
            else { continue }
            let folder = Self.folder(of: file.path)
            for key in ["resources", "components", "patchesStrategicMerge"] {
                for item in doc[key]?.items ?? [] {
                    guard let rel = item.scalarValue else { continue }
                    byFile[Self.join(folder, rel)] = namespace
                }
            }
            // A kustomization's own folder: files beside it that it does not list are rare; listed ones win.
            byFile["\(folder)/*", default: namespace] = namespace
        }
    }

    /// For each file a kustomization reaches: the root kustomizations (those no other includes) that build it.
    /// Two files with disjoint roots are deployed separately (an environment's overlay each), so the same name in
    /// both is no conflict. Files no kustomization reaches have no entry.
    static func roots(_ files: [LintFile]) -> [String: Set<String>] {
        var includes: [String: [String]] = [:]
        let paths = Set(files.map(\.path))
        let kustomizations = files.filter { isKustomization($0.path) }
        let byFolder = Dictionary(
            kustomizations.map { (folder(of: $0.path), $0.path) }, uniquingKeysWith: { a, _ in a })
        for file in kustomizations {
            guard let doc = try? YAML.parse(file.bytes, file: file.path).first?.root else { continue }
            let here = folder(of: file.path)
            var refs: [String] = []
            for key in ["resources", "components", "patchesStrategicMerge"] {
                refs += (doc[key]?.items ?? []).compactMap(\.scalarValue)
            }
            refs += (doc["patches"]?.items ?? []).compactMap { $0["path"]?.scalarValue }
            includes[file.path] = refs.compactMap { ref in
                let target = join(here, ref)
                if paths.contains(target) { return target }
                return byFolder[target]
            }
        }
        let included = Set(includes.values.flatMap { $0 })
        var out: [String: Set<String>] = [:]
        for root in kustomizations.map(\.path) where !included.contains(root) {
            var stack = [root]
            var seen: Set<String> = []
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                out[next, default: []].insert(root)
                stack += includes[next] ?? []
            }
        }
        return out
    }

    func namespace(of path: String) -> String? {
        if let ns = byFile[path] { return ns }
        var folder = Self.folder(of: path)
        while true {
            if let ns = byFile[folder] { return ns }
            if let ns = byFile["\(folder)/*"] { return ns }
            guard let cut = folder.lastIndex(of: "/") else { return nil }
            folder = String(folder[..<cut])
        }
    }

    static func isKustomization(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization"
    }

    static func folder(of path: String) -> String {
        guard let cut = path.lastIndex(of: "/") else { return "." }
        return String(path[..<cut])
    }

    /// `folder/rel`, normalised (`a/b/../c` → `a/c`), without a trailing slash.
    static func join(_ folder: String, _ rel: String) -> String {
        if rel.hasPrefix("/") { return join("/", String(rel.dropFirst())) }
        let absolute = folder.hasPrefix("/")
        var parts = folder == "." ? [] : folder.split(separator: "/").map(String.init)
        for part in rel.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        if absolute { return "/" + parts.joined(separator: "/") }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
