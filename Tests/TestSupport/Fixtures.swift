import Foundation

/// Locates the repository's folders from a test file.
public enum Fixtures {
    /// The package root (the folder holding Package.swift), found from this source file.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `fixtures/<relative>`.
    public static func url(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("fixtures").appendingPathComponent(relative)
    }

    /// The contents of `fixtures/<relative>`.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(relative)))
    }

    /// `../shared/<relative>` beside the repository, or nil when that folder is absent (tests then skip, saying so).
    public static func shared(_ relative: String) -> URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(
            relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A fresh temporary folder, removed by the caller (or left for the OS).
    public static func temporaryFolder(_ prefix: String = "eskit-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `eskit` binary (CLI tests): `.build/debug/eskit` or `ESKIT_BIN`.
    public static var eskitBinary: URL {
        if let path = ProcessInfo.processInfo.environment["ESKIT_BIN"] { return URL(fileURLWithPath: path) }
        let buildDir = ProcessInfo.processInfo.environment["ESKIT_BUILD_DIR"] ?? ".build/debug"
        return packageRoot.appendingPathComponent(buildDir).appendingPathComponent("eskit")
    }

    /// `eskit-providers`, built beside `eskitBinary` (the provider clients `eskit validate` / `migrate` run in).
    public static var providersBinary: URL {
        eskitBinary.deletingLastPathComponent().appendingPathComponent("eskit-providers")
    }
}
