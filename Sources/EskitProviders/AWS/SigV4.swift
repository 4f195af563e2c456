import Crypto
import Foundation

/// An AWS access key, with the session token of temporary (STS) credentials. Every description is masked: the
/// secret key and the session token never reach a log or an error.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `AKIA…` (long-term) or `ASIA…` (temporary).
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Sent as `x-amz-security-token` (temporary credentials only).
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.expiration = expiration
    }

    public var description: String {
        "AWSCredentials(\(accessKeyID.prefix(4))…\(sessionToken == nil ? "" : ", session"))"
    }
    public var debugDescription: String { description }
}

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as the IAM User Guide's "Create a signed AWS API request"
/// describes it: canonical request, string to sign, signing key derived from the date, region and service, and
/// the `Authorization` header. The path is URI-encoded once (the JSON and Query protocols this client speaks only
/// send `/`); query parameters are URI-encoded with RFC 3986 unreserved characters kept, then sorted.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    /// The signing name: `secretsmanager`, `ssm`, `sts`.
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request to sign: `path` as sent on the wire (`/`), query parameters unencoded, headers as sent.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(String, String)]
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(
            method: String, path: String = "/", query: [(String, String)] = [], headers: [(String, String)],
            body: [UInt8] = []
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// The query string as sent: the canonical (sorted, encoded) form, so what is signed is what is sent.
        public var encodedQuery: String { SigV4Signer.canonicalQuery(query) }
    }

    /// `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String { format(date, "yyyyMMdd'T'HHmmss'Z'") }

    static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// Adds `x-amz-date`, `x-amz-security-token` (session credentials), `x-amz-content-sha256` (when
    /// `contentHashHeader`) and `Authorization` to `request.headers`. `host` must already be there.
    public func sign(_ request: inout Request, date: Date = Date(), contentHashHeader: Bool = true) {
        let amzDate = Self.amzDate(date)
        request.headers.removeAll {
            ["x-amz-date", "authorization", "x-amz-security-token", "x-amz-content-sha256"].contains($0.0.lowercased())
        }
        request.headers.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { request.headers.append(("X-Amz-Security-Token", token)) }
        if contentHashHeader {
            request.headers.append(("X-Amz-Content-SHA256", Self.sha256Hex(request.body)))
        }
        request.headers.append(("Authorization", authorization(request, amzDate: amzDate)))
    }

    /// The `Authorization` header value for `request` at `amzDate` (every header of `request` is signed).
    public func authorization(_ request: Request, amzDate: String) -> String {
        let (canonical, signed) = canonicalRequest(request)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate)
        let key = Self.signingKey(
            secret: credentials.secretAccessKey, date: String(amzDate.prefix(8)), region: region, service: service)
        let signature = Self.hex(HMAC<Crypto.SHA256>.authenticationCode(for: Array(toSign.utf8), using: key))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(amzDate)), "
            + "SignedHeaders=\(signed), Signature=\(signature)"
    }

    func scope(_ amzDate: String) -> String { "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request" }

    /// The canonical request and its signed-header list (`host;x-amz-date`).
    public func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in request.headers {
            merged[name.lowercased(), default: []].append(Self.trimHeaderValue(value))
        }
        let names = merged.keys.sorted()
        let headerLines = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let payload =
            request.headers.first { $0.0.lowercased() == "x-amz-content-sha256" }?.1
            ?? Self.sha256Hex(request.body)
        let text = [
            request.method.uppercased(), Self.uriEncode(request.path, keepSlash: true),
            Self.canonicalQuery(request.query), headerLines, signed, payload,
        ].joined(separator: "\n")
        return (text, signed)
    }

    /// `AWS4-HMAC-SHA256 \n date \n scope \n hex(SHA256(canonical request))`.
    public func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope(amzDate))\n"
            + Self.sha256Hex(Array(canonicalRequest.utf8))
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    public static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            let code: HMAC<Crypto.SHA256>.MAC = HMAC<Crypto.SHA256>.authenticationCode(
                for: Array(part.utf8), using: key)
            key = SymmetricKey(data: Array(code))
        }
        return key
    }

    /// Query parameters encoded and sorted by encoded name, then encoded value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (uriEncode(pair.0, keepSlash: false), uriEncode(pair.1, keepSlash: false))
        }
        let sorted = encoded.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of the UTF-8 bytes: `A-Z a-z 0-9 - _ . ~` kept (and `/` in paths), everything
    /// else `%XX` in upper-case hex (a space is `%20`, never `+`).
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved(byte) || (keepSlash && byte == 0x2F) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    static let hexDigits = Array("0123456789ABCDEF")
    static let lowerHexDigits = Array("0123456789abcdef")

    /// RFC 3986 unreserved: `A-Z a-z 0-9 - _ . ~`.
    static func unreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true
        case 0x2D, 0x5F, 0x2E, 0x7E: true
        default: false
        }
    }

    /// Leading and trailing spaces removed, inner runs of spaces collapsed to one.
    static func trimHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// Lower-case hex of SHA-256 of `bytes` (payload hashes; tests check canonical requests with it).
    static func sha256Hex(_ bytes: [UInt8]) -> String { hex(Crypto.SHA256.hash(data: bytes)) }

    /// Lower-case hex of a derived key.
    static func hex(_ key: SymmetricKey) -> String { key.withUnsafeBytes { hex(Array($0)) } }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            out.append(lowerHexDigits[Int(byte >> 4)])
            out.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return out
    }
}
