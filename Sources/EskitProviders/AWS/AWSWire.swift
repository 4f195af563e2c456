import EskitCore
import Foundation

/// An AWS error reply: its code (`ResourceNotFoundException`, namespace and `:…` suffix stripped), a message
/// safe to show (AWS validation messages that echo an input value are dropped) and the HTTP status.
struct AWSFailure: Error, Sendable {
    var code: String
    var message: String
    var status: Int

    static let authCodes: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken",
        "SignatureDoesNotMatch", "InvalidClientTokenId", "IncompleteSignature", "MissingAuthenticationToken",
        "InvalidAccessKeyId", "InvalidToken", "InvalidIdentityToken", "IDPRejectedClaim",
    ]
    static let deniedCodes: Set<String> = ["AccessDeniedException", "AccessDenied"]
    static let notFoundCodes: Set<String> = [
        "ResourceNotFoundException", "ParameterNotFound", "ParameterVersionNotFound", "NoSuchEntity",
    ]
    /// Throttling codes AWS sends in 400 replies: retried by the transport.
    static let throttlingCodes: Set<String> = [
        "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
        "ThrottledException", "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException",
        "SlowDown",
    ]

    /// The failure of a non-2xx response, from `x-amzn-ErrorType`, a JSON `__type` / `code`, or an XML `<Code>`.
    init(_ response: HTTPResponse) {
        status = response.status
        let json = AWSWire.json(response.body)
        let text = String(decoding: response.body.prefix(64 << 10), as: UTF8.self)
        var raw =
            (json?["__type"] as? String) ?? (json?["code"] as? String) ?? (json?["Code"] as? String)
            ?? AWSWire.xml("Code", in: text) ?? response.header("x-amzn-ErrorType") ?? ""
        if let hash = raw.lastIndex(of: "#") { raw = String(raw[raw.index(after: hash)...]) }
        if let colon = raw.firstIndex(of: ":") { raw = String(raw[..<colon]) }
        code = raw.isEmpty ? "HTTP \(response.status)" : raw
        let message =
            (json?["message"] as? String) ?? (json?["Message"] as? String) ?? AWSWire.xml("Message", in: text) ?? ""
        self.message = Self.safe(message)
    }

    init(code: String, message: String, status: Int = 400) {
        self.code = code
        self.message = Self.safe(message)
        self.status = status
    }

    /// At most 200 characters, and nothing from a validation message (`Value '…' at 'secretString' failed…`).
    static func safe(_ message: String) -> String {
        if message.contains("Value '") || message.contains("value '") { return "(message withheld: it may echo input)" }
        return message.count > 200 ? String(message.prefix(200)) + "…" : message
    }

    var text: String { message.isEmpty ? code : "\(code): \(message)" }

    /// The `ProviderError` for this failure of `call` on `key` (nil for calls not about one key).
    func error(_ call: String, key: String?) -> ProviderError {
        let what = key.map { "\(call) `\($0)`" } ?? call
        if Self.authCodes.contains(code) { return .authFailed(detail: "\(what): \(text)") }
        if Self.deniedCodes.contains(code) { return .permissionDenied(key: key ?? "*", detail: "\(call): \(text)") }
        if Self.notFoundCodes.contains(code), let key { return .notFound(key: key, detail: "\(call): \(text)") }
        if Self.throttlingCodes.contains(code) || status == 429 {
            return .unreachable(detail: "\(what): still throttled after retries (\(code))")
        }
        if status >= 500 { return .unreachable(detail: "\(what): HTTP \(status) \(text)") }
        return .protocolError(detail: "\(what): HTTP \(status) \(text)")
    }
}

enum AWSWire {
    static func json(_ bytes: [UInt8]) -> [String: Any]? {
        bytes.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func encode(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// The text of the first `<tag>…</tag>` (XML entities decoded): enough for STS's and moto's small replies.
    static func xml(_ tag: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(tag)>"),
            let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `Host` as the client sends it: the port only when not the scheme's default.
    static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let defaultPort = components.scheme == "http" ? 80 : 443
        if let port = components.port, port != defaultPort { return "\(host):\(port)" }
        return host
    }

    /// `application/x-www-form-urlencoded` with SigV4's encoding.
    static func form(_ fields: [(String, String)]) -> [UInt8] {
        Array(SigV4Signer.canonicalQuery(fields).utf8)
    }

    /// Epoch seconds (a JSON number, possibly fractional) or ISO 8601 text.
    static func date(_ any: Any?) -> Date? {
        if let number = any as? NSNumber { return Date(timeIntervalSince1970: number.doubleValue) }
        guard let text = any as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// The credentials in use and the one fetch under way: concurrent callers wait for the same STS call.
actor AWSCredentialCache {
    private var current: AWSCredentials?
    private var pending: Task<Result<AWSCredentials, ProviderError>, Never>?

    /// The cached credentials while they have more than 5 minutes (or half their life) left; else `fetch` once.
    func get(
        _ fetch: @escaping @Sendable () async throws(ProviderError) -> AWSCredentials
    ) async throws(ProviderError) -> AWSCredentials {
        if let current, Self.fresh(current) { return current }
        let task: Task<Result<AWSCredentials, ProviderError>, Never>
        if let pending {
            task = pending
        } else {
            task = Task { await capture(fetch) }
            pending = task
        }
        let result = await task.value
        if pending == task { pending = nil }
        if case .success(let credentials) = result { current = credentials }
        return try result.get()
    }

    func invalidate() { current = nil }

    static func fresh(_ credentials: AWSCredentials, now: Date = Date()) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return now.addingTimeInterval(300) < expiration
    }
}
