public import EskitCore
public import EskitGit
import EskitReport
public import EskitScan
import Foundation

/// A whole scan as a command runs it: find the repository, load `.eskit.yaml`, scan the source, drop what
/// `.eskitignore` and the baseline suppress, and write a baseline when asked. Every command (`scan`, `check`,
/// `migrate`, `validate --against-history`) and test drives scans through here.
public struct ScanRequest: Sendable {
    public var source: ScanSource
    /// `.eskit.yaml` to use (default: the one at the repository or folder root, when present).
    public var configFile: String?
    /// Fingerprints to ignore (default: `.eskitignore` at the root, when present).
    public var ignoreFile: String?
    /// Report only findings not in this baseline.
    public var baseline: String?
    /// Write every finding (after the ignore file) to this baseline.
    public var baselineOut: String?
    public var workers: Int
    public var progress: (any ScanProgress)?
    /// Bytes of a `.standardInput` source (read from standard input when nil).
    public var input: [UInt8]?

    public init(
        source: ScanSource, configFile: String? = nil, ignoreFile: String? = nil, baseline: String? = nil,
        baselineOut: String? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (any ScanProgress)? = nil, input: [UInt8]? = nil
    ) {
        self.source = source
        self.configFile = configFile
        self.ignoreFile = ignoreFile
        self.baseline = baseline
        self.baselineOut = baselineOut
        self.workers = workers
        self.progress = progress
        self.input = input
    }
}

public enum ScanPipeline {
    /// Runs `request`. Errors (no repository for a history scan, a bad configuration, an unreadable repository)
    /// are one `EskitError` each.
    public static func run(_ request: ScanRequest) throws(EskitError) -> ScanOutcome {
        let startedAt = Int64(Date().timeIntervalSince1970)
        let start = request.source.path
        let repository = try openRepository(at: start)
        if repository == nil, let option = request.source.repositoryOption {
            throw EskitError(.usage, "\(option) needs a git repository: \(start) is not in one")
        }
        let root = repository?.workdir ?? (isFolder(start) ? start : (start as NSString).deletingLastPathComponent)
        let base = root.isEmpty ? "." : root
        let configuration = try loadConfiguration(request.configFile, root: base)
        let scanner: EskitScan.Scanner
        do { scanner = try EskitScan.Scanner(configuration: configuration) } catch {
            throw EskitError(.input, "\(error)")
        }
        let runner = ScanRunner(scanner: scanner, workers: max(1, request.workers), progress: request.progress)
        var outcome = try runner.run(request.source, repository: repository, root: root, input: request.input)
        if let ignore = try loadIgnoreFile(request.ignoreFile, root: base) {
            outcome.findings = ignore.filter(outcome.findings)
        }
        if let out = request.baselineOut {
            do { try Baseline(findings: outcome.findings).write(to: out) } catch {
                throw EskitError(.io, "\(error)")
            }
        }
        if let baseline = request.baseline {
            let known: Baseline
            do { known = try Baseline.load(path: baseline) } catch { throw EskitError(.input, "\(error)") }
            outcome.findings = known.newFindings(outcome.findings)
        }
        outcome.summary.startedAt = startedAt
        outcome.summary.finishedAt = Int64(Date().timeIntervalSince1970)
        // Reports that name a commit for every finding (GitLab) give work tree and staged findings HEAD's; an unborn
        // or unreadable HEAD leaves it unknown (the report says so with its placeholder).
        outcome.summary.headCommit = (try? repository?.head())?.commit?.hex
        return outcome
    }

    /// The scanner and ignore file a scan of `path` uses: `.eskit.yaml` (or `configFile`) and `.eskitignore` of the
    /// repository (or folder) holding it, so other commands (`migrate plan`) find exactly what `eskit scan` finds.
    public static func scanner(
        for path: String, configFile: String? = nil
    ) throws(EskitError) -> (scanner: EskitScan.Scanner, ignore: IgnoreFile?) {
        let repository = try openRepository(at: path)
        let root = repository?.workdir ?? (isFolder(path) ? path : (path as NSString).deletingLastPathComponent)
        let base = root.isEmpty ? "." : root
        let configuration = try loadConfiguration(configFile, root: base)
        let scanner: EskitScan.Scanner
        do { scanner = try EskitScan.Scanner(configuration: configuration) } catch {
            throw EskitError(.input, "\(error)")
        }
        return (scanner, try loadIgnoreFile(nil, root: base))
    }

    static func openRepository(at path: String) throws(EskitError) -> GitRepository? {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EskitError(.usage, "\(path): no such file or folder")
        }
        do {
            return try GitRepository(discoveringFrom: path)
        } catch {
            if error.isNotFound { return nil }
            throw EskitError(.repository, "\(error)")
        }
    }

    static func loadConfiguration(_ explicit: String?, root: String) throws(EskitError) -> ScanConfiguration {
        let file: String
        if let explicit {
            file = explicit
        } else {
            let candidate = root + "/.eskit.yaml"
            guard FileManager.default.fileExists(atPath: candidate) else { return ScanConfiguration() }
            file = candidate
        }
        do { return try ScanConfiguration.load(path: file) } catch { throw EskitError(.input, "\(error)") }
    }

    static func loadIgnoreFile(_ explicit: String?, root: String) throws(EskitError) -> IgnoreFile? {
        let file: String
        if let explicit {
            file = explicit
        } else {
            let candidate = root + "/" + IgnoreFile.defaultName
            guard FileManager.default.fileExists(atPath: candidate) else { return nil }
            file = candidate
        }
        do { return try IgnoreFile.load(path: file) } catch { throw EskitError(.input, "\(error)") }
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}
