import EskitGit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read from disk for scanning, or why it was not.
enum DiskFile {
    case bytes([UInt8])
    case huge
    case notRegular
    case missing
}

enum DiskReader {
    /// Reads the regular file `path` under `base` by its exact bytes (symlinks are not followed); a file larger
    /// than `limit` is not read. Errors name the path by its display form.
    static func read(_ path: GitPath, under base: String, limit: Int) throws(ScanCommandError) -> DiskFile {
        let shown = base == "." || base.isEmpty ? path.display : base + "/" + path.display
        return try path.withCString(under: base) { (cPath) throws(ScanCommandError) -> DiskFile in
            try read(cPath, shown: shown, limit: limit)
        }
    }

    private static func read(_ path: UnsafePointer<CChar>, shown: String, limit: Int) throws(ScanCommandError) -> DiskFile {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw ScanCommandError("\(shown): lstat failed: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
        if Int(st.st_size) > limit { return .huge }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanCommandError("\(shown): open failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ScanCommandError("\(shown): read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { bytes.removeLast(bytes.count - done); break }
            done += n
        }
        return .bytes(bytes)
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
                if name.unicodeScalars.contains("\u{FFFD}") { files.append(child) } else { walk(full, relative: child, into: &files) }
            } else if type == Int32(DT_REG) {
                files.append(child)
            }
        }
    }

    /// All of standard input.
    static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
