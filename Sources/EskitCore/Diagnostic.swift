/// A problem found in an input file: where (`file:line:col`), how bad, and a ready message.
///
/// `description` reads like a compiler diagnostic: `eskit.yaml:12:5: error: unknown field ...`.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Level: String, Sendable, Hashable {
        case error, warning
    }

    public var level: Level
    public var location: SourceLocation
    public var message: String

    public init(_ level: Level, at location: SourceLocation, _ message: String) {
        self.level = level
        self.location = location
        self.message = message
    }

    public static func error(_ file: String, _ position: TextPosition, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: SourceLocation(file: file, position: position), message)
    }

    public static func warning(_ file: String, _ position: TextPosition, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: SourceLocation(file: file, position: position), message)
    }

    public var isError: Bool { level == .error }

    public var description: String { "\(location): \(level.rawValue): \(message)" }

    /// Sorted by file, then position, then message.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.location.file != b.location.file { return a.location.file < b.location.file }
        if a.location.position.line != b.location.position.line {
            return a.location.position.line < b.location.position.line
        }
        if a.location.position.column != b.location.position.column {
            return a.location.position.column < b.location.position.column
        }
        return a.message < b.message
    }
}

/// A non-empty list of diagnostics that stops a command (at least one is an error).
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
