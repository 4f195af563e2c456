/// What `eskit init` writes: a commented starter inventory for one provider (from `templates/`), the inventory's
/// JSON Schema it points editors at, a pre-commit config and a CI configuration (GitHub Actions, GitLab CI or none).
public enum StarterFiles {
    /// The provider families with a starter inventory (`templates/inventory/<name>.yaml`).
    public static var providers: [String] { ProviderFamilies.starters }

    /// The CI configurations `eskit init --ci` writes.
    public enum CI: String, Sendable, CaseIterable {
        /// `.github/workflows/eskit.yaml` (`templates/github-workflow.yaml`).
        case github
        /// `.gitlab/eskit.gitlab-ci.yml` (`templates/gitlab-ci.yml`), included from `.gitlab-ci.yml`.
        case gitlab
        case none

        /// Where the CI file goes, relative to the target folder; nil for `none`.
        public var path: String? {
            switch self {
            case .github: ".github/workflows/eskit.yaml"
            case .gitlab: ".gitlab/eskit.gitlab-ci.yml"
            case .none: nil
            }
        }

        var template: String? {
            switch self {
            case .github: "github-workflow.yaml"
            case .gitlab: "gitlab-ci.yml"
            case .none: nil
            }
        }
    }

    /// The `.gitlab-ci.yml` `eskit init --ci gitlab` writes when the repository has none: it includes the job.
    public static let gitlabCIInclude = """
        # GitLab CI: eskit's job (plaintext secrets as a secret-detection report) lives in its own file.
        include:
          - local: .gitlab/eskit.gitlab-ci.yml

        """

    /// The eskit release a CI file installs: `eskit-VERSION-linux-x86_64.tar.gz`, checked against its SHA-256.
    public struct Release: Sendable, Hashable {
        public let version: String
        /// 64 lowercase hex digits.
        public let sha256: String

        /// The name of the archive CI runners (x86_64 Linux) download.
        public var archive: String { "eskit-\(version)-linux-x86_64.tar.gz" }

        /// Nil unless `version` is a release version (`1.2.3`, `1.2.3-rc.1`) and `sha256` 64 hex digits: both are
        /// written into YAML and shell lines, so nothing else gets through.
        public init?(version: String, sha256: String) {
            guard Self.isVersion(version), sha256.utf8.count == 64, sha256.utf8.allSatisfy(Self.isHexDigit) else {
                return nil
            }
            self.version = version
            self.sha256 = sha256.lowercased()
        }

        /// `MAJOR.MINOR.PATCH` with an optional `-pre.release` of letters, digits, dots and hyphens.
        public static func isVersion(_ text: String) -> Bool {
            let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            let numbers = parts[0].split(separator: ".", omittingEmptySubsequences: false)
            guard numbers.count == 3, numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }) else {
                return false
            }
            guard parts.count == 2 else { return true }
            return !parts[1].isEmpty
                && parts[1].utf8.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: ".") || $0 == 45 }
        }

        /// The archive's SHA-256 in a `SHA256SUMS` text (`sha256sum` output: `HEX  NAME` or `HEX *NAME` per line).
        public static func checksum(of archive: String, in sums: String) -> String? {
            for line in sums.split(whereSeparator: \.isNewline) {
                let fields = line.split(separator: " ", maxSplits: 1)
                guard fields.count == 2 else { continue }
                var name = fields[1].drop { $0 == " " }
                if name.first == "*" { name = name.dropFirst() }
                if name == archive { return String(fields[0]) }
            }
            return nil
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
        static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102) }
    }

    /// A CI template with the release filled in (`@ESKIT_VERSION@`, `@ESKIT_SHA256@`).
    public static func ciFile(_ ci: CI, release: Release) -> String? {
        guard let name = ci.template, let text = EmbeddedTemplates.text(name) else { return nil }
        return text.replacingOccurrences(of: "@ESKIT_VERSION@", with: release.version)
            .replacingOccurrences(of: "@ESKIT_SHA256@", with: release.sha256)
    }

    /// Paths (relative to the target folder) and contents for `provider`, with the CI file of `ci` (which needs
    /// `release` unless `none`); nil for an unknown provider or a CI file without a release.
    public static func files(
        provider: String, ci: CI = .none, release: Release? = nil
    ) -> [(path: String, text: String)]? {
        guard providers.contains(provider), let inventory = EmbeddedTemplates.text("inventory/\(provider).yaml"),
            let preCommit = EmbeddedTemplates.text("pre-commit-config.yaml")
        else { return nil }
        var files: [(path: String, text: String)] = [
            ("eskit.yaml", inventory),
            ("eskit-inventory.schema.json", JSONSchemaWriter.inventory()),
            (".pre-commit-config.yaml", preCommit),
        ]
        if let path = ci.path {
            guard let release, let text = ciFile(ci, release: release) else { return nil }
            files.append((path, text))
        }
        return files
    }
}
