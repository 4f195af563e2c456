import Foundation
import _CryptoExtras

/// RS256 JWTs for the in-test servers, written independently of the providers' own signer: the servers verify
/// what the clients send with these, and tests mint federated tokens with them.
enum TestJWT {
    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }

    static func sign(_ claims: [String: Any], key: _RSA.Signing.PrivateKey, kid: String? = nil) throws -> String {
        var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
        if let kid { header["kid"] = kid }
        let input =
            base64URL(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) + "."
            + base64URL(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signature = try key.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + base64URL(signature.rawRepresentation)
    }

    /// The header and claims of `jwt` when its RS256 signature verifies with `key`; nil otherwise (RFC 7515 §5.2).
    static func verify(_ jwt: String, key: _RSA.Signing.PublicKey) -> (header: [String: Any], claims: [String: Any])? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64URLDecode(parts[0]),
            let claimBytes = base64URLDecode(parts[1]), let signature = base64URLDecode(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: Data(headerBytes))) as? [String: Any],
            let claims = (try? JSONSerialization.jsonObject(with: Data(claimBytes))) as? [String: Any],
            header["alg"] as? String == "RS256"
        else { return nil }
        let input = Array((parts[0] + "." + parts[1]).utf8)
        guard
            key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
        else { return nil }
        return (header, claims)
    }

    /// A test RSA key (generated per test run; never a real credential).
    static func makeKey() throws -> _RSA.Signing.PrivateKey { try _RSA.Signing.PrivateKey(keySize: .bits2048) }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
