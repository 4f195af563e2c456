public import EskitCore
public import EskitGit
public import EskitReport
public import EskitScan
import Foundation

/// Everything a scan found (after suppression by `.eskitignore` and the baseline when `ScanPipeline` ran it).
public struct ScanOutcome: Sendable {
    public var findings: [Finding]
    public var summary: ScanSummary
    /// Lines for standard error, each starting `warning: `.
    public var warnings: [String]
}

/// Reads the requested source and runs the scanner over it: work tree files in parallel, the staged change with
/// its added lines, or each distinct blob of the history once (in parallel, one repository handle per worker),
/// mapping findings to the commit that first added them and every later place holding them.
public struct ScanRunner: Sendable {
    let scanner: EskitScan.Scanner
    let workers: Int
    let progress: (any ScanProgress)?

    public init(scanner: EskitScan.Scanner, workers: Int, progress: (any ScanProgress)? = nil) {
        self.scanner = scanner
        self.workers = workers
        self.progress = progress
    }

    /// Scans `source`; `standardInput` bytes are `input` (read from standard input when nil).
    public func run(
        _ source: ScanSource, repository: GitRepository?, root: String,
        input: [UInt8]? = nil
    ) throws(EskitError) -> ScanOutcome {
        switch source {
        case .standardInput:
            let result = scanner.scan(ScanInput(path: "-", bytes: input ?? DiskReader.readStandardInput()))
            return outcome(result, files: 1)
        case .paths(let paths):
            return try scanPaths(paths, repository: repository)
        case .workTree(let path, let untracked):
            guard let repository else { return try scanFolder(path) }
            return try scanWorkTree(repository, path: path, untracked: untracked)
        case .staged:
            guard let repository else {
                throw EskitError(.usage, "--staged needs a git repository (none found at \(root))")
            }
            guard repository.workdir != nil else {
                throw EskitError(
                    .usage, "\(repository.gitDir) is a bare repository: it has no staged change (use --history)")
            }
            return try scanStaged(repository)
        case .history(_, let selection):
            guard let repository else {
                throw EskitError(.usage, "--history needs a git repository (none found at \(root))")
            }
            return try scanHistory(repository, selection: selection)
        }
    }

    private func outcome(
        _ result: ScanResult, files: Int, commits: Int? = nil, warnings: [String] = [],
        notRead: [String] = []
    ) -> ScanOutcome {
        let scanned = files - result.skippedBinary - result.skippedHuge - result.skippedAllowlisted
        return ScanOutcome(
            findings: result.findings,
            summary: ScanSummary(
                scanned: max(0, scanned), commits: commits,
                skippedBinary: result.skippedBinary, skippedHuge: result.skippedHuge,
                notRead: notRead),
            warnings: warnings)
    }

