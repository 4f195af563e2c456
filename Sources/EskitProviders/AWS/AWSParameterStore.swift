import EskitCore
import Foundation

extension AWSProvider {
    /// GetParameter with decryption; a `version` is SSM's selector (`3` or a label) appended as `name:3`.
    func getParameter(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        let name = ref.version.map { "\(ref.key):\($0)" } ?? ref.key
        let json = try await require("GetParameter", ["Name": name, "WithDecryption": true], key: ref.description)
        guard let parameter = json["Parameter"] as? [String: Any] else {
            throw .protocolError(detail: "GetParameter `\(ref.key)`: no Parameter in the reply")
        }
        return try Self.parameterValue(parameter, call: "GetParameter", key: ref.key)
    }

    static func parameterValue(
        _ parameter: [String: Any], call: String, key: String
    ) throws(ProviderError)
        -> ProviderValue
    {
        guard let value = parameter["Value"] as? String else {
            throw .protocolError(detail: "\(call) `\(key)`: no Value in the reply")
        }
        let version = (parameter["Version"] as? NSNumber).map { "\($0.intValue)" }
        return ProviderValue(secret: RedactedSecret(value), version: version)
    }

    /// Current values by GetParameters (10 names a call, chunks in parallel; `InvalidParameters[]` → notFound);
    /// versioned references by GetParameter. Each distinct reference is fetched once.
    func batchParameters(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        let unique = Set(refs)
        let current = unique.filter { $0.version == nil }.sorted { $0.key < $1.key }
        let versioned = unique.filter { $0.version != nil }.sorted { $0.description < $1.description }
        let chunks = stride(from: 0, to: current.count, by: Self.parametersBatchSize).map {
            Array(current[$0..<min($0 + Self.parametersBatchSize, current.count)])
        }
        var results: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        for part in await Self.each(chunks, { chunk in await self.getParameters(chunk) }) {
            results.merge(part) { a, _ in a }
        }
        for (ref, result) in await Self.each(versioned, { ref in (ref, await self.getResult(ref)) }) {
            results[ref] = result
        }
        return results
    }

    func getParameters(_ chunk: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        var results: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        let json: [String: Any]
        do throws(ProviderError) {
            json = try await require("GetParameters", ["Names": chunk.map(\.key), "WithDecryption": true], key: nil)
        } catch {
            for ref in chunk { results[ref] = .failure(error) }
            return results
        }
        for parameter in json["Parameters"] as? [[String: Any]] ?? [] {
            let names = [parameter["Name"] as? String, parameter["ARN"] as? String].compactMap { $0 }
            for ref in chunk where results[ref] == nil && names.contains(ref.key) {
                do throws(ProviderError) {
                    results[ref] = .success(try Self.parameterValue(parameter, call: "GetParameters", key: ref.key))
                } catch {
                    results[ref] = .failure(error)
                }
            }
        }
        let invalid = Set(json["InvalidParameters"] as? [String] ?? [])
        for ref in chunk where results[ref] == nil && invalid.contains(ref.key) {
            results[ref] = .failure(.notFound(key: ref.key, detail: "GetParameters: listed in InvalidParameters"))
        }
        for ref in chunk where results[ref] == nil {
            results[ref] = await getResult(ref)
        }
        return results
    }

    /// A path (`/app/prod`) → GetParametersByPath, recursive, every page; any other prefix, or tags →
    /// DescribeParameters with `Name BeginsWith` and `tag:<key> Equals` filters.
    func findParameters(_ query: FindQuery) async throws(ProviderError) -> [String] {
        let path = query.path ?? ""
        if path.hasPrefix("/"), query.tags.isEmpty {
            return try await parametersByPath(path)
        }
        var filters: [[String: Any]] = []
        if path.hasPrefix("/") {
            filters.append(["Key": "Path", "Option": "Recursive", "Values": [Self.trimmedPath(path)]])
        } else if !path.isEmpty {
            filters.append(["Key": "Name", "Option": "BeginsWith", "Values": [path]])
        }
        for (key, value) in query.tags.sorted(by: { $0.key < $1.key }) {
            filters.append(["Key": "tag:\(key)", "Option": "Equals", "Values": [value]])
        }
        var names: [String] = []
        var next: String?
        repeat {
            var body: [String: Any] = ["MaxResults": 50]
            if !filters.isEmpty { body["ParameterFilters"] = filters }
            if let next { body["NextToken"] = next }
            let json = try await require("DescribeParameters", body, key: query.path)
            names += (json["Parameters"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
            next = (json["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while next != nil
        return names
    }

    static func trimmedPath(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    func parametersByPath(_ path: String) async throws(ProviderError) -> [String] {
        var names: [String] = []
        var next: String?
        repeat {
            var body: [String: Any] = [
                "Path": Self.trimmedPath(path), "Recursive": true, "WithDecryption": false, "MaxResults": 10,
            ]
            if let next { body["NextToken"] = next }
            let json = try await require("GetParametersByPath", body, key: path)
            names += (json["Parameters"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
            next = (json["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while next != nil
        return names
    }

    /// Reads the current value first: absent → PutParameter (SecureString, no overwrite); equal → nothing written;
    /// different → `.conflict` (createOnly) or PutParameter with Overwrite (a new version).
    func putParameter(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        guard let text = String(validating: value.revealedBytes, as: UTF8.self) else {
            throw .invalidConfiguration(detail: "PutParameter `\(key)`: SSM parameters hold text; the value is binary")
        }
        let existing: ProviderValue?
        do throws(ProviderError) {
            existing = try await getParameter(RemoteKey(key))
        } catch .notFound {
            existing = nil
        }
        if let existing {
            if existing.secret.revealedBytes == value.revealedBytes { return .unchanged }
            if mode == .createOnly {
                throw .conflict(key: key, detail: "createOnly: the parameter exists with another value")
            }
        }
        let body: [String: Any] = ["Name": key, "Value": text, "Type": "SecureString", "Overwrite": existing != nil]
        _ = try await require("PutParameter", body, key: key)
        return existing == nil ? .created : .updated
    }

    /// DeleteParameter; a missing parameter is not an error.
    func deleteParameter(_ key: String) async throws(ProviderError) {
        switch try await call("DeleteParameter", ["Name": key]) {
        case .success: return
        case .failure(let failure) where AWSFailure.notFoundCodes.contains(failure.code): return
        case .failure(let failure): throw failure.error("DeleteParameter", key: key)
        }
    }
}
