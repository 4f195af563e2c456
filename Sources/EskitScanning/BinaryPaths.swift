/// File names eskit never reads: archives (never opened), images, fonts, media and compiled objects. They are
/// counted as binary without being read; anything else is judged by its bytes (a NUL in the first 8 KiB).
enum BinaryPaths {
    static let extensions: Set<String> = [
        "7z", "a", "avi", "bin", "bmp", "bz2", "class", "dll", "dylib", "ear", "eot", "exe", "gif", "gz", "ico",
        "jar", "jpeg", "jpg", "lz4", "mov", "mp3", "mp4", "o", "otf", "pdf", "png", "pyc", "rar", "so", "tar", "tgz",
        "tiff", "ttf", "war", "wasm", "webm", "webp", "whl", "woff", "woff2", "xz", "zip", "zst",
    ]

    /// True when the path's extension (lower-cased) names a binary or archive format.
    static func isKnownBinary(_ path: String) -> Bool {
        guard let dot = path.utf8.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let ext = path.utf8[path.utf8.index(after: dot)...]
        guard !ext.isEmpty, ext.count <= 5, !ext.contains(UInt8(ascii: "/")) else { return false }
        return extensions.contains(String(decoding: ext, as: UTF8.self).lowercased())
    }
}