    private func scanFolder(_ folder: String) throws(EskitError) -> ScanOutcome {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw EskitError(.usage, "\(folder): no such file or folder")
        }
        if !isFolder.boolValue {
            let name = (folder as NSString).lastPathComponent
            return try scanFiles([GitPath(name)], base: (folder as NSString).deletingLastPathComponent)
        }
        let listing = DiskReader.listFolder(folder)
        return try scanFiles(listing.files.map { GitPath($0) }, base: folder, unlisted: listing.notRead)
    }

    /// Files and folders named on the command line (pre-commit's file list): inside a repository, each file as
    /// it is in the work tree and the tracked files of each folder, reported relative to the work tree; outside
    /// one, each file or folder as given.
    private func scanPaths(_ paths: [String], repository: GitRepository?) throws(EskitError) -> ScanOutcome {
        guard let repository, let workdir = repository.workdir else {
            var merged: ScanOutcome?
            for path in paths {
                let one = try scanFolder(path)
                guard var total = merged else { merged = one; continue }
                total.findings += one.findings
                total.summary.scanned += one.summary.scanned
                total.summary.skippedBinary += one.summary.skippedBinary
                total.summary.skippedHuge += one.summary.skippedHuge
                total.summary.notRead += one.summary.notRead
                total.warnings += one.warnings
                merged = total
            }
            return merged ?? outcome(ScanResult(), files: 0)
        }
        var files = Set<GitPath>()
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EskitError(.usage, "\(path): no such file or folder")
            }
            guard let prefix = repository.workTreeRelativePath(path) else {
                throw EskitError(.usage, "\(path) lies outside the work tree \(workdir) of the other paths")
            }
            if prefix == ".git" || prefix.hasPrefix(".git/") { continue }
            if isFolder.boolValue {
                do { files.formUnion(try repository.trackedPaths(under: prefix)) } catch {
                    throw EskitError(.repository, "\(error)")
                }
            } else {
                files.insert(GitPath(prefix))
            }
        }
        return try scanFiles(files.sorted { $0.display < $1.display }, base: workdir)
    }

    private func scanWorkTree(
        _ repository: GitRepository, path: String, untracked: Bool
    ) throws(EskitError) -> ScanOutcome {
        guard let workdir = repository.workdir else {
            throw EskitError(.usage, "\(repository.gitDir) is a bare repository: scan it with --history")
        }
        guard let prefix = repository.workTreeRelativePath(path) else {
            throw EskitError(.usage, "\(path) lies outside the work tree \(workdir)")
        }
        if prefix == ".git" || prefix.hasPrefix(".git/") {
            throw EskitError(
                .usage, "\(path) is inside the git folder: scan the repository (\(workdir)) with --history")
        }
        var files: [GitPath]
        var unscanned: Int?
        var unlisted: [String] = []
        do {
            files = try repository.trackedPaths(under: prefix)
            if untracked {
                let long = Self.longUntrackedPaths(repository, workdir: workdir, prefix: prefix)
                files = Array(Set(files + (try repository.untrackedPaths(under: prefix)) + long.files)).sorted()
                unlisted = long.notRead
            } else {
                unscanned = (try? repository.untrackedPaths(under: prefix))?.count
            }
        } catch {
            throw EskitError(.repository, "\(error)")
        }
        var result = try scanFiles(files, base: workdir, unlisted: unlisted)
        result.summary.untrackedNotScanned = unscanned
        return result
    }

    /// Untracked files under `prefix` whose path is `PATH_MAX` or longer: libgit2 (like git) cannot open their
    /// folders and leaves them out of `untrackedPaths` without a word, so the work tree is walked folder by folder
    /// (`DiskReader.listFolder`, outside ignored folders) for them; ignored ones stay out. Also the folders that
    /// walk could not open, with the reason.
    private static func longUntrackedPaths(
        _ repository: GitRepository, workdir: String, prefix: String
    ) -> (files: [GitPath], notRead: [String]) {
        var root = workdir
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        let start = prefix.isEmpty ? "" : prefix + "/"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + "/" + start, isDirectory: &isFolder), isFolder.boolValue
        else { return ([], []) }
        let listing = DiskReader.listFolder(root + "/" + start) { repository.isIgnored(start + $0 + "/") }
        let files = listing.files.map { start + $0 }.filter {
            root.utf8.count + 1 + $0.utf8.count >= Int(PATH_MAX) && !repository.isIgnored($0)
        }
        return (files.map { GitPath($0) }, listing.notRead.map { start + $0 })
    }

    /// Reads and scans `paths` (relative to `base`, opened by their exact bytes, reported by their display form)
    /// on `workers` threads. `unlisted` names folders the listing could not open (reported as not read).
    private func scanFiles(
        _ paths: [GitPath], base: String, unlisted: [String] = []
    ) throws(EskitError) -> ScanOutcome {
        let collector = ResultCollector()
        let limit = scanner.configuration.maxFileSize
        let scanner = self.scanner
        let chunk = 32
        let chunks = (paths.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: min(max(workers, 1), max(chunks, 1))) { _ in
            var local = ScanResult()
            var files = 0
            while let start = collector.next(chunk, limit: paths.count) {
                for path in paths[start..<min(start + chunk, paths.count)] {
                    let relative = path.display
                    if BinaryPaths.isKnownBinary(relative) {
                        files += 1
                        local.skippedBinary += 1
                        continue
                    }
                    do throws(EskitError) {
                        switch try DiskReader.read(path, under: base, limit: limit) {
                        case .bytes(let bytes):
                            files += 1
                            local.merge(scanner.scan(ScanInput(path: relative, bytes: bytes)))
                        case .huge:
                            files += 1
                            local.skippedHuge += 1
                        case .missing where relative.unicodeScalars.contains("\u{FFFD}"):
                            collector.addUnreadableName(relative)
                        case .missing, .notRegular:
                            continue
                        }
                    } catch {
                        // Unreadable (permissions, I/O, a name too long): named in the report, the rest goes on.
                        collector.addNotRead("\(relative): \(error.cause ?? error.message)")
                    }
                }
            }
            collector.add(local, files: files)
        }
        if let error = collector.error { throw error }
        var warnings: [String] = []
        var notRead = (collector.notRead + unlisted).sorted()
        notRead += collector.unreadableNames.sorted().map { "\($0): the name is not UTF-8 (outside a repository)" }
        if let example = collector.unreadableNames.sorted().first {
            let count = collector.unreadableNames.count
            warnings.append(
                "warning: \(count) path\(count == 1 ? "" : "s") not scanned: the name is not UTF-8 "
                    + "(e.g. \(example)); inside a git repository they are read by their exact name")
        }
        return outcome(collector.result, files: collector.files, warnings: warnings, notRead: notRead)
    }

    private func scanStaged(_ repository: GitRepository) throws(EskitError) -> ScanOutcome {
        let changes: [StagedChange]
        do { changes = try repository.stagedChanges() } catch { throw EskitError(.repository, "\(error)") }
        var result = ScanResult()
        for change in changes {
            if BinaryPaths.isKnownBinary(change.path) {
                result.skippedBinary += 1
                continue
            }
            if change.isBinary {
                // Git has no line diff for it; the scanner decodes UTF-16 / UTF-32 text (every line counts as
                // added) and counts anything else as binary.
                result.merge(scanner.scan(ScanInput(path: change.path, bytes: change.content)))
                continue
            }
            result.merge(
                scanner.scan(
                    ScanInput(
                        path: change.path, bytes: change.content,
                        addedLines: Set(change.addedLines))))
        }
        return outcome(result, files: changes.count)
    }

    private func scanHistory(_ repository: GitRepository, selection: CommitSelection) throws(EskitError) -> ScanOutcome
    {
        let bar = progress
        bar?.start(phase: "walking commits", total: 0)
        let collector = ResultCollector()
        let limit = scanner.configuration.maxFileSize
        let scanner = self.scanner
        let documents = DocumentCache()
        let shelves = (0..<max(1, workers)).map { _ in WorkerShelf() }
        let history: BlobHistory
        let summary: BlobReadSummary
        do {
            history = try repository.blobHistory(selection) { walked, total in
                guard let bar, walked % 50 == 0 || walked == total else { return }
                bar.update(phase: "walking \(walked)/\(total) commits", total: 0)
            }
            bar?.update(phase: "scanning blobs of \(history.commits.count) commits", total: history.blobs.count)
            summary = try history.readBlobsInDeltaOrder(
                workers: workers,
                include: { blob, size in
                    if BinaryPaths.isKnownBinary(blob.firstAppearance.path) {
                        collector.addBinary()
                        bar?.advance()
                        return false
                    }
                    if size > limit {
                        collector.addHuge()
                        bar?.advance()
                        return false
                    }
                    return true
                }
            ) { content in
                let shelf = shelves[content.worker]
                let earlier = content.delta.flatMap { shelf.tables.take($0.base) }
                let copies =
                    earlier == nil
                    ? []
                    : content.delta!.copies.map {
                        CopiedRun(source: $0.source, target: $0.target, length: $0.length)
                    }
                let (result, table) = content.bytes.withMemoryRebound(to: UInt8.self) {
                    scanner.scan(
                        path: content.blob.firstAppearance.path, buffer: $0, cache: documents,
                        earlier: earlier, copies: copies)
                }
                if let table { shelf.tables.keep(table, for: content.blob.id) }
                shelf.collector.add(blob: content.blob, result)
                bar?.advance()
            }
        } catch let error as GitError {
            bar?.finish()
            throw Self.revisionError(error, repository: repository, selection: selection)
        } catch {
            bar?.finish()
            throw EskitError(.repository, "reading blobs: \(error)")
        }
        bar?.finish()
        var warnings: [String] = []
        if history.isShallow {
            warnings.append("warning: shallow clone: history before the shallow boundary was not scanned")
        }
        var notRead = (history.warnings + summary.warnings).map(\.description)
        var result = collector.result
        var found: [(HistoryBlob, [Finding])] = []
        for shelf in shelves {
            result.merge(shelf.collector.result)
            found += shelf.collector.blobFindings
        }
        result.findings = attribute(found, history: history)
        result.findings += scanCommitTexts(history)
        result.findings = Self.redactPeople(result.findings)
        let extra = scanRefObjects(history, repository: repository, limit: limit)
        result.merge(extra.result)
        notRead += extra.notRead
        return outcome(
            result, files: summary.blobs + summary.skipped + extra.files, commits: history.commits.count,
            warnings: warnings, notRead: notRead)
    }

    /// Commit messages and author / committer fields, each scanned as its own source (a token pasted into a
    /// commit message or a signature is in every clone too). Findings carry the commit.
    private func scanCommitTexts(_ history: BlobHistory) -> [Finding] {
        // One scan over all messages (a history has thousands of short ones; per-message scans cost more than the
        // scanning), each message starting on its own line; findings map back to their commit by line.
        var text: [UInt8] = []
        var starts: [(line: Int, offset: Int, commit: Int)] = []
        var line = 1
        for (i, commit) in history.commits.enumerated() where !commit.message.isEmpty {
            starts.append((line, text.count, i))
            var bytes = Array(commit.message.utf8)
            if bytes.last != 0x0A { bytes.append(0x0A) }
            line += bytes.count(where: { $0 == 0x0A })
            text += bytes
        }
        var findings: [Finding] = []
        func info(_ commit: GitCommit) -> CommitInfo {
            CommitInfo(
                id: commit.id.hex, authorName: commit.authorName, authorEmail: commit.authorEmail,
                date: Int64(commit.authorTime.timeIntervalSince1970), summary: commit.summary)
        }
        if !text.isEmpty {
            for var finding in scanner.scan(ScanInput(path: "(commit message)", bytes: text)).findings {
                let at = finding.span.start.line
                var low = 0, high = starts.count - 1
                while low < high {
                    let mid = (low + high + 1) / 2
                    if starts[mid].line <= at { low = mid } else { high = mid - 1 }
                }
                let origin = starts[low]
                func shift(_ p: TextPosition) -> TextPosition {
                    TextPosition(offset: p.offset - origin.offset, line: p.line - origin.line + 1, column: p.column)
                }
                finding.span = TextSpan(start: shift(finding.span.start), end: shift(finding.span.end))
                finding.commit = info(history.commits[origin.commit])
                findings.append(finding)
            }
        }
        // Author and committer fields: few distinct people, each scanned once.
        var people: [String: [Int]] = [:]
        for (i, commit) in history.commits.enumerated() {
            people["\(commit.authorName) <\(commit.authorEmail)>", default: []].append(i)
            if commit.committerName != commit.authorName || commit.committerEmail != commit.authorEmail {
                people["\u{0}\(commit.committerName) <\(commit.committerEmail)>", default: []].append(i)
            }
        }
        for (key, commits) in people.sorted(by: { $0.key < $1.key }) {
            let committer = key.hasPrefix("\u{0}")
            let person = committer ? String(key.dropFirst()) : key
            let found = scanner.scan(
                ScanInput(
                    path: committer ? "(commit committer)" : "(commit author)",
                    bytes: Array(person.utf8))
            ).findings
            for var finding in found {
                finding.commit = info(history.commits[commits[0]])
                finding.occurrences = commits.dropFirst().map {
                    Occurrence(commit: history.commits[$0].id.hex, path: finding.file)
                }
                findings.append(finding)
            }
        }
        return findings
    }

    /// Reports print a finding's commit subject and author: where a secret was found in those fields (or anywhere
    /// else), its text there is replaced by its preview, so the report never repeats it.
    static func redactPeople(_ findings: [Finding]) -> [Finding] {
        var secretsByCommit: [String: [RedactedSecret]] = [:]
        for f in findings where f.file.hasPrefix("(commit ") {
            if let id = f.commit?.id { secretsByCommit[id, default: []].append(f.secret) }
        }
        guard !secretsByCommit.isEmpty else { return findings }
        return findings.map { finding in
            guard var commit = finding.commit, let secrets = secretsByCommit[commit.id] else { return finding }
            for secret in secrets where !secret.revealed.isEmpty {
                commit.summary = commit.summary.replacingOccurrences(of: secret.revealed, with: secret.preview)
                commit.authorName = commit.authorName.replacingOccurrences(of: secret.revealed, with: secret.preview)
                commit.authorEmail = commit.authorEmail.replacingOccurrences(of: secret.revealed, with: secret.preview)
            }
            var copy = finding
            copy.commit = commit
            return copy
        }
    }

    /// Blobs and trees that refs point to directly (`git tag v1 <blob>`, `refs/keep/*`): not part of any commit,
    /// still in every clone. Each blob not already scanned as part of the history is scanned under the path
    /// `<ref>` (a blob) or `<ref>:<path>` (a file of a tree).
    private func scanRefObjects(
        _ history: BlobHistory, repository: GitRepository,
        limit: Int
    ) -> (result: ScanResult, files: Int, notRead: [String]) {
        var result = ScanResult()
        var files = 0
        var notRead: [String] = []
        guard !history.refObjects.blobs.isEmpty || !history.refObjects.trees.isEmpty else { return (result, 0, []) }
        var seen = Set(history.blobs.map(\.id))
        var pending: [(path: String, id: GitObjectID)] = history.refObjects.blobs.map { ($0.ref, $0.id) }
        for (ref, tree) in history.refObjects.trees {
            do {
                pending += try repository.blobs(inTree: tree).map { ("\(ref):\($0.path)", $0.id) }
            } catch {
                notRead.append("tree \(tree.shortHex) of \(ref): \(error.message)")
            }
        }
        for (path, id) in pending where seen.insert(id).inserted {
            files += 1
            if BinaryPaths.isKnownBinary(path) { result.skippedBinary += 1; continue }
            do {
                let bytes = try repository.blob(id)
                if bytes.count > limit { result.skippedHuge += 1; continue }
                result.merge(scanner.scan(ScanInput(path: path, bytes: bytes)))
            } catch let error as GitError {
                notRead.append("blob \(id.shortHex) of \(path): \(error.message)")
            } catch {
                notRead.append("blob \(id.shortHex) of \(path): \(error)")
            }
        }
        return (result, files, notRead)
    }

    /// A revision that does not resolve, said with what to fetch: a shallow clone lacks older commits (CI
    /// checkouts are often one commit deep), a remote branch may not have been fetched.
    static func revisionError(
        _ error: GitError, repository: GitRepository,
        selection: CommitSelection
    ) -> EskitError {
        guard error.call.hasPrefix("git_revparse"), error.isNotFound || error.message.contains("not found") else {
            return EskitError(.repository, "\(error)")
        }
        let spec = error.subject ?? ""
        if repository.isShallow {
            return EskitError(
                .repository, "`\(spec)` needs commits this shallow clone does not have",
                cause: error.message,
                hint: "fetch them first: `git fetch --unshallow` (or `git fetch --deepen=<n>`); in "
                    + "GitHub Actions give actions/checkout `fetch-depth: 0`, in GitLab CI set "
                    + "GIT_DEPTH: 0")
        }
        let missingRef = spec.split(separator: ".").first.map(String.init) ?? spec
        return EskitError(
            .repository, "`\(spec)` does not resolve in this repository", cause: error.message,
            hint: missingRef.contains("/")
                ? "fetch the branch first, e.g. `git fetch origin "
                    + "\(missingRef.split(separator: "/").dropFirst().joined(separator: "/"))`"
                : "check the revision names (`git rev-parse \(spec)`)")
    }

    /// Gives each finding its first commit and later occurrences; a secret found again in a later version of the
    /// same file (same rule, path and value) is reported once, the later versions becoming occurrences. The same
    /// secret twice in one blob is two findings, as in a work tree scan.
    private func attribute(_ found: [(HistoryBlob, [Finding])], history: BlobHistory) -> [Finding] {
        let order = Dictionary(history.commits.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = found.sorted { a, b in
            let ca = order[a.0.firstAppearance.commit] ?? .max, cb = order[b.0.firstAppearance.commit] ?? .max
            return ca != cb ? ca < cb : a.0.firstAppearance.path < b.0.firstAppearance.path
        }
        var byFingerprint: [String: (index: Int, blob: GitObjectID)] = [:]
        var findings: [Finding] = []
        for (blob, blobFindings) in sorted {
            let places = blob.introductions.map { Occurrence(commit: $0.commit.hex, path: $0.path) }
            for var finding in blobFindings {
                if let (index, first) = byFingerprint[finding.fingerprint], first != blob.id {
                    let own = Occurrence(commit: findings[index].commit?.id ?? "", path: findings[index].file)
                    for place in places where place != own && !findings[index].occurrences.contains(place) {
                        findings[index].occurrences.append(place)
                    }
                    continue
                }
                if let commit = history.commit(blob.firstAppearance.commit) {
                    finding.commit = CommitInfo(
                        id: commit.id.hex, authorName: commit.authorName,
                        authorEmail: commit.authorEmail,
                        date: Int64(commit.authorTime.timeIntervalSince1970),
                        summary: commit.summary)
                }
                finding.occurrences = Array(places.dropFirst())
                if byFingerprint[finding.fingerprint] == nil {
                    byFingerprint[finding.fingerprint] = (findings.count, blob.id)
                }
                findings.append(finding)
            }
        }
        return findings
    }
}

