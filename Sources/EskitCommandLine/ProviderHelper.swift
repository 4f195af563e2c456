import EskitCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `eskit-providers`, the executable that holds the provider clients: `eskit validate` and `eskit migrate` parse
/// their arguments in `eskit` and then become it (exec, so standard streams, signals and the exit status are the
/// command's own). It is looked for as git looks for its `git-remote-https`: `ESKIT_PROVIDERS` when set, then
/// beside the running `eskit` (symbolic links resolved), then on `PATH`.
public enum ProviderHelper {
    public static let name = "eskit-providers"
    /// Set by `eskit` for the helper: the version it was built as. A helper of another version refuses to run,
    /// since the two parse the same arguments.
    static let versionVariable = "ESKIT_CALLER_VERSION"

    /// Where `eskit-providers` is: `ESKIT_PROVIDERS` when set (and only there), else beside the running
    /// executable, else the first on `PATH`.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment, executable: String? = runningExecutable()
    ) -> String? {
        func usable(_ path: String) -> Bool { access(path, X_OK) == 0 && !isFolder(path) }
        if let explicit = environment["ESKIT_PROVIDERS"], !explicit.isEmpty {
            return usable(explicit) ? explicit : nil
        }
        let beside = executable.map { ($0 as NSString).deletingLastPathComponent + "/" + name }
        let onPath = (environment["PATH"] ?? "").split(separator: ":").filter { !$0.isEmpty }.map { $0 + "/" + name }
        return ([beside].compactMap { $0 } + onPath).first(where: usable)
    }

    /// Replaces this process with `eskit-providers` given the same arguments; returns only by throwing.
    public static func exec(arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws(EskitError) -> Never
    {
        guard let path = locate() else {
            let command = arguments.first.map { "`eskit \($0)`" } ?? "this command"
            let explicit = ProcessInfo.processInfo.environment["ESKIT_PROVIDERS"].flatMap { $0.isEmpty ? nil : $0 }
            let where_ =
                explicit.map { "ESKIT_PROVIDERS=\($0) is not an executable file" }
                ?? "it is neither beside eskit (\(runningExecutable() ?? "?")) nor on PATH"
            throw EskitError(
                .usage,
                "\(command) runs \(name), which holds the secret provider clients; \(where_)",
                hint:
                    "install it with eskit from the same release archive (scripts/install.sh installs both), or set "
                    + "ESKIT_PROVIDERS to its path")
        }
        setenv(versionVariable, EskitVersion.string, 1)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        throw EskitError(.io, "\(path): cannot run it", cause: reason)
    }

    /// In `eskit-providers`: the `eskit` that started it must be of the same version.
    public static func checkCaller(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(EskitError) {
        guard let caller = environment[versionVariable], caller != EskitVersion.string else { return }
        throw EskitError(
            .usage,
            "\(name) \(EskitVersion.string) was started by eskit \(caller); the two parse the same arguments and must "
                + "be of one version",
            hint: "install both from the same release archive (scripts/install.sh installs both)")
    }

    /// The running executable's path with symbolic links resolved (an installed `eskit` may be a link into a
    /// versioned folder that also holds `eskit-providers`).
    public static func runningExecutable() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        #else
        guard let path = Bundle.main.executablePath else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        #endif
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
