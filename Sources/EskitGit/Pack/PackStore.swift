import Foundation

/// Every pack of a repository's object database and of its alternates (`objects/info/alternates`, followed like
/// git does, up to five levels), for reading pack entries directly. Loose objects are not here: callers read
/// what `locate` does not find through libgit2.
final class PackStore: @unchecked Sendable {
    let packs: [PackFile]
    /// Packs whose index or header could not be read (skipped; their objects are read through libgit2).
    let unreadable: [String]

    init(objectsDirectory: String) {
        var packs: [PackFile] = []
        var unreadable: [String] = []
        var seen = Set<String>()
        var folders = [(objectsDirectory, 0)]
        while let (folder, depth) = folders.popLast() {
            let canonical = (folder as NSString).standardizingPath
            guard seen.insert(canonical).inserted else { continue }
            let packFolder = canonical + "/pack"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: packFolder)) ?? []).sorted()
            for name in names where name.hasSuffix(".idx") {
                let stem = packFolder + "/" + name.dropLast(4)
                if let pack = PackFile(packPath: stem + ".pack", indexPath: stem + ".idx") {
                    packs.append(pack)
                } else {
                    unreadable.append(stem + ".pack")
                }
            }
            let alternates = canonical + "/info/alternates"
            guard depth < 5, let text = try? String(contentsOfFile: alternates, encoding: .utf8) else { continue }
            for line in text.split(whereSeparator: \.isNewline) {
                let entry = line.trimmingCharacters(in: .whitespaces)
                guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
                folders.append((entry.hasPrefix("/") ? entry : canonical + "/" + entry, depth + 1))
            }
        }
        self.packs = packs
        self.unreadable = unreadable
    }

    /// The pack and entry offset holding `id`, searching packs in order; nil when no pack holds it.
    func locate(_ id: GitObjectID) -> (pack: Int, offset: Int)? {
        for (i, pack) in packs.enumerated() {
            if let offset = pack.index.offset(of: id) { return (i, offset) }
        }
        return nil
    }
}
