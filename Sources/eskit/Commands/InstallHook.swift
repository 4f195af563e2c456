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
            pre-commit.eskit-backup). The hook finds eskit on PATH, or through the ESKIT environment variable.
            """
    )

    @Argument(help: "A folder inside the repository.")
    var path: String = "."

    @Flag(help: "Replace a pre-commit hook that eskit did not install.")
    var force = false

    func run() throws {
        do {
            let hook = try hooksFolder() + "/pre-commit"
            if let existing = FileManager.default.contents(atPath: hook),
               !String(decoding: existing, as: UTF8.self).contains(PreCommitHook.marker) {
                guard force else {
                    throw ScanCommandError("\(hook) already exists and was not installed by eskit; "
                                           + "use --force to replace it (it is kept as pre-commit.eskit-backup)")
                }
                do { try AtomicFile.write(existing, to: hook + ".eskit-backup", mode: 0o755) } catch {
                    throw ScanCommandError("\(error)")
                }
            }
            do { try AtomicFile.write(PreCommitHook.script, to: hook, mode: 0o755, createFolders: true) } catch {
                throw ScanCommandError("\(error)")
            }
            Terminal.writeStdout("installed \(hook)\n")
        } catch let error as ScanCommandError {
            Terminal.writeStderr("eskit: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    /// `git rev-parse --git-path hooks` (core.hooksPath, linked worktrees), else the common git folder's hooks.
    private func hooksFolder() throws(ScanCommandError) -> String {
        let repository: GitRepository
        do { repository = try GitRepository(discoveringFrom: path) } catch {
            throw ScanCommandError(error.isNotFound ? "\(path) is not inside a git repository" : "\(error)")
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
