import Foundation

/// STS over its Query protocol (`Action=…&Version=2011-06-15`, XML replies): AssumeRoleWithWebIdentity (an
/// unsigned POST form, as the AWS SDKs send it: the token is the proof), AssumeRole and GetCallerIdentity (signed
/// GETs with their parameters in the query string).
extension AWSProvider {
    static let stsVersion = "2011-06-15"

    /// The caller's ARN.
    func callerIdentity() async throws(ProviderError) -> String {
        let credentials = try await credentials()
        let text = try await sts("GetCallerIdentity", [], signedWith: credentials, key: nil)
        guard let arn = AWSWire.xml("Arn", in: text) else {
            throw .protocolError(detail: "GetCallerIdentity: no Arn in the reply")
        }
        return arn
    }

    func assumeRoleWithWebIdentity(
        role: String, token: String, session: String
    ) async throws(ProviderError)
        -> AWSCredentials
    {
        let text = try await sts(
            "AssumeRoleWithWebIdentity",
            [("RoleArn", role), ("RoleSessionName", session), ("WebIdentityToken", token)],
            signedWith: nil, key: role)
        return try Self.stsCredentials(text, call: "AssumeRoleWithWebIdentity")
    }

    func assumeRole(
        role: String, externalID: String?, session: String, with base: AWSCredentials
    )
        async throws(ProviderError) -> AWSCredentials
    {
        var parameters = [("RoleArn", role), ("RoleSessionName", session)]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        let text = try await sts("AssumeRole", parameters, signedWith: base, key: role)
        return try Self.stsCredentials(text, call: "AssumeRole")
    }

    /// One STS call: signed GET with the parameters in the query string, or (no credentials) an unsigned POST
    /// form. Returns the XML reply; an error reply is thrown as `.authFailed` / `.permissionDenied` / ....
    func sts(
        _ action: String, _ parameters: [(String, String)], signedWith credentials: AWSCredentials?,
        key: String?
    ) async throws(ProviderError) -> String {
        let fields = [("Action", action), ("Version", Self.stsVersion)] + parameters
        guard let host = AWSWire.host(of: config.stsURL + "/") else {
            throw .invalidConfiguration(detail: "STS endpoint `\(config.stsURL)` is not a URL")
        }
        let request: HTTPRequest
        if let credentials {
            var signed = SigV4Signer.Request(method: "GET", query: fields, headers: [("Host", host)])
            SigV4Signer(credentials: credentials, region: config.region, service: "sts").sign(&signed)
            request = HTTPRequest(
                "GET", config.stsURL + "/?" + signed.encodedQuery, headers: signed.headers, call: action)
        } else {
            request = HTTPRequest(
                "POST", config.stsURL + "/",
                headers: [("Host", host), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                body: AWSWire.form(fields), call: action)
        }
        let response = try await transport.send(request)
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else {
            let failure = AWSFailure(response)
            // STS refusing to issue credentials is an authentication failure of the store, whatever the code.
            if action != "GetCallerIdentity", failure.status == 403 || AWSFailure.deniedCodes.contains(failure.code) {
                throw .authFailed(detail: "STS \(action)\(key.map { " `\($0)`" } ?? ""): \(failure.text)")
            }
            throw failure.error("STS \(action)", key: key)
        }
        return text
    }

    static func stsCredentials(_ text: String, call: String) throws(ProviderError) -> AWSCredentials {
        guard let id = AWSWire.xml("AccessKeyId", in: text), let secret = AWSWire.xml("SecretAccessKey", in: text)
        else {
            throw .protocolError(detail: "\(call): no credentials in the reply")
        }
        return AWSCredentials(
            accessKeyID: id, secretAccessKey: secret, sessionToken: AWSWire.xml("SessionToken", in: text),
            expiration: AWSWire.date(AWSWire.xml("Expiration", in: text)) ?? Date().addingTimeInterval(900))
    }
}
