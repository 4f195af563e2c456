import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TestSupport

/// An HTTP/1.1 (or HTTPS) server on 127.0.0.1 for the transport tests: each request is answered by `handler`
/// after the delay it asks for, without blocking the event loop, and the server counts the requests it is
/// serving at once (`peak`). Stopped by `stop()`.
final class TransportTestServer: Sendable {
    struct Reply: Sendable {
        var response: TestResponse
        var delay: Duration = .zero
    }

    let port: Int
    let scheme: String
    private let channel: any Channel
    private let load = Locked((now: 0, peak: 0, served: 0))

    var url: String { "\(scheme)://127.0.0.1:\(port)" }
    /// The most requests that were being served at once.
    var peak: Int { load.snapshot.peak }
    /// Requests answered so far.
    var served: Int { load.snapshot.served }

    init(tls: NIOSSLContext? = nil, handler: @escaping @Sendable (TestRequest) -> Reply) async throws {
        let load = self.load
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(DelayingHandler(handler: handler, load: load))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        scheme = tls == nil ? "http" : "https"
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class DelayingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: @Sendable (TestRequest) -> TransportTestServer.Reply
    let load: Locked<(now: Int, peak: Int, served: Int)>
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(
        handler: @escaping @Sendable (TestRequest) -> TransportTestServer.Reply,
        load: Locked<(now: Int, peak: Int, served: Int)>
    ) {
        self.handler = handler
        self.load = load
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            load.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
            let uri = head.uri
            let rawPath = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
            var query: [String: String] = [:]
            if let q = uri.firstIndex(of: "?") { query = TestRequest.decodeForm(String(uri[uri.index(after: q)...])) }
            let request = TestRequest(
                method: head.method.rawValue, path: rawPath.removingPercentEncoding ?? rawPath, rawPath: rawPath,
                query: query, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            let reply = handler(request)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let version = head.version
            let nanos =
                reply.delay.components.seconds * 1_000_000_000 + reply.delay.components.attoseconds / 1_000_000_000
            context.eventLoop.scheduleTask(in: .nanoseconds(nanos)) {
                let (handler, context) = bound.value
                handler.respond(reply.response, version: version, context: context)
            }
        }
    }

    func respond(_ response: TestResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        load.withLock {
            $0.now -= 1
            $0.served += 1
        }
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: "close")
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}

/// A test CA and a server certificate for 127.0.0.1 / localhost it signed, made with the `openssl` CLI in a
/// temporary folder at test time (P-256 keys; nothing is kept).
struct TestPKI {
    static let openssl = OptionalTools.executable("openssl")

    let folder: URL
    var caFile: String { folder.appendingPathComponent("ca.pem").path }
    var certificateFile: String { folder.appendingPathComponent("server.pem").path }
    var keyFile: String { folder.appendingPathComponent("server.key").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eskit-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: folder.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try Self.run(
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=eskit test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ], in: folder)
        try Self.run(
            ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: folder)
        try Self.run(
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "1", "-extfile", "server.ext",
            ], in: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The server side: this certificate and key.
    func serverContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    static func run(_ arguments: [String], in folder: URL) throws {
        guard let openssl else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: ["openssl": arguments.first ?? ""])
        }
    }
}
