public import EskitCore
import Foundation

/// `eskit migrate history`: what a history scan found, grouped by value — a rotation checklist (no values) and a
/// purge plan for `git filter-repo --replace-text` (whose replace file holds the values and is written by the
/// caller 0600, outside the repository).
public struct HistoryPlan: Sendable {
    public struct Entry: Sendable {
        public var secretHash: String
        public var preview: String
        public var rules: [String]
        public var firstCommit: CommitInfo?
        /// Every `commit:path` holding it (first one included), sorted.
        public var places: [Occurrence]
        /// Whether the value is still in the work tree (HEAD) at some path.
        public var inWorkTree: Bool
        public var multiline: Bool
        public var rotation: String
        /// Where a store still serves the value (`environment/store: key`), once checked at the providers
        /// (`migrate history --validate`); nil when not checked.
        public var inUse: [String]? = nil
        /// The value itself, for the replace file only.
        var secret: RedactedSecret
    }

    public var entries: [Entry]

    public init(findings: [Finding], workTreeHashes: Set<String>) {
        var byHash: [String: Entry] = [:]
        var order: [String] = []
        for f in findings {
            let hash = f.secret.sha256
            var places = f.occurrences
            if let commit = f.commit { places.append(Occurrence(commit: commit.id, path: f.file)) }
            if var e = byHash[hash] {
                e.places += places
                if !e.rules.contains(f.ruleID) { e.rules.append(f.ruleID) }
                if let c = f.commit, e.firstCommit.map({ c.date < $0.date }) ?? true { e.firstCommit = c }
                byHash[hash] = e
            } else {
                order.append(hash)
                byHash[hash] = Entry(
                    secretHash: hash, preview: f.secret.preview, rules: [f.ruleID], firstCommit: f.commit,
                    places: places, inWorkTree: workTreeHashes.contains(hash),
                    multiline: f.secret.revealedBytes.contains(10),
                    rotation: Self.rotation(rule: f.ruleID, file: f.file),
                    secret: f.secret)
            }
        }
        entries = order.compactMap { byHash[$0] }.map { e in
            var e = e
            e.places = Array(Set(e.places)).sorted { ($0.path, $0.commit) < ($1.path, $1.commit) }
            return e
        }.sorted { ($0.firstCommit?.date ?? 0, $0.secretHash) < ($1.firstCommit?.date ?? 0, $1.secretHash) }
    }

    /// How to rotate a value of this kind (the known kinds; a generic step otherwise).
    static func rotation(rule: String, file: String) -> String {
        let lower = file.lowercased()
        switch rule {
        case "github-pat", "github-fine-grained-pat", "github-oauth", "github-token":
            return "revoke the token (GitHub > Settings > Developer settings > Personal access tokens, or the "
                + "organisation's token list), create a fine-grained token with the least scope, store it, and "
                + "let ESO sync it"
        case "github-app-private-key":
            return "generate a new private key in the GitHub App's settings, store it, then delete the old key"
        case "private-key":
            if lower.contains("github") || lower.contains("arc") || lower.contains("runner") {
                return "if this is a GitHub App key: generate a new private key in the App's settings, store it, "
                    + "then delete the old one; otherwise issue a new key pair and revoke the old certificate/key"
            }
            return "issue a new key pair (and certificate), deploy it through the store, revoke the old one"
        case "default-credential":
            if lower.contains("harbor") {
                return "change Harbor's admin password (Harbor UI > admin > Change Password, or the API), and "
                    + "regenerate robot account secrets"
            }
            return "this is a shipped default: change it in the application, then store the new value"
        case "aws-access-key-id", "aws-secret-access-key":
            return "deactivate and delete the access key in IAM, create a new one (or move to IRSA / roles), store it"
        default:
            if lower.contains("postgres") || lower.contains("database") || lower.contains("db") {
                return "change the database user's password (`ALTER USER … PASSWORD …`), store it, restart readers"
            }
            if lower.contains("harbor") {
                return "change the Harbor credential (admin password or robot account secret) and store the new one"
            }
            return "issue a new value at its source, store it, and revoke the old one"
        }
    }

