import ArgumentParser
import EskitCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and the commit eskit was built from."
    )

    func run() {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "aarch64"
        #else
        let arch = "unknown"
        #endif
        #if os(Linux)
        let os = "linux"
        #else
        let os = "darwin"
        #endif
        print("eskit \(EskitVersion.string) (commit \(BuildInfo.commit), \(os)-\(arch))")
    }
}
