import ArgumentParser
import Foundation

extension Eskit {
    /// Runs the command line like `ParsableCommand.main()`, but every failure that is not a deliberate exit status
    /// exits with 2 (eskit's "usage, configuration or input error"): usage errors instead of ArgumentParser's 64,
    /// and unexpected errors instead of 1, which means "findings" to eskit's callers.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let status as ExitCode {
            exit(withError: status)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
