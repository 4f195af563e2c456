public import EskitCore
import EskitYAML
import Foundation

/// The files `eskit lint PATH...` reads: every YAML file under each folder (hidden folders such as `.git` and
/// `node_modules` skipped, symlinks not followed), each file named, and what kustomizations among them reach
/// outside (`resources`, `components`, `patches`, `patchesStrategicMerge` with a local path).
public enum LintFiles {
    public static func collect(_ paths: [String]) throws(EskitError) -> [LintFile] {
        var ordered: [String] = []
        var seen: Set<String> = []
        func add(_ path: String) {
            let clean = normalise(path)
            if seen.insert(clean).inserted { ordered.append(clean) }
        }
        var folders: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EskitError(.io, "\(path): no such file or folder")
            }
            if isFolder.boolValue {
                folders.append(normalise(path))
                for file in walk(path) { add(file) }
            } else {
                add(path)
            }
        }
        // Follow kustomizations to what they include from outside the paths given.
        var queue = ordered.filter(KustomizeNamespaces.isKustomization)
        var visited: Set<String> = []
        while let k = queue.popLast() {
            guard visited.insert(k).inserted, let bytes = try? FileReader.input(k, what: "a kustomization"),
                let root = try? YAML.parse(bytes, file: k).first?.root
            else { continue }
            let folder = KustomizeNamespaces.folder(of: k)
            var refs: [String] = []
            for key in ["resources", "components", "patchesStrategicMerge"] {
                refs += (root[key]?.items ?? []).compactMap(\.scalarValue)
            }
            refs += (root["patches"]?.items ?? []).compactMap { $0["path"]?.scalarValue }
            for ref in refs where !ref.contains("://") && !ref.hasPrefix("github.com/") {
                let target = KustomizeNamespaces.join(folder, ref)
                guard !folders.contains(where: { target == $0 || target.hasPrefix($0 + "/") }) else { continue }
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue {
                    folders.append(target)
                    for file in walk(target) {
                        add(file)
                        if KustomizeNamespaces.isKustomization(file) { queue.append(normalise(file)) }
                    }
                } else {
                    add(target)
                }
            }
        }
        var files: [LintFile] = []
        for path in ordered {
            let bytes = try FileReader.input(path, what: "a manifest")
            files.append(LintFile(path: path, bytes: bytes))
        }
        return files
    }

    /// `./a/b/` → `a/b`; `a/../b` → `b`; absolute paths stay absolute.
    static func normalise(_ path: String) -> String { KustomizeNamespaces.join(".", path) }

    static let skippedFolders: Set<String> = ["node_modules", "vendor", ".git"]

    /// YAML files under `folder`, sorted, as `folder/relative`.
    static func walk(_ folder: String) -> [String] {
        var out: [String] = []
        func visit(_ dir: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() {
                let full = dir == "." ? name : dir + "/" + name
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                    let type = attributes[.type] as? FileAttributeType
                else { continue }
                if type == .typeDirectory {
                    if name.hasPrefix(".") || skippedFolders.contains(name) { continue }
                    visit(full)
                } else if type == .typeRegular, name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    out.append(full)
                }
            }
        }
        visit(normalise(folder))
        return out
    }
}
