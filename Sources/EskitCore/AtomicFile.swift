#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from the file system, naming the call and the path.
public struct FileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var operation: String
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(path): \(reason)" }

    /// What failed and why, without the path (`open failed: Is a directory`), for messages that name it already.
    public var reason: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

/// Whole-file writes that never leave a half-written file behind.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, then rename over the
    /// target. A symlink to a regular file is replaced itself, so a link planted among outputs never redirects the
    /// write. A target that is not a regular file, directly or through symlinks (a FIFO, a device, a terminal), is
    /// written in place instead, never replaced; `/dev/stdout`, `/dev/fd/N` and `/proc/self/fd/N` are written to the
    /// open descriptor, whatever it refers to. Parent folders are created when `createFolders` is set. `sync: false`
    /// skips the per-file fsync (still atomic; for callers writing many files that sync the file system once after).
    public static func write<C: Collection>(
        _ bytes: C, to path: String, mode: mode_t = 0o644,
        createFolders: Bool = false, sync: Bool = true
    ) throws(FileError) where C.Element == UInt8 {
        let data = Array(bytes)
        switch destination(of: path) {
        case .descriptor(let fd):
            try writeAll(fd: fd, data, path: path)
            return
        case .inPlace:
            try writeInPlace(data, to: path)
            return
        case .replace(let exists):
            let folder = parentFolder(of: path)
            if createFolders { try makeFolders(folder) }
            if !exists,
                try linkNewFile(
                    data, in: AT_FDCWD, folder: folder, name: path, shown: path, mode: mode, sync: sync)
            {
                return
            }
        }
        let folder = parentFolder(of: path)
        var template = Array("\(folder)/.\(baseName(of: path)).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw FileError(path: path, operation: "create a temporary file in \(folder)", code: errno)
        }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do throws(FileError) {
            try writeAll(fd: fd, data, path: path)
            if sync, fsync(fd) != 0 { throw FileError(path: path, operation: "fsync", code: errno) }
            if fchmod(fd, mode) != 0 { throw FileError(path: path, operation: "chmod", code: errno) }
            if close(fd) != 0 { throw FileError(path: path, operation: "close", code: errno) }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        if rename(tmp, path) != 0 {
            let code = errno
            unlink(tmp)
            throw FileError(path: path, operation: "rename", code: code)
        }
    }

    /// Writes a string as UTF-8 (see `write(_:to:mode:createFolders:)`).
    public static func write(
        _ text: String, to path: String, mode: mode_t = 0o644,
        createFolders: Bool = false, sync: Bool = true
    ) throws(FileError) {
        try write(Array(text.utf8), to: path, mode: mode, createFolders: createFolders, sync: sync)
    }

    /// Creates `folder` and its parents; an existing folder is fine.
    public static func makeFolders(_ folder: String) throws(FileError) {
        if folder.isEmpty || folder == "." || folder == "/" { return }
        var st = stat()
        if stat(folder, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw FileError(path: folder, operation: "mkdir (a file is in the way)", code: ENOTDIR)
        }
        try makeFolders(parentFolder(of: folder))
        if mkdir(folder, 0o755) != 0, errno != EEXIST { throw FileError(path: folder, operation: "mkdir", code: errno) }
    }

    private enum Destination: Equatable {
        /// An open descriptor of this process (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`): written at its offset.
        case descriptor(Int32)
        /// A device, FIFO, socket or other non-regular file: opened and written, never replaced.
        case inPlace
        /// A regular file, a symlink ending at one, or a path that does not exist yet: replaced atomically.
        case replace(exists: Bool)
    }

    /// Follows symlinks one hop at a time (at most 40) to see what the path ends at. A hop into `/proc` (as
    /// `/dev/stdout` takes) never leads to a rename: that would replace the device link with a regular file.
    private static func destination(of path: String) -> Destination {
        var current = path
        var st = stat()
        // The common case, a new or regular file, needs no path resolution (bulk writers call this per file).
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return .replace(exists: false) }
        } else if (st.st_mode & S_IFMT) == S_IFREG {
            return .replace(exists: true)
        }
        for _ in 0..<40 {
            let parent = canonical(parentFolder(of: current))
            let name = baseName(of: current)
            if parent == "/proc" || parent.hasPrefix("/proc/") {
                let own = "/proc/\(getpid())/fd"
                if parent == own || parent == "/proc/self/fd", let fd = Int32(name), fd >= 0 { return .descriptor(fd) }
                return .inPlace
            }
            current = parent == "/" ? "/" + name : parent + "/" + name
            guard lstat(current, &st) == 0 else { return .replace(exists: false) }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .replace(exists: true)
            case S_IFLNK:
                guard let link = readLink(current) else { return .inPlace }
                current = link.hasPrefix("/") ? link : parent + "/" + link
            default: return .inPlace
            }
        }
        return .inPlace
    }

    #if os(Linux) && (arch(x86_64) || arch(i386))
    private static let openTmpFile: Int32 = 0o20_200_000  // O_TMPFILE (__O_TMPFILE | O_DIRECTORY)
    #elseif os(Linux) && arch(arm64)
    private static let openTmpFile: Int32 = 0o20_040_000
    #else
    private static let openTmpFile: Int32 = 0
    #endif

    /// A new file: written as an unnamed file (O_TMPFILE) in `folder` (relative to the open folder `dir`, or
    /// `AT_FDCWD`), then linked in as `name` (relative to `dir`) once complete: atomic like a rename, with no
    /// temporary name to draw, rename or leave behind after a crash. False when the file system cannot do it, or
    /// the name appeared meanwhile (`linkat` never replaces anything, links included): the caller then takes the
    /// temporary-file-and-rename path. `shown` names the file in errors.
    static func linkNewFile(
        _ data: [UInt8], in dir: Int32, folder: String, name: String, shown: String, mode: mode_t, sync: Bool
    ) throws(FileError) -> Bool {
        guard openTmpFile != 0 else { return false }
        let fd = openat(dir, folder, openTmpFile | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        try writeAll(fd: fd, data, path: shown)
        if sync, fsync(fd) != 0 { throw FileError(path: shown, operation: "fsync", code: errno) }
        if fchmod(fd, mode) != 0 { throw FileError(path: shown, operation: "chmod", code: errno) }
        return linkat(AT_FDCWD, "/proc/self/fd/\(fd)", dir, name, AT_SYMLINK_FOLLOW) == 0
    }

    private static func canonical(_ folder: String) -> String {
        guard let resolved = realpath(folder, nil) else { return folder }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func writeInPlace(_ data: [UInt8], to path: String) throws(FileError) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        try writeAll(fd: fd, data, path: path)
    }

    static func writeAll(fd: Int32, _ data: [UInt8], path: String) throws(FileError) {
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, data.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "write", code: errno)
            }
            written += n
        }
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
