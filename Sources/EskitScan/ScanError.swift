public import EskitCore

/// Errors of the scan module. Messages name the file and position and never contain a scanned value.
public enum ScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A configuration, ignore or baseline file is invalid at a position.
    case invalid(SourceLocation, String)
    /// A rule id in `disabledRules` / `enabledRules` names no built-in or custom rule.
    case unknownRule(String)
    /// A file could not be read or written.
    case io(path: String, String)
    /// A custom rule or value allowlist entry built in code is invalid (bad pattern, missing keywords).
    case invalidRule(id: String, String)

    public var description: String {
        switch self {
        case .invalid(let location, let message): return "\(location): error: \(message)"
        case .unknownRule(let id): return "error: unknown rule id '\(id)' (neither a built-in nor a custom rule)"
        case .io(let path, let message): return "\(path): error: \(message)"
        case .invalidRule(let id, let message): return "error: rule '\(id)': \(message)"
        }
    }
}
