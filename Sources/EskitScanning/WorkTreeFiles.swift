import EskitCore
import EskitGit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work-tree files for scanning: read through `FileReader` by their exact path bytes, listed recursively outside
/// a repository. Paths longer than `PATH_MAX` are walked and read folder by folder, each opened relative to its
/// parent (`openat`, never following a link), so depth never makes a file unreadable.
enum DiskReader {
    /// Reads the regular file `path` under `base` by its exact bytes (symlinks are not followed); a file larger
    /// than `limit` is not read. Errors name the path by its display form.
    static func read(_ path: GitPath, under base: String, limit: Int) throws(EskitError) -> FileReader.Contents {
        let shown = base == "." || base.isEmpty ? path.display : base + "/" + path.display
        return try path.withCString(under: base) { (cPath) throws(EskitError) -> FileReader.Contents in
            guard strlen(cPath) >= Int(PATH_MAX) else {
                return try FileReader.read(cPath: cPath, shown: shown, limit: limit)
            }
            return try readLong(path, under: base, shown: shown, limit: limit)
        }
    }

    /// A path too long for one system call: `base` opened as given, then each folder of `path` relative to its
    /// parent without following links (a link there is not followed: `.notRegular`), the file relative to the last.
    private static func readLong(
        _ path: GitPath, under base: String, shown: String, limit: Int
    ) throws(EskitError) -> FileReader.Contents {
        let components = path.bytes.split(separator: UInt8(ascii: "/")).filter { $0 != [UInt8(ascii: ".")] }
        guard let name = components.last else { return .missing }
        var fd = open(base.isEmpty ? "." : base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw EskitError(.io, "\(shown): cannot read", cause: "open \(base): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        for component in components.dropLast() {
            let next = GitPath(bytes: Array(component)).withCString(under: "") {
                openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                let code = errno
                if code == ENOENT { return .missing }
                if code == ELOOP || code == ENOTDIR { return .notRegular }
                throw EskitError(.io, "\(shown): cannot read", cause: "openat: \(String(cString: strerror(code)))")
            }
            close(fd)
            fd = next
        }
        let directory = fd
        return try GitPath(bytes: Array(name)).withCString(under: "") {
            (cName) throws(EskitError) -> FileReader.Contents in
            try FileReader.read(in: directory, name: cName, shown: shown, limit: limit)
        }
    }

    /// Every regular file under `folder`, relative to it, sorted, and every folder that could not be listed (named,
    /// with the reason: never skipped silently); `.git` folders are skipped and symlinks are not followed. A name
    /// that is not UTF-8 is listed as decoded (with U+FFFD), so that reading it fails visibly.
    ///
    /// Each folder is opened relative to its parent and the walk comes back up through `..` (checked to be the
    /// folder it came from, by device and inode), so it holds two descriptors at most and no path it passes to the
    /// system is longer than one name: trees deeper than `PATH_MAX` are listed whole. `skipFolder` (given a folder's
    /// path relative to `folder`) keeps the walk out of folders it returns true for.
    static func listFolder(
        _ folder: String, skipFolder: ((String) -> Bool)? = nil
    ) -> (files: [String], notRead: [String]) {
        var files: [String] = []
        var notRead: [String] = []
        let root = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            return ([], ["\(folder): cannot list the folder: \(String(cString: strerror(errno)))"])
        }
        defer { close(root) }
        var fd = dup(root)
        guard fd >= 0, let first = Listing(fd, relative: "", files: &files) else {
            if fd >= 0 { close(fd) }
            return ([], ["\(folder): cannot list the folder: \(String(cString: strerror(errno)))"])
        }
        var stack = [first]
        while let top = stack.last {
            guard top.next < top.folders.count else {
                stack.removeLast()
                guard let parent = stack.last else { break }
                if let up = reopen(parent, from: fd, root: root) {
                    close(fd)
                    fd = up
                } else {
                    // The folder was moved or removed while being walked: name what is left of the walk.
                    for frame in stack.reversed() {
                        for name in frame.folders[frame.next...] {
                            notRead.append("\(frame.child(name))/: the folder changed during the scan")
                        }
                    }
                    stack.removeAll()
                }
                continue
            }
            let name = top.folders[top.next]
            stack[stack.count - 1].next += 1
            let child = top.child(name)
            if let skipFolder, skipFolder(child) { continue }
            let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard sub >= 0 else {
                // Gone, or replaced by a file or a link (not followed) since it was listed: nothing to read.
                if errno == ENOENT || errno == ENOTDIR || errno == ELOOP { continue }
                notRead.append("\(child)/: cannot list the folder: \(String(cString: strerror(errno)))")
                continue
            }
            guard let frame = Listing(sub, relative: child, files: &files) else {
                notRead.append("\(child)/: cannot list the folder: \(String(cString: strerror(errno)))")
                close(sub)
                continue
            }
            close(fd)
            fd = sub
            stack.append(frame)
        }
        close(fd)
        return (files.sorted(), notRead.sorted())
    }

    /// `frame`'s folder, opened through `..` from its child `fd`, or from `root` name by name when `..` is not the
    /// folder listed (it was moved); nil when neither is.
    private static func reopen(_ frame: Listing, from fd: Int32, root: Int32) -> Int32? {
        let up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if up >= 0, frame.isSame(up) { return up }
        if up >= 0 { close(up) }
        var current = dup(root)
        for name in frame.relative.split(separator: "/") where current >= 0 {
            let next = openat(current, String(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(current)
            current = next
        }
        guard current >= 0 else { return nil }
        if frame.isSame(current) { return current }
        close(current)
        return nil
    }

}

/// One folder of `DiskReader.listFolder`'s walk: its subfolders to visit (its files are listed when it is read)
/// and its identity, to check the way back up.
private struct Listing {
    let relative: String
    let folders: [String]
    var next = 0
    private let device: UInt64
    private let inode: UInt64

    /// Reads the folder open as `fd` (which stays open): regular files go to `files`, subfolders to `folders`.
    /// Nil when it cannot be read (errno says why).
    init?(_ fd: Int32, relative: String, files: inout [String]) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let copy = dup(fd)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        var folders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || name == ".git" { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var entryStat = stat()
                guard fstatat(fd, name, &entryStat, AT_SYMLINK_NOFOLLOW) == 0 else {
                    files.append(child)
                    continue
                }
                switch entryStat.st_mode & S_IFMT {
                case S_IFDIR: type = Int32(DT_DIR)
                case S_IFREG: type = Int32(DT_REG)
                default: continue
                }
            }
            if type == Int32(DT_DIR) {
                if name.unicodeScalars.contains("\u{FFFD}") {
                    files.append(child)
                } else {
                    folders.append(name)
                }
            } else if type == Int32(DT_REG) {
                files.append(child)
            }
        }
        self.relative = relative
        self.folders = folders
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    func child(_ name: String) -> String { relative.isEmpty ? name : relative + "/" + name }

    /// True when `fd` is this folder.
    func isSame(_ fd: Int32) -> Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }
}

extension DiskReader {
    /// All of standard input.
    public static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}
