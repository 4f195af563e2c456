import ArgumentParser
import EskitCore
import Foundation

extension Eskit {
    /// Runs the command line like `ParsableCommand.main()`, but every failure that is not a deliberate exit status
    /// exits with 2 (eskit's "usage, configuration or input error"): usage errors instead of ArgumentParser's 64,
    /// and unexpected errors instead of 1, which means "findings" to eskit's callers.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let status as ExitCode {
            exit(withError: status)
        } catch let error as EskitError {
            fail(error)
        } catch let error as any EskitErrorConvertible {
            fail(error.eskitError)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((oneLineMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }

    /// Prints an `EskitError` the one way every command does and exits with its status.
    static func fail(_ error: EskitError) -> Never {
        FileHandle.standardError.write(Data((error.lines.joined(separator: "\n") + "\n").utf8))
        Foundation.exit(error.exitStatus)
    }

    /// `eskit: <problem> (see 'eskit scan --help')`: ArgumentParser's message without its usage block, so every
    /// error eskit prints is one line, in the same form as the commands' own (`eskit: <message>`).
    static func oneLineMessage(for error: Error) -> String {
        let full = fullMessage(for: error)
        var problem = message(for: error).split(separator: "\n").first.map(String.init) ?? ""
        if problem.isEmpty { problem = full.split(separator: "\n").first.map(String.init) ?? "\(error)" }
        if problem.hasPrefix("Error: ") { problem.removeFirst("Error: ".count) }
        guard let see = full.range(of: "See '"), let end = full[see.upperBound...].firstIndex(of: "'") else {
            return "eskit: \(problem)"
        }
        return "eskit: \(problem) (see '\(full[see.upperBound..<end])')"
    }
}
