import ArgumentParser
import EskitCore
import Foundation

/// How both executables (`eskit` and `eskit-providers`) run their command line: like `ParsableCommand.main()`, but
/// every failure that is not a deliberate exit status exits with 2 (eskit's "usage, configuration or input
/// error"): usage errors instead of ArgumentParser's 64, and unexpected errors instead of 1, which means
/// "findings" to eskit's callers.
public enum CommandMain {
    public static func run<Root: ParsableCommand>(_ root: Root.Type) async -> Never {
        do {
            var command = try Root.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Root.exit()
        } catch let status as ExitCode {
            Root.exit(withError: status)
        } catch let error as EskitError {
            fail(error)
        } catch let error as any EskitErrorConvertible {
            fail(error.eskitError)
        } catch {
            if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
            FileHandle.standardError.write(Data((oneLineMessage(for: error, root: Root.self) + "\n").utf8))
            Foundation.exit(2)
        }
    }

    /// Prints an `EskitError` the one way every command does and exits with its status.
    public static func fail(_ error: EskitError) -> Never {
        FileHandle.standardError.write(Data((error.lines.joined(separator: "\n") + "\n").utf8))
        Foundation.exit(error.exitStatus)
    }

    /// `eskit: <problem> (see 'eskit scan --help')`: ArgumentParser's message without its usage block, so every
    /// error eskit prints is one line, in the same form as the commands' own (`eskit: <message>`).
    static func oneLineMessage<Root: ParsableCommand>(for error: Error, root: Root.Type) -> String {
        let full = Root.fullMessage(for: error)
        var problem = Root.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
        if problem.isEmpty { problem = full.split(separator: "\n").first.map(String.init) ?? "\(error)" }
        if problem.hasPrefix("Error: ") { problem.removeFirst("Error: ".count) }
        guard let see = full.range(of: "See '"), let end = full[see.upperBound...].firstIndex(of: "'") else {
            return "eskit: \(problem)"
        }
        return "eskit: \(problem) (see '\(full[see.upperBound..<end])')"
    }
}

/// Writes an error or warning to stderr as every eskit command does: `eskit: ` before the message (the first line
/// of a multi-line one, such as a diagnostic with its source snippet).
public func printError(_ text: String) {
    FileHandle.standardError.write(Data(("eskit: " + (text.hasSuffix("\n") ? text : text + "\n")).utf8))
}