    /// The rotation checklist (Markdown; previews and hashes, never values).
    public func checklist(repository: String) -> String {
        var out = """
            # Rotation checklist for \(repository)

            Every value below was committed in plaintext and stays readable in Git history (clones, forks, CI
            caches) until it is rotated: purging history does not make a leaked value secret again. Rotate first,
            then purge (purge.md). Values are named by a 3-character preview and their SHA-256.

            """
        for (i, e) in entries.enumerated() {
            out += "\n## \(i + 1). `\(e.preview)` (sha256 \(e.secretHash.prefix(16))…)\n\n"
            out += "- [ ] rotated\n"
            out += "- found by: \(e.rules.map { "`\($0)`" }.joined(separator: ", "))\n"
            if let c = e.firstCommit {
                let date = Date(timeIntervalSince1970: TimeInterval(c.date))
                let day = ISO8601DateFormatter.string(from: date, timeZone: .gmt, formatOptions: [.withFullDate])
                out += "- first committed: \(c.id.prefix(12)) on \(day)\n"
            }
            out += "- still in the work tree: \(e.inWorkTree ? "yes (migrate it first: `eskit migrate plan`)" : "no")\n"
            out += "- in \(e.places.count) place\(e.places.count == 1 ? "" : "s"):\n"
            for p in e.places.prefix(20) { out += "  - `\(p.path)` at \(p.commit.prefix(12))\n" }
            if e.places.count > 20 { out += "  - … \(e.places.count - 20) more\n" }
            out += "- how to rotate: \(e.rotation)\n"
            switch e.inUse {
            case nil:
                out += "- still in use at the provider: check with `eskit migrate history --validate`\n"
            case let places? where places.isEmpty:
                out += "- still in use at the provider: no (no store the inventory reads serves it now)\n"
            case let places?:
                out +=
                    "- still in use at the provider: **yes, rotate it now**: "
                    + places.map { "`\($0)`" }.joined(separator: ", ") + "\n"
            }
        }
        if entries.isEmpty { out += "\nNo plaintext value found in the history.\n" }
        return out
    }

    /// Marks each entry with the references whose provider value has its SHA-256 (`leaked` maps a hash to the
    /// places serving it); every entry counts as checked.
    public mutating func markInUse(_ leaked: [String: [String]]) {
        for i in entries.indices { entries[i].inUse = (leaked[entries[i].secretHash] ?? []).sorted() }
    }

    /// The SHA-256 of every value found.
    public var hashes: Set<String> { Set(entries.map(\.secretHash)) }

    /// The purge plan (Markdown): the commands, none run by eskit.
    public func purgeSteps(replaceFile: String) -> String {
        let multiline = entries.filter(\.multiline)
        var out = """
            # Purge plan

            Run these yourself, after every value is rotated (rotation.md). They rewrite every commit: every clone,
            fork and open pull request must be re-cloned or rebased afterwards, and hosted caches may keep old
            objects until the host purges them (ask your Git host's support).

            1. Back up: `git clone --mirror <remote> backup.git`
            2. Replace every value in every commit (the replace file holds the values: keep it outside the
               repository, delete it afterwards):

                   git filter-repo --replace-text \(replaceFile)


            """
        if !multiline.isEmpty {
            out += """
                3. \(multiline.count) value(s) span several lines (keys, certificates) and cannot be replaced line by
                   line: remove the files that held them from history instead, e.g.

                """
            for path in Set(multiline.flatMap { $0.places.map(\.path) }).sorted() {
                out += "       git filter-repo --invert-paths --path \(path)\n"
            }
            out += "\n"
        }
        out += """
            \(multiline.isEmpty ? 3 : 4). Check: `eskit scan --history` finds none of them.
            \(multiline.isEmpty ? 4 : 5). Force-push every branch and tag:
               `git push --force --all && git push --force --tags`

            """
        return out
    }

    /// `git filter-repo --replace-text` lines (`value==>***REMOVED***`) for the single-line values. Holds values.
    public func replaceText() -> String {
        entries.filter { !$0.multiline }.map { "\($0.secret.revealed)==>***REMOVED-\($0.secretHash.prefix(8))***\n" }
            .joined()
    }
}
