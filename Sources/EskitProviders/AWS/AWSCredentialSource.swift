import EskitCore
import Foundation

/// Where an AWS client's credentials come from. Temporary credentials (web identity, assumed roles) are fetched
/// from STS when first needed and again before they expire.
public indirect enum AWSCredentialSource: Sendable, CustomStringConvertible {
    /// A fixed access key (environment, shared credentials file, `--credentials`).
    case fixed(AWSCredentials)
    /// STS `AssumeRoleWithWebIdentity` with the token read from `tokenFile` at each fetch: the IRSA shape ESO
    /// uses (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`, or the store's role with a service-account token).
    case webIdentity(roleARN: String, tokenFile: String, sessionName: String)
    /// STS `AssumeRole` signed with `base`'s credentials (the store's `role`, a profile's `role_arn`).
    case assumeRole(roleARN: String, externalID: String?, sessionName: String, base: AWSCredentialSource)

    public var description: String {
        switch self {
        case .fixed(let credentials): "\(credentials)"
        case .webIdentity(let role, let file, _): "web identity \(role) (token file \(file))"
        case .assumeRole(let role, _, _, let base): "\(role) assumed with \(base)"
        }
    }

    /// The default session name of assumed roles.
    public static let defaultSessionName = "eskit"

    /// The AWS SDKs' default chain, from `environment` only (tests pass their own; eskit passes the process
    /// environment, never anything from the repository):
    /// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
    /// 2. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` (or `tokenFile`, a service-account token given by the caller)
    ///    with `AWS_ROLE_ARN` (or `role`, the store's role), session `AWS_ROLE_SESSION_NAME`;
    /// 3. the profile `AWS_PROFILE` (else `AWS_DEFAULT_PROFILE`, else `default`) of the shared credentials file
    ///    (`AWS_SHARED_CREDENTIALS_FILE`, default `$HOME/.aws/credentials`) and config file (`AWS_CONFIG_FILE`,
    ///    default `$HOME/.aws/config`, sections `[profile name]`): keys, `role_arn` + `source_profile`,
    ///    `role_arn` + `web_identity_token_file`.
    /// Throws `.authFailed` when nothing gives credentials, `.invalidConfiguration` for a profile eskit cannot use.
    public static func fromEnvironment(
        _ environment: [String: String], role: String? = nil,
        tokenFile: String? = nil
    ) throws(ProviderError) -> AWSCredentialSource {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let id = env("AWS_ACCESS_KEY_ID"), let secret = env("AWS_SECRET_ACCESS_KEY") {
            return .fixed(
                AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN")))
        }
        let session = env("AWS_ROLE_SESSION_NAME") ?? defaultSessionName
        if let file = env("AWS_WEB_IDENTITY_TOKEN_FILE") ?? tokenFile {
            guard let roleARN = env("AWS_ROLE_ARN") ?? role else {
                throw .invalidConfiguration(
                    detail: "web identity needs a role: set AWS_ROLE_ARN or the store's `role`")
            }
            return .webIdentity(roleARN: roleARN, tokenFile: file, sessionName: session)
        }
        let files = AWSSharedFiles(environment: environment)
        let profile = env("AWS_PROFILE") ?? env("AWS_DEFAULT_PROFILE") ?? "default"
        if let source = try files.source(profile: profile, environment: environment, depth: 0) { return source }
        throw .authFailed(
            detail: "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_ROLE_ARN and "
                + "AWS_WEB_IDENTITY_TOKEN_FILE (or --sa-token), or AWS_PROFILE with a shared credentials file")
    }

    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region` in the config file.
    public static func region(environment: [String: String]) -> String? {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        let files = AWSSharedFiles(environment: environment)
        let profile =
            environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_DEFAULT_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return files.profile(profile)["region"]
    }
}

/// The shared credentials and config files (INI): `[name]` in the credentials file, `[profile name]` (or
/// `[default]`) in the config file; the credentials file wins for a key set in both.
struct AWSSharedFiles {
    var credentials: [String: [String: String]] = [:]
    var config: [String: [String: String]] = [:]

    init(environment: [String: String]) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let credentialsPath =
            environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? home.map { "\($0)/.aws/credentials" }
        let configPath =
            environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home.map { "\($0)/.aws/config" }
        if let path = credentialsPath { credentials = Self.parse(Self.read(path)) }
        if let path = configPath {
            for (section, values) in Self.parse(Self.read(path)) {
                let name = section.hasPrefix("profile ") ? String(section.dropFirst(8)) : section
                guard section.hasPrefix("profile ") || section == "default" else { continue }
                config[name.trimmingCharacters(in: .whitespaces), default: [:]].merge(values) { _, new in new }
            }
        }
    }

    static func read(_ path: String) -> String {
        guard let bytes = try? FileReader.input(path, what: "the AWS shared file", limit: 1 << 20) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `[section]` headers and `key = value` lines; `#` / `;` comments; indented continuation lines skipped.
    static func parse(_ text: String) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        var section: String?
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            if raw.first == " " || raw.first == "\t" { continue }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let section, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            out[section, default: [:]][key] = value
        }
        return out
    }

    func profile(_ name: String) -> [String: String] {
        (config[name] ?? [:]).merging(credentials[name] ?? [:]) { _, fromCredentials in fromCredentials }
    }

    func source(
        profile name: String, environment: [String: String], depth: Int
    ) throws(ProviderError)
        -> AWSCredentialSource?
    {
        guard depth < 5 else {
            throw .invalidConfiguration(detail: "AWS profile `\(name)`: source_profile chain is too long or a loop")
        }
        let values = profile(name)
        if values.isEmpty {
            if depth == 0 { return nil }
            throw missing(name)
        }
        let session = values["role_session_name"] ?? AWSCredentialSource.defaultSessionName
        if let role = values["role_arn"] {
            if let file = values["web_identity_token_file"] {
                return .webIdentity(roleARN: role, tokenFile: file, sessionName: session)
            }
            let base: AWSCredentialSource
            if let sourceProfile = values["source_profile"] {
                if sourceProfile == name, let keys = Self.keys(values) {
                    base = .fixed(keys)
                } else if let source = try source(profile: sourceProfile, environment: environment, depth: depth + 1) {
                    base = source
                } else {
                    throw missing(sourceProfile)
                }
            } else if values["credential_source"] == "Environment" {
                guard let id = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"]
                else { throw missing(name) }
                base = .fixed(
                    AWSCredentials(
                        accessKeyID: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"]))
            } else {
                throw .invalidConfiguration(
                    detail: "AWS profile `\(name)`: role_arn needs source_profile, web_identity_token_file or "
                        + "credential_source = Environment")
            }
            return .assumeRole(
                roleARN: role, externalID: values["external_id"], sessionName: session, base: base)
        }
        if let keys = Self.keys(values) { return .fixed(keys) }
        for unsupported in ["credential_process", "sso_session", "sso_start_url"] where values[unsupported] != nil {
            throw .invalidConfiguration(
                detail: "AWS profile `\(name)` uses \(unsupported), which eskit does not run; export "
                    + "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN instead")
        }
        if depth == 0 { return nil }
        throw missing(name)
    }

    func missing(_ name: String) -> ProviderError {
        .invalidConfiguration(detail: "AWS profile `\(name)` has no credentials")
    }

    static func keys(_ values: [String: String]) -> AWSCredentials? {
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }
}
