/// A path as git stores it: its exact bytes (to open the file on disk) and a form to show.
public struct GitPath: Sendable, Hashable, Comparable {
    /// The exact bytes of the path, without a terminating NUL.
    public let bytes: [UInt8]
    /// The path as text: its UTF-8, with each byte that is not part of valid UTF-8 written as `\xNN`.
    public let display: String

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        display = Self.display(bytes)
    }

    public init(_ path: String) {
        self.init(bytes: Array(path.utf8))
    }

    /// Whether the bytes are valid UTF-8 (then `display` is exactly the path).
    public var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// Calls `body` with the path as a NUL-terminated C string, relative to `base` ("" or "." for none).
    public func withCString<R, E: Error>(
        under base: String, _ body: (UnsafePointer<CChar>) throws(E) -> R
    ) throws(E) -> R {
        var full: [UInt8] = base.isEmpty || base == "." ? [] : Array(base.utf8) + [UInt8(ascii: "/")]
        full += bytes
        full.append(0)
        var result: Result<R, E>?
        full.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                do throws(E) { result = .success(try body(chars.baseAddress!)) } catch { result = .failure(error) }
            }
        }
        return try result!.get()
    }

    public static func < (a: GitPath, b: GitPath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public static func == (a: GitPath, b: GitPath) -> Bool { a.bytes == b.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    private static func display(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var out = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var index = 0
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                out.append(Unicode.UTF8.decode(encoded))
                index += encoded.count
            case .error(let length):
                for byte in bytes[index..<index + length] {
                    out.append(contentsOf: ["\\", "x", hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                index += length
            case .emptyInput:
                break loop
            }
        }
        return String(out)
    }
}