/// Thread-safe accumulation for the parallel readers.
private final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var cursor = 0
    private(set) var result = ScanResult()
    private(set) var files = 0
    private(set) var blobFindings: [(HistoryBlob, [Finding])] = []
    private(set) var error: EskitError?

    func next(_ count: Int, limit: Int) -> Int? {
        lock.withLock {
            guard error == nil, cursor < limit else { return nil }
            defer { cursor += count }
            return cursor
        }
    }

    func add(_ other: ScanResult, files: Int) {
        lock.withLock {
            result.merge(other)
            self.files += files
        }
    }

    func add(blob: HistoryBlob, _ other: ScanResult) {
        lock.withLock {
            if !other.findings.isEmpty { blobFindings.append((blob, other.findings)) }
            var counts = other
            counts.findings = []
            result.merge(counts)
        }
    }

    private(set) var unreadableNames: [String] = []

    func addUnreadableName(_ path: String) { lock.withLock { unreadableNames.append(path) } }

    private(set) var notRead: [String] = []

    func addNotRead(_ item: String) { lock.withLock { notRead.append(item) } }

    func addHuge() { lock.withLock { result.skippedHuge += 1 } }

    func addBinary() { lock.withLock { result.skippedBinary += 1 } }

    func fail(_ error: EskitError) { lock.withLock { if self.error == nil { self.error = error } } }
}

/// What one reader thread of a history scan keeps (`BlobContent.worker` picks it, so it is never shared): its
/// counts and findings, and the document tables of the multi-document blobs it scanned lately, for the blobs it
/// rebuilds from them next (a delta's base is always visited by the same thread, shortly before).
private final class WorkerShelf: @unchecked Sendable {
    let collector = ResultCollector()
    let tables = DocumentTables()
}

/// Recent document tables by blob. Bounded: the oldest are dropped (their deltas are then scanned with the
/// document cache alone, with the same result). One thread only.
private final class DocumentTables {
    private var tables: [GitObjectID: DocumentTable] = [:]
    private var order: [GitObjectID] = []
    private var head = 0
    private let capacity = 2048

    func take(_ id: GitObjectID) -> DocumentTable? { tables[id] }

    func keep(_ table: DocumentTable, for id: GitObjectID) {
        guard tables.updateValue(table, forKey: id) == nil else { return }
        order.append(id)
        if order.count - head > capacity {
            tables[order[head]] = nil
            head += 1
            if head > 4096 {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
