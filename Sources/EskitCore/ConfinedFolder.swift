#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations confined to one folder: every path below it is opened component by component relative to
/// its parent, never following a symbolic link, so a link committed among generated files (or swapped in while
/// eskit runs) cannot redirect a write outside the folder. Writes are atomic (temporary file, fsync, rename in
/// the same folder). The folder can be locked against a concurrent eskit run.
public final class ConfinedFolder {
    public let path: String
    private let fd: Int32

    /// Opens `path` (which itself may be reached through links: it is the user's choice of root).
    public init(_ path: String) throws(FileError) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open folder", code: errno) }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The prefix of temporary files `AtomicFile` and this type create (`.<name>.tmp-XXXXXX`).
    public static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 13, bytes[0] == UInt8(ascii: "."),
            Array(bytes[(bytes.count - 11)..<(bytes.count - 6)])
                == Array(".tmp-".utf8)
        else { return false }
        return true
    }

    /// Takes an exclusive lock on the folder for this process's lifetime (or until `unlock`). When another run
    /// holds it, `waiting` is called once and the call blocks until the lock is free.
    public func lock(waiting: () -> Void) throws(FileError) {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw FileError(path: path, operation: "flock", code: errno) }
        waiting()
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw FileError(path: path, operation: "flock", code: errno) }
        }
    }

    public func unlock() { flock(fd, LOCK_UN) }

    func display(_ relative: String) -> String { path.isEmpty || path == "." ? relative : "\(path)/\(relative)" }

    /// Opens the folder at `relative` (components separated by `/`), creating missing ones when `create` is set.
    /// A component that is a symbolic link, or not a folder, is an error naming it. The caller closes the
    /// returned descriptor.
    public func openFolder(_ relative: String, create: Bool) throws(FileError) -> Int32 {
        var current = dup(fd)
        guard current >= 0 else { throw FileError(path: path, operation: "dup", code: errno) }
        var walked = ""
        for component in relative.split(separator: "/") where component != "." {
            walked += walked.isEmpty ? String(component) : "/\(component)"
            if component == ".." {
                close(current)
                throw FileError(path: display(walked), operation: "open (`..` leaves the output folder)", code: EPERM)
            }
            var next = openat(current, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(current, String(component), 0o755) != 0, errno != EEXIST {
                    let code = errno
                    close(current)
                    throw FileError(path: display(walked), operation: "mkdir", code: code)
                }
                next = openat(current, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                var st = stat()
                let isLink =
                    fstatat(current, String(component), &st, AT_SYMLINK_NOFOLLOW) == 0
                    && (st.st_mode & S_IFMT) == S_IFLNK
                close(current)
                throw FileError(
                    path: display(walked),
                    operation: isLink
                        ? "open (a symbolic link: eskit never writes through links)"
                        : "open folder",
                    code: isLink ? ELOOP : code)
            }
            close(current)
            current = next
        }
        return current
    }

    static func split(_ relative: String) -> (folder: String, name: String) {
        guard let slash = relative.lastIndex(of: "/") else { return ("", relative) }
        return (String(relative[..<slash]), String(relative[relative.index(after: slash)...]))
    }

    /// Writes `bytes` to `relative` atomically. An existing symbolic link there is an error naming it.
    public func write(_ bytes: [UInt8], to relative: String, mode: mode_t = 0o644, sync: Bool = true) throws(FileError)
    {
        let (folder, name) = Self.split(relative)
        let dir = try openFolder(folder, create: true)
        defer { close(dir) }
        try write(bytes, name: name, in: dir, shown: relative, mode: mode, sync: sync)
    }

    /// Writes `bytes` to the file `name` of a folder opened with `openFolder` (many files of one folder: the
    /// folder is walked to once), atomically. `shown` is the file's path below this folder, for errors.
    public func write(
        _ bytes: [UInt8], name: String, in dir: Int32, shown relative: String, mode: mode_t = 0o644,
        sync: Bool = true
    ) throws(FileError) {
        var st = stat()
        let exists = fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0
        if exists, (st.st_mode & S_IFMT) != S_IFREG {
            let what =
                (st.st_mode & S_IFMT) == S_IFLNK
                ? "a symbolic link: eskit never writes through links"
                : "not a regular file"
            throw FileError(path: display(relative), operation: "write (\(what))", code: EEXIST)
        }
        if !exists,
            try AtomicFile.linkNewFile(
                bytes, in: dir, folder: ".", name: name, shown: display(relative), mode: mode, sync: sync)
        {
            return
        }
        var tmp = ""
        var out: Int32 = -1
        for _ in 0..<16 {
            // One random number per name (each draw is a getrandom call), spelt in base 36.
            tmp = ".\(name).tmp-" + String(UInt64.random(in: 0..<2_176_782_336), radix: 36)
            out = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if out >= 0 || errno != EEXIST { break }
        }
        guard out >= 0 else {
            throw FileError(path: display(relative), operation: "create a temporary file", code: errno)
        }
        do throws(FileError) {
            try AtomicFile.writeAll(fd: out, bytes, path: display(relative))
            if fchmod(out, mode) != 0 { throw FileError(path: display(relative), operation: "chmod", code: errno) }
            if sync, fsync(out) != 0 { throw FileError(path: display(relative), operation: "fsync", code: errno) }
            if close(out) != 0 { throw FileError(path: display(relative), operation: "close", code: errno) }
            out = -1
            if renameat(dir, tmp, dir, name) != 0 {
                throw FileError(path: display(relative), operation: "rename", code: errno)
            }
        } catch {
            if out >= 0 { close(out) }
            unlinkat(dir, tmp, 0)
            throw error
        }
    }

    /// Removes the file at `relative` (a missing file is fine), then every folder it leaves empty up to (not
    /// including) the root.
    public func remove(_ relative: String) throws(FileError) {
        let (folder, name) = Self.split(relative)
        let dir = try openFolder(folder, create: false)
        let failed = unlinkat(dir, name, 0) != 0 && errno != ENOENT
        let code = errno
        close(dir)
        if failed { throw FileError(path: display(relative), operation: "unlink", code: code) }
        var parts = folder.split(separator: "/").map(String.init)
        while let last = parts.popLast() {
            guard let parent = try? openFolder(parts.joined(separator: "/"), create: false) else { break }
            let removed = unlinkat(parent, last, AT_REMOVEDIR) == 0
            close(parent)
            if !removed { break }
        }
    }

    /// Symbolic links and leftover temporary files (`.<name>.tmp-XXXXXX`) at or below `relative`, as paths
    /// relative to the root, sorted. Links are not followed.
    public func hazards(under relative: String) -> (links: [String], temporaries: [String]) {
        var links: [String] = []
        var temporaries: [String] = []
        // The folder itself and its ancestors below the root.
        var walked = ""
        var parent = dup(fd)
        for component in relative.split(separator: "/") where component != "." {
            let next = walked.isEmpty ? String(component) : "\(walked)/\(component)"
            var st = stat()
            if fstatat(parent, String(component), &st, AT_SYMLINK_NOFOLLOW) != 0 { close(parent); return ([], []) }
            if (st.st_mode & S_IFMT) == S_IFLNK { close(parent); return ([next], []) }
            let child = openat(parent, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(parent)
            guard child >= 0 else { return ([], []) }
            parent = child
            walked = next
        }
        func walk(_ dirFD: Int32, _ rel: String) {
            guard let dir = fdopendir(dirFD) else { close(dirFD); return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = rel.isEmpty ? name : "\(rel)/\(name)"
                // The entry's type from readdir when the file system gives it (one stat per file saved: the
                // output folders hold tens of thousands), else from fstatat.
                var mode: mode_t
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_LNK): mode = S_IFLNK
                case Int32(DT_DIR): mode = S_IFDIR
                case Int32(DT_REG): mode = S_IFREG
                default:
                    var st = stat()
                    guard fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                    mode = st.st_mode & S_IFMT
                }
                switch mode {
                case S_IFLNK: links.append(path)
                case S_IFDIR:
                    let child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if child >= 0 { walk(child, path) }
                case S_IFREG where Self.isTemporaryName(name): temporaries.append(path)
                default: break
                }
            }
        }
        walk(parent, walked)
        return (links.sorted(), temporaries.sorted())
    }
}
