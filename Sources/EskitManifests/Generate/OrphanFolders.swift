import Foundation

/// Finds output folders left behind by environments that are no longer in the inventory (removed or renamed).
///
/// A candidate is a folder shaped like a configured output with one path component replaced: a sibling of
/// `out/staging` (`out/old`), or, for `deploy/staging/secrets`, `deploy/old/secrets`. It counts as an old output
/// only when its `kustomization.yaml` starts with this inventory's exact header, it is never inside, or a parent
/// of, a configured output, and no folder on its way holds a file named like the inventory (another inventory of
/// the same name, whose outputs carry the same header).
enum OrphanFolders {
    static func find(root: String, outputs: [String], header: String, inventoryName: String) -> [String] {
        var found = Set<String>()
        var listed: [String: [String]] = [:]
        for output in outputs {
            let parts = output.split(separator: "/").map(String.init)
            for i in parts.indices {
                let parent = parts[..<i].joined(separator: "/")
                let children = listed[parent] ?? subfolders(OutputSync.join(root, parent.isEmpty ? "." : parent))
                listed[parent] = children
                for child in children where child != parts[i] {
                    let candidate = (parts[..<i] + [child] + parts[(i + 1)...]).joined(separator: "/")
                    if found.contains(candidate) || overlaps(candidate, outputs) { continue }
                    if belongsToAnotherInventory(root: root, candidate, inventoryName) { continue }
                    if startsWith(OutputSync.join(root, candidate + "/kustomization.yaml"), header) {
                        found.insert(candidate)
                    }
                }
            }
        }
        return found.sorted()
    }

    static func belongsToAnotherInventory(root: String, _ folder: String, _ inventoryName: String) -> Bool {
        var prefix = ""
        for part in folder.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/\(part)"
            if access(OutputSync.join(root, "\(prefix)/\(inventoryName)"), F_OK) == 0 { return true }
        }
        return false
    }

    static func overlaps(_ folder: String, _ outputs: [String]) -> Bool {
        outputs.contains { $0 == folder || $0.hasPrefix(folder + "/") || folder.hasPrefix($0 + "/") }
    }

    /// The names of the folders directly inside `path` (symbolic links are not followed; hidden folders skipped).
    static func subfolders(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): out.append(name)
            case Int32(DT_UNKNOWN):
                var st = stat()
                if lstat("\(path)/\(name)", &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { out.append(name) }
            default: continue
            }
        }
        return out.sorted()
    }

    /// True when the regular file at `path` begins with `prefix`.
    static func startsWith(_ path: String, _ prefix: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let want = Array(prefix.utf8)
        var got = [UInt8](repeating: 0, count: want.count)
        var n = 0
        while n < want.count {
            let r = got.withUnsafeMutableBytes { read(fd, $0.baseAddress! + n, want.count - n) }
            if r < 0, errno == EINTR { continue }
            if r <= 0 { break }
            n += r
        }
        return n == want.count && got == want
    }
}
