import ArgumentParser
import Foundation

extension Eskit {
    /// Runs the command line like `ParsableCommand.main()`, but usage errors exit with status 2 (eskit's
    /// "usage, configuration or input error") instead of ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
