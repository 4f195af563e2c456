import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request as an in-test cloud server sees it.
struct TestRequest: Sendable {
    var method: String
    /// The path without the query, percent-decoded.
    var path: String
    /// The raw path as sent (percent-encoded), without the query.
    var rawPath: String
    var query: [String: String]
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The bearer token of `Authorization: Bearer <token>` (or `prefix <token>` for other schemes).
    func authorization(scheme: String = "Bearer") -> String? {
        guard let value = header("Authorization"), value.hasPrefix(scheme + " ") else { return nil }
        return String(value.dropFirst(scheme.count + 1))
    }

    /// An `application/x-www-form-urlencoded` body.
    var form: [String: String] { Self.decodeForm(String(decoding: body, as: UTF8.self)) }

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

    static func decodeForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            out[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }
}

/// One response of an in-test cloud server.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> TestResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return TestResponse(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers,
            body: Array(data))
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 and a random free port, answering every request through `handler`.
/// The fake Azure Key Vault, GCP Secret Manager and Pulumi ESC services of the provider tests run on it; it is
/// stopped by `stop()` (the tests stop it at the end of each test).
final class CloudTestServer: Sendable {
    let port: Int
    private let channel: any Channel

    var url: String { "http://127.0.0.1:\(port)" }

    init(handler: @escaping @Sendable (TestRequest) -> TestResponse) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(handler: handler))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func stop() async {
        try? await channel.close()
    }

    /// A port nothing listens on: a server is started and stopped on it.
    static func closedPort() async throws -> Int {
        let server = try await CloudTestServer { _ in TestResponse(status: 500) }
        let port = server.port
        await server.stop()
        return port
    }
}

private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: @Sendable (TestRequest) -> TestResponse
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(handler: @escaping @Sendable (TestRequest) -> TestResponse) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let uri = head.uri
            let rawPath = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
            var query: [String: String] = [:]
            if let q = uri.firstIndex(of: "?") { query = TestRequest.decodeForm(String(uri[uri.index(after: q)...])) }
            let request = TestRequest(
                method: head.method.rawValue, path: rawPath.removingPercentEncoding ?? rawPath, rawPath: rawPath,
                query: query, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            let response = handler(request)
            var headers = HTTPHeaders(response.headers)
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
            headers.replaceOrAdd(name: "Connection", value: "close")
            let responseHead = HTTPResponseHead(
                version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            self.head = nil
        }
    }
}

/// A thread-safe box for a fake service's state.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var snapshot: Value { withLock { $0 } }
}
