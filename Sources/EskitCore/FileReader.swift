#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way eskit reads input files: regular files only (symlinks are not followed), with one size limit and
/// one binary rule. Scanned files, inventories, configuration, baselines and CRDs all come through here.
public enum FileReader {
    /// Files larger than this are not read (scans count them as skipped; other inputs are an error).
    public static let defaultSizeLimit = 10 << 20
    /// A NUL byte within this many leading bytes makes a file binary.
    public static let binarySniffLength = 8192

    /// What reading a file gave.
    public enum Contents: Sendable, Hashable {
        case bytes([UInt8])
        /// Larger than the limit: not read.
        case huge(size: Int)
        /// A folder, device, socket or symlink: not read.
        case notRegular
        case missing
    }

    /// True when `bytes` look binary: a NUL byte in the first `binarySniffLength` bytes.
    public static func looksBinary<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.prefix(binarySniffLength).contains(0)
    }

    /// Reads the regular file at `path` (a C path: exact bytes), or says why not. `shown` names it in errors.
    public static func read(
        cPath path: UnsafePointer<CChar>, shown: String,
        limit: Int = defaultSizeLimit
    ) throws(EskitError) -> Contents {
        try read(in: AT_FDCWD, name: path, shown: shown, limit: limit)
    }

    /// Reads the regular file `name` of the open folder `directory` (`AT_FDCWD`: the current folder), or says why
    /// not: how a path longer than `PATH_MAX` is read, relative to its parent folder. `shown` names it in errors.
    public static func read(
        in directory: Int32, name path: UnsafePointer<CChar>, shown: String,
        limit: Int = defaultSizeLimit
    ) throws(EskitError) -> Contents {
        var st = stat()
        guard fstatat(directory, path, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw EskitError(.io, "\(shown): cannot read", cause: "lstat: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
        if Int(st.st_size) > limit { return .huge(size: Int(st.st_size)) }
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            throw EskitError(.io, "\(shown): cannot read", cause: "open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // lstat's size plus one byte, read into an uninitialised buffer: a regular file's read comes back short
        // only at its end, so an unchanged file takes one read. A file that grew since lstat fills the buffer and
        // is read on through a small probe, within the limit (a probe rather than growing the array, which would
        // zero and copy it).
        var failure: Int32 = 0
        var atEnd = false
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(st.st_size) + 1) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0, errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 {
                    atEnd = true
                    break
                }
                count += n
                if count < buffer.count {
                    atEnd = true
                    break
                }
            }
        }
        if bytes.count > limit { bytes.removeLast(bytes.count - limit) }
        if failure == 0, !atEnd {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 << 10) { probe in
                while bytes.count < limit {
                    let n = systemRead(fd, probe.baseAddress!, min(probe.count, limit - bytes.count))
                    if n < 0, errno == EINTR { continue }
                    if n < 0 { failure = errno }
                    if n <= 0 { break }
                    bytes.append(contentsOf: probe[0..<n])
                }
            }
        }
        guard failure == 0 else {
            throw EskitError(.io, "\(shown): cannot read", cause: "read: \(String(cString: strerror(failure)))")
        }
        return .bytes(bytes)
    }

    /// Reads the regular file at `path`, or says why not.
    public static func read(_ path: String, limit: Int = defaultSizeLimit) throws(EskitError) -> Contents {
        let result = path.withCString { cPath in
            Result { () throws(EskitError) -> Contents in try read(cPath: cPath, shown: path, limit: limit) }
        }
        return try result.get()
    }

    /// An input file eskit needs (inventory, configuration, baseline, ignore file, CRD, credentials): its bytes, or
    /// one error that says what is wrong with it. `what` names the file's role in messages ("the inventory").
    /// Symlinks are followed and devices, FIFOs and process substitutions (`/dev/null`, `<(...)`) are read too
    /// (they are the user's own arguments); folders and files over `limit` are errors.
    public static func input(_ path: String, what: String, limit: Int = defaultSizeLimit) throws(EskitError) -> [UInt8]
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT {
                throw EskitError(.io, "\(path): no such file (\(what))", cause: String(cString: strerror(ENOENT)))
            }
            if errno == EISDIR { throw EskitError(.io, "\(path): is a folder, not a file (\(what))") }
            throw EskitError(.io, "\(path): cannot read (\(what))", cause: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw EskitError(.io, "\(path): is a folder, not a file (\(what))")
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw EskitError(.io, "\(path): cannot read (\(what))", cause: String(cString: strerror(errno)))
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit {
                throw EskitError(.io, "\(path): larger than the \(limit >> 20) MiB limit (\(what))")
            }
        }
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
