import Foundation
import TestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `moto_server` (PyPI `moto[server]`) on 127.0.0.1 and a free port: a child process of the test run,
/// started by the suite that needs it and killed by `stop()` (and when the process exits). `authenticated`
/// starts it with `INITIAL_NO_AUTH_ACTION_COUNT=0`: every request must then be signed with an IAM user's key and
/// allowed by its policies (`allowUnauthenticated(_:)` opens a budget of unchecked setup calls).
public final class MotoServer: @unchecked Sendable {
    public static let binary: String? =
        OptionalTools.executable("moto_server")
        ?? ProcessInfo.processInfo.environment["HOME"].map { "\($0)/.pyenv/shims/moto_server" }.flatMap {
            FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil
        }

    /// moto's default account.
    public static let account = "123456789012"

    public let url: String
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    public init(authenticated: Bool = false) throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        let port = try OpenBaoServer.freePort()
        url = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-H", "127.0.0.1", "-p", "\(port)"]
        var environment = ProcessInfo.processInfo.environment
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = authenticated ? "0" : nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        MotoProcesses.started(process.processIdentifier)
        for _ in 0..<300 {
            if let status = try? send("GET", "/moto-api/data.json", body: nil, headers: [:]).status, status == 200 {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw CocoaError(.fileReadUnknown)
    }

    deinit { stop() }

    /// Kills the server and waits for it.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        // SIGKILL: the child inherits the test process's blocked signal mask, so it never sees SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        MotoProcesses.stopped(process.processIdentifier)
    }

    /// The next `count` requests are not authenticated (moto's `/moto-api/reset-auth`).
    public func allowUnauthenticated(_ count: Int) throws {
        let reply = try send(
            "POST", "/moto-api/reset-auth", body: Array("\(count)".utf8), headers: ["Content-Type": "text/plain"])
        guard reply.status == 200 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// A setup call of a JSON 1.1 service (`secretsmanager`, `ssm`), with a placeholder signature moto does not
    /// check while authentication is off: status and JSON reply.
    @discardableResult
    public func json(
        _ service: String, _ target: String, _ body: [String: Any]
    ) throws -> (status: Int, json: [String: Any]?) {
        let reply = try send(
            "POST", "/", body: Array(try JSONSerialization.data(withJSONObject: body)),
            headers: [
                "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target,
                "Authorization": Self.placeholderAuthorization(service),
            ])
        return (reply.status, try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
    }

    /// A setup call of a Query service (`iam`, `sts`): status and XML reply text.
    @discardableResult
    public func query(_ service: String, _ fields: [(String, String)]) throws -> (status: Int, text: String) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
        let form = fields.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        let reply = try send(
            "POST", "/", body: Array(form.utf8),
            headers: [
                "Content-Type": "application/x-www-form-urlencoded",
                "Authorization": Self.placeholderAuthorization(service),
            ])
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }

    /// The text of the first `<tag>…</tag>` of an XML reply.
    public static func xml(_ tag: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(tag)>"),
            let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    public static func placeholderAuthorization(_ service: String) -> String {
        "AWS4-HMAC-SHA256 Credential=" + "setup" + "/20240101/us-east-1/\(service)/aws4_request, "
            + "SignedHeaders=host, Signature=00"
    }

    private func send(
        _ method: String, _ path: String, body: [UInt8]?,
        headers: [String: String]
    ) throws -> (status: Int, body: [UInt8]) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, Data?, (any Error)?) = (0, nil, nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data, error)
            semaphore.signal()
        }.resume()
        semaphore.wait()
        if let error = result.2 { throw error }
        return (result.0, Array(result.1 ?? Data()))
    }
}

/// moto servers still running: killed when the test process exits, should a suite not stop its own.
enum MotoProcesses {
    nonisolated(unsafe) static var running: Set<pid_t> = []
    nonisolated(unsafe) static var hooked = false
    static let lock = NSLock()

    static func started(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        running.insert(pid)
        if !hooked {
            hooked = true
            atexit {
                for pid in MotoProcesses.running { kill(pid, SIGKILL) }
            }
        }
    }

    static func stopped(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        running.remove(pid)
    }
}
