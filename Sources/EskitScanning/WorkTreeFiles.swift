import EskitCore
import EskitGit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work-tree files for scanning: read through `FileReader` by their exact path bytes, listed recursively outside
/// a repository.
enum DiskReader {
    /// Reads the regular file `path` under `base` by its exact bytes (symlinks are not followed); a file larger
    /// than `limit` is not read. Errors name the path by its display form.
    static func read(_ path: GitPath, under base: String, limit: Int) throws(EskitError) -> FileReader.Contents {
        let shown = base == "." || base.isEmpty ? path.display : base + "/" + path.display
        return try path.withCString(under: base) { (cPath) throws(EskitError) -> FileReader.Contents in
            try FileReader.read(cPath: cPath, shown: shown, limit: limit)
        }
    }

    /// Every regular file under `folder`, relative to it, sorted; `.git` folders are skipped and symlinks are not
    /// followed. A name that is not UTF-8 is listed as decoded (with U+FFFD), so that reading it fails visibly.
    static func listFolder(_ folder: String) -> [String] {
        var files: [String] = []
        walk(folder, relative: "", into: &files)
        return files.sorted()
    }

    private static func walk(_ path: String, relative: String, into files: inout [String]) {
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || name == ".git" { continue }
            let full = path + "/" + name
            let child = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var st = stat()
                guard lstat(full, &st) == 0 else {
                    files.append(child)
                    continue
                }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: type = Int32(DT_DIR)
                case S_IFREG: type = Int32(DT_REG)
                default: continue
                }
            }
            if type == Int32(DT_DIR) {
                if name.unicodeScalars.contains("\u{FFFD}") {
                    files.append(child)
                } else {
                    walk(full, relative: child, into: &files)
                }
            } else if type == Int32(DT_REG) {
                files.append(child)
            }
        }
    }

    /// All of standard input.
    public static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}
