/// The one error a command ends with: what went wrong, the underlying cause (a failing call and its message), and
/// what to do. Every module's own error converts to it at the command's edge (`EskitErrorConvertible`); the
/// command line renders it one way and maps it to one exit status. Messages never hold a secret value.
public struct EskitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, which decides the exit status.
    public enum Kind: String, Sendable, Hashable {
        /// Bad flags or arguments.
        case usage
        /// An input file is wrong (inventory, manifest, configuration, baseline): `diagnostics` say where.
        case input
        /// Reading or writing the file system failed.
        case io
        /// A repository could not be read.
        case repository
        /// A provider could not be reached or refused the credentials.
        case provider
        /// The run could not look at everything it was asked to (see `--allow-incomplete`).
        case incomplete
    }

    public var kind: Kind
    /// One line, without the `eskit: ` prefix.
    public var message: String
    /// The underlying failure (a C call and its message, errno text), if any.
    public var cause: String?
    /// What to do about it, if eskit can tell.
    public var hint: String?
    /// Problems at `file:line:col`, each printed on its own line before the message (or instead of it when the
    /// message is empty).
    public var diagnostics: [Diagnostic]

    public init(
        _ kind: Kind, _ message: String, cause: String? = nil, hint: String? = nil,
        diagnostics: [Diagnostic] = []
    ) {
        self.kind = kind
        self.message = message
        self.cause = cause
        self.hint = hint
        self.diagnostics = diagnostics
    }

    /// Every kind is exit status 2 ("usage, configuration, input or environment error"): 1 is reserved for
    /// findings, stale output and invalid references, which are results, not errors.
    public var exitStatus: Int32 { 2 }

    /// The lines printed on standard error, each prefixed `eskit: `: one per diagnostic, then one line
    /// `message: cause; hint` (so a plain error stays one line for scripts and hooks).
    public var lines: [String] {
        var out = diagnostics.map { "eskit: \($0.description)" }
        var line = message
        if let cause { line += line.isEmpty ? cause : ": \(cause)" }
        if let hint { line += line.isEmpty ? "hint: \(hint)" : "; \(hint)" }
        if !line.isEmpty { out.append("eskit: \(line)") }
        return out
    }

    public var description: String { lines.joined(separator: "\n") }
}

/// A module error that knows how it reads as an `EskitError`.
public protocol EskitErrorConvertible: Error {
    var eskitError: EskitError { get }
}

extension DiagnosticsError: EskitErrorConvertible {
    public var eskitError: EskitError { EskitError(.input, "", diagnostics: diagnostics) }
}
