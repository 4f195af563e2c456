import Foundation

/// Tools and folders some tests need but a machine may lack; tests use these in `.enabled(if:_:)` traits, so a
/// run without them reports those tests as skipped with the reason.
public enum OptionalTools {
    /// The first executable `name` on `PATH`, or nil.
    public static func executable(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// ESO's CRDs in `../shared/eso-crds`, or nil when that folder is absent.
    public static let esoCRDs: URL? = Fixtures.shared("eso-crds")
}
