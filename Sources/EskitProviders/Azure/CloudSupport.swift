import Foundation

/// Small helpers the azurekv, gcpsm and pulumi clients share: form bodies, JSON, base64url, tokens with an expiry.
enum CloudSupport {
    /// `application/x-www-form-urlencoded` (RFC 3986 unreserved characters kept, everything else escaped).
    static func form(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&").utf8)
    }

    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but the RFC 3986 unreserved characters (a path segment or query value).
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func json(_ bytes: [UInt8]) -> [String: Any]? {
        bytes.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func encode(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: some StringProtocol) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }

    /// A number that JSON gives as a number or a string (`expires_in`, `dataCrc32c`).
    static func integer(_ any: Any?) -> Int64? {
        if let n = any as? NSNumber { return n.int64Value }
        if let s = any as? String { return Int64(s) }
        return nil
    }

    /// The OAuth 2.0 error of a token endpoint (`error`, and the `AADSTS…` code of `error_description`), never the
    /// rest of the description.
    static func oauthError(_ json: [String: Any]?) -> String {
        guard let json else { return "no error body" }
        var text = (json["error"] as? String) ?? "no error code"
        if let description = json["error_description"] as? String {
            let code = description.prefix { $0 != ":" && $0 != " " }
            if code.hasPrefix("AADSTS") { text += " (\(code))" }
        }
        return text
    }
}

/// An OAuth access token and when to stop using it (5 minutes before it expires, or half its life when shorter).
struct CachedToken: Sendable {
    var value: String
    var renewAt: Date

    init(value: String, expiresIn seconds: Int64, now: Date = Date()) {
        self.value = value
        let margin = min(300, Double(max(0, seconds)) / 2)
        renewAt = now.addingTimeInterval(Double(max(0, seconds)) - margin)
    }

    var isFresh: Bool { Date() < renewAt }
}

/// One token request at a time: concurrent callers wait for the same fetch instead of each logging in.
actor TokenCache {
    private var token: CachedToken?
    private var pending: Task<Result<CachedToken, ProviderError>, Never>?
    private(set) var fetches = 0

    /// The cached token while fresh; otherwise `fetch` once for every waiting caller.
    func token(
        _ fetch: @escaping @Sendable () async throws(ProviderError) -> CachedToken
    ) async throws(ProviderError) -> String {
        if let token, token.isFresh { return token.value }
        let task: Task<Result<CachedToken, ProviderError>, Never>
        if let pending {
            task = pending
        } else {
            fetches += 1
            task = Task { await capture(fetch) }
            pending = task
        }
        let result = await task.value
        if pending == task { pending = nil }
        let fresh = try result.get()
        token = fresh
        return fresh.value
    }

    /// Forgets the token (the service answered 401: it was revoked or expired early).
    func invalidate() { token = nil }
}
