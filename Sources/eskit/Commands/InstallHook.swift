import ArgumentParser
import EskitCore
import EskitGit
import Foundation

struct InstallHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install the eskit pre-commit hook (runs `eskit scan --staged`) into a repository.",
        discussion: """
            Writes pre-commit into the repository's hooks folder, honouring core.hooksPath and linked worktrees. \
            An existing hook that eskit did not install is left alone unless --force is given (it is then kept as \
            pre-commit.eskit-backup, or .eskit-backup.N when that exists: no earlier backup is overwritten; a symlink \
            stays a symlink). The hook finds eskit on PATH, or through the ESKIT \
            environment variable. It also sees `git commit -a` and `git commit <paths>`; `git commit --no-verify` \
            skips it once. With the pre-commit framework, use the `eskit` hook of .pre-commit-hooks.yaml instead.
            """
    )

    @Argument(help: "A folder inside the repository.")
    var path: String = "."

    @Flag(help: "Replace a pre-commit hook that eskit did not install.")
    var force = false

    func run() throws {
        let hook = try hooksFolder() + "/pre-commit"
        try setAside(hook)
        do { try AtomicFile.write(PreCommitHook.script, to: hook, mode: 0o755, createFolders: true) } catch {
            throw EskitError(.io, "\(error)")
        }
        Terminal.writeStdout(
            """
            installed \(hook)
            Commits whose staged changes add secrets are now blocked (skip once with `git commit --no-verify`).

            """)
    }

    /// Makes room for the hook: eskit's own hook is replaced in place; a foreign one (a file or a symlink, perhaps
    /// to a script tracked in the repository) is renamed to `pre-commit.eskit-backup` with --force, as it is.
    private func setAside(_ hook: String) throws(EskitError) {
        var st = stat()
        guard lstat(hook, &st) == 0 else { return }
        let isLink = (st.st_mode & S_IFMT) == S_IFLNK
        let ours =
            FileManager.default.contents(atPath: hook)
            .map { String(decoding: $0, as: UTF8.self).contains(PreCommitHook.marker) } ?? false
        if ours, !isLink { return }
        if !ours {
            guard force else {
                throw EskitError(
                    .usage,
                    "\(hook) already exists and was not installed by eskit; "
                        + "use --force to replace it (it is kept as pre-commit.eskit-backup)")
            }
            let backup = Self.freeBackupName(for: hook)
            guard rename(hook, backup) == 0 else {
                throw EskitError(
                    .io,
                    "\(hook): rename to \((backup as NSString).lastPathComponent) failed: "
                        + "\(String(cString: strerror(errno)))"
                )
            }
            Terminal.writeStderr("eskit: kept the earlier hook as \(backup)\n")
        } else if unlink(hook) != 0 {
            throw EskitError(.io, "\(hook): unlink failed: \(String(cString: strerror(errno)))")
        }
    }

    /// `pre-commit.eskit-backup`, or `pre-commit.eskit-backup.N` with the first free N: an earlier backup (the
    /// user's original hook) is never overwritten.
    static func freeBackupName(for hook: String) -> String {
        var st = stat()
        var candidate = hook + ".eskit-backup"
        var n = 1
        while lstat(candidate, &st) == 0 {
            candidate = hook + ".eskit-backup.\(n)"
            n += 1
        }
        return candidate
    }

    /// `git rev-parse --git-path hooks` (core.hooksPath, linked worktrees), else the common git folder's hooks.
    private func hooksFolder() throws(EskitError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw EskitError(.io, "\(path): no such folder") }
        let repository: GitRepository
        do { repository = try GitRepository(discoveringFrom: path) } catch {
            throw EskitError(.repository, error.isNotFound ? "\(path) is not inside a git repository" : "\(error)")
        }
        guard repository.workdir != nil else {
            throw EskitError(
                .usage,
                "\(repository.gitDir) is a bare repository: git runs pre-commit hooks only where "
                    + "commits are made (a clone with a work tree)")
        }
        let folder = repository.workdir ?? repository.gitDir
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--path-format=absolute", "--git-path", "hooks"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let answer = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 0, !answer.isEmpty {
                return answer.hasPrefix("/") ? answer : folder + "/" + answer
            }
        }
        return repository.commonDir + "/hooks"
    }
}
