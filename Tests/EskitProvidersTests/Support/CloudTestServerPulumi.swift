import Foundation

/// A fake Pulumi Cloud ESC API on one `CloudTestServer`: environments that open into sessions, sessions read whole
/// or by property path. It enforces the documented rules instead of echoing requests; each rule cites its page.
final class FakePulumi: @unchecked Sendable {
    struct Store {
        /// `org/project/env` → the environment's resolved values (plain JSON); secret paths listed apart.
        var environments: [String: [String: Any]] = [:]
        var secretPaths: Set<String> = []
        /// Tokens and the organizations they may open environments in.
        var tokens: [String: Set<String>] = [:]
        /// Open session id → `org/project/env`.
        var sessions: [String: String] = [:]
        var opens = 0
        var log: [String] = []
    }

    static let org = "acme"
    let token = "pul-fake-" + UUID().uuidString.prefix(8).lowercased()
    let store = Locked(Store())
    private(set) var server: CloudTestServer!

    var url: String { server.url }

    init() async throws {
        server = try await CloudTestServer { [unowned self] request in self.handle(request) }
        let token = token
        store.withLock { $0.tokens[token] = [Self.org] }
    }

    func stop() async { await server.stop() }

    func define(_ path: String, _ values: [String: Any], secrets: Set<String> = []) {
        store.withLock { store in
            store.environments[path] = values
            store.secretPaths.formUnion(secrets)
        }
    }

    /// Pulumi's error body: `{"code": <status>, "message": "…"}`.
    static func error(_ code: Int, _ message: String) -> TestResponse {
        .json(code, ["code": code, "message": message])
    }

    func handle(_ request: TestRequest) -> TestResponse {
        store.withLock { $0.log.append("\(request.method) \(request.path)") }
        // "All requests must be authenticated using a token via the Authorization HTTP header … `Authorization:
        // token {token}` … The Pulumi Cloud REST API will return a 401 status code if the token is missing or
        // invalid." (https://www.pulumi.com/docs/reference/cloud-rest-api/api-basics/)
        guard let token = request.authorization(scheme: "token"), let orgs = store.withLock({ $0.tokens[token] }) else {
            return Self.error(401, "Unauthorized: No credentials provided or are invalid.")
        }
        // Required request headers: `Accept: application/vnd.pulumi+8` (same page).
        guard request.header("Accept") == "application/vnd.pulumi+8" else {
            return Self.error(415, "Unsupported Media Type: Accept application/vnd.pulumi+8")
        }
        // /api/esc/environments/{org}/{project}/{env}/open[/{openSessionID}]
        // (https://pulumi.com/docs/pulumi-cloud/reference/environments: "Open Environment", "Read Open Environment",
        // "Read Open Environment Property").
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 7, parts[0] == "api", parts[1] == "esc", parts[2] == "environments", parts[6] == "open"
        else { return Self.error(404, "Not Found") }
        let (org, envPath) = (parts[3], parts[3...5].joined(separator: "/"))
        guard orgs.contains(org) else { return Self.error(403, "Forbidden: no access to organization '\(org)'") }
        if request.method == "POST", parts.count == 7 {
            // Open Environment: 200 `{"id": …, "diagnostics": …}` (the OpenEnvironmentResponse schema,
            // https://www.pulumi.com/docs/reference/cloud-rest-api/schema/openenvironmentresponse/); a missing
            // environment is 404.
            return store.withLock { store -> TestResponse in
                guard store.environments[envPath] != nil else {
                    return Self.error(404, "Environment '\(envPath)' not found")
                }
                store.opens += 1
                let id = String(store.opens) + "-" + UUID().uuidString.prefix(8)
                store.sessions[id] = envPath
                return .json(200, ["id": id, "diagnostics": [Any]()])
            }
        }
        guard request.method == "GET", parts.count == 8 else { return Self.error(405, "Method Not Allowed") }
        // A session must have been opened, for this environment.
        let (values, secrets): ([String: Any], Set<String>)
        switch store.withLock({ store in
            store.sessions[parts[7]] == envPath ? (store.environments[envPath], store.secretPaths) : nil
        }) {
        case .some((.some(let v), let s)): (values, secrets) = (v, s)
        default: return Self.error(404, "open session '\(parts[7])' not found")
        }
        guard let property = request.query["property"] else {
            return .json(
                200, ["properties": values.mapValues { Self.wrap($0, path: "", secrets: secrets) }, "schema": [:]])
        }
        guard let path = Self.parse(property) else { return Self.error(400, "invalid property path '\(property)'") }
        var current: Any = values
        for segment in path {
            switch segment {
            case .key(let k):
                guard let next = (current as? [String: Any])?[k] else {
                    return Self.error(404, "property '\(property)' not found")
                }
                current = next
            case .index(let i):
                guard let list = current as? [Any], list.indices.contains(i) else {
                    return Self.error(404, "property '\(property)' not found")
                }
                current = list[i]
            }
        }
        return .json(200, Self.wrap(current, path: property, secrets: secrets))
    }

    /// A plain JSON value as an ESC `Value`: `{"value": …, "secret": …, "trace": {…}}`, objects and arrays of
    /// nested Values (esc-sdk `internal/httpstub/testdata/open_read_property.json`).
    static func wrap(_ value: Any, path: String, secrets: Set<String>) -> [String: Any] {
        var out: [String: Any] = ["trace": ["def": ["environment": "fake", "begin": [:], "end": [:]]]]
        if let map = value as? [String: Any] {
            out["value"] = map.mapValues { wrap($0, path: path, secrets: secrets) }
        } else if let list = value as? [Any] {
            out["value"] = list.map { wrap($0, path: path, secrets: secrets) }
        } else {
            out["value"] = value
        }
        if secrets.contains(path) { out["secret"] = true }
        return out
    }

    enum Segment { case key(String), index(Int) }

    /// Pulumi property paths: `a.b`, `a["b.c"]`, `list[0]` (https://www.pulumi.com/docs/esc/reference/, paths as
    /// in `esc env get`; ESO `docs/provider/pulumi.md`).
    static func parse(_ text: String) -> [Segment]? {
        var out: [Segment] = []
        var i = text.startIndex
        var name = ""
        func flush() { if !name.isEmpty { out.append(.key(name)); name = "" } }
        while i < text.endIndex {
            let c = text[i]
            if c == "." {
                flush()
                i = text.index(after: i)
            } else if c == "[" {
                flush()
                guard let close = text[i...].firstIndex(of: "]") else { return nil }
                let inner = text[text.index(after: i)..<close]
                if inner.hasPrefix("\""), inner.hasSuffix("\""), inner.count >= 2 {
                    out.append(.key(String(inner.dropFirst().dropLast())))
                } else if let n = Int(inner) {
                    out.append(.index(n))
                } else {
                    return nil
                }
                i = text.index(after: close)
            } else {
                name.append(c)
                i = text.index(after: i)
            }
        }
        flush()
        return out.isEmpty ? nil : out
    }
}
