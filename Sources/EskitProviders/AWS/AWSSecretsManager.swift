import EskitCore
import Foundation

/// What DescribeSecret says about a secret (never its value).
public struct AWSSecretMetadata: Sendable, Hashable {
    public var name: String
    public var arn: String?
    /// Set when the secret is scheduled for deletion.
    public var deletedDate: Date?
    public var tags: [String: String]
    /// VersionId → staging labels.
    public var versionStages: [String: [String]]
}

extension AWSProvider {
    /// ESO's `version` for Secrets Manager: `uuid/<VersionId>` or a staging label (`AWSPREVIOUS`); none means
    /// AWSCURRENT.
    static func versionFields(_ version: String?) -> [String: Any] {
        guard let version, !version.isEmpty else { return [:] }
        if version.hasPrefix("uuid/") { return ["VersionId": String(version.dropFirst(5))] }
        return ["VersionStage": version]
    }

    /// A GetSecretValue / BatchGetSecretValue entry's value: SecretString as UTF-8, SecretBinary as its bytes.
    static func secretValue(_ entry: [String: Any], call: String, key: String) throws(ProviderError) -> ProviderValue {
        let version = entry["VersionId"] as? String
        if let text = entry["SecretString"] as? String {
            return ProviderValue(secret: RedactedSecret(text), version: version)
        }
        if let base64 = entry["SecretBinary"] as? String {
            guard let bytes = Data(base64Encoded: base64) else {
                throw .protocolError(detail: "\(call) `\(key)`: SecretBinary is not base64")
            }
            return ProviderValue(secret: RedactedSecret(Array(bytes)), version: version)
        }
        throw .protocolError(detail: "\(call) `\(key)`: neither SecretString nor SecretBinary in the reply")
    }

    func getSecretValue(_ ref: RemoteKey) async throws(ProviderError) -> ProviderValue {
        let body = ["SecretId": ref.key].merging(Self.versionFields(ref.version)) { a, _ in a }
        switch try await call("GetSecretValue", body) {
        case .success(let json):
            return try Self.secretValue(json, call: "GetSecretValue", key: ref.key)
        case .failure(let failure):
            throw await secretError(failure, call: "GetSecretValue", ref: ref)
        }
    }

    /// The error for `ref`: a missing version is named; an InvalidRequestException on a secret whose
    /// DescribeSecret shows a DeletedDate is `.deleted`.
    func secretError(_ failure: AWSFailure, call: String, ref: RemoteKey) async -> ProviderError {
        if AWSFailure.notFoundCodes.contains(failure.code), let version = ref.version {
            if let metadata = try? await describe(ref.key), metadata.deletedDate == nil {
                return .notFound(key: ref.description, detail: "\(call): version `\(version)` does not exist")
            }
        }
        if failure.code == "InvalidRequestException" {
            let message = failure.message.lowercased()
            if message.contains("marked for deletion") || message.contains("marked deleted") {
                return .deleted(key: ref.description, detail: "\(call): scheduled for deletion")
            }
            if let metadata = try? await describe(ref.key), metadata.deletedDate != nil {
                return .deleted(key: ref.description, detail: "\(call): scheduled for deletion (DeletedDate is set)")
            }
        }
        return failure.error(call, key: ref.description)
    }

    /// DescribeSecret: existence, deletion, tags and versions without reading the value.
    public func describe(_ key: String) async throws(ProviderError) -> AWSSecretMetadata {
        let json = try await require("DescribeSecret", ["SecretId": key], key: key)
        var tags: [String: String] = [:]
        for tag in json["Tags"] as? [[String: Any]] ?? [] {
            if let k = tag["Key"] as? String { tags[k] = tag["Value"] as? String ?? "" }
        }
        return AWSSecretMetadata(
            name: json["Name"] as? String ?? key, arn: json["ARN"] as? String,
            deletedDate: AWSWire.date(json["DeletedDate"]), tags: tags,
            versionStages: json["VersionIdsToStages"] as? [String: [String]] ?? [:])
    }

    /// Current values by BatchGetSecretValue (20 ids a call, chunks in parallel); versioned references by
    /// GetSecretValue. Each distinct reference is fetched once.
    func batchSecrets(_ refs: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        let unique = Set(refs)
        let current = unique.filter { $0.version == nil }.sorted { $0.key < $1.key }
        let versioned = unique.filter { $0.version != nil }.sorted { $0.description < $1.description }
        let chunks = stride(from: 0, to: current.count, by: Self.secretsBatchSize).map {
            Array(current[$0..<min($0 + Self.secretsBatchSize, current.count)])
        }
        var results: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        for part in await Self.each(chunks, { chunk in await self.batchGetSecretValue(chunk) }) {
            results.merge(part) { a, _ in a }
        }
        for (ref, result) in await Self.each(versioned, { ref in (ref, await self.getResult(ref)) }) {
            results[ref] = result
        }
        return results
    }

    /// One chunk (≤ 20 ids): values, then `Errors[]` mapped per id; a reply that names an id nowhere (a partial ARN)
    /// falls back to GetSecretValue for that id. A principal refused BatchGetSecretValue itself falls back to
    /// GetSecretValue per id (ESO's own permission set).
    func batchGetSecretValue(_ chunk: [RemoteKey]) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        var results: [RemoteKey: Result<ProviderValue, ProviderError>] = [:]
        var next: String?
        repeat {
            var body: [String: Any] = ["SecretIdList": chunk.map(\.key)]
            if let next { body["NextToken"] = next }
            let json: [String: Any]
            do throws(ProviderError) {
                switch try await call("BatchGetSecretValue", body) {
                case .success(let reply): json = reply
                case .failure(let failure) where AWSFailure.deniedCodes.contains(failure.code):
                    return await individually(chunk.filter { results[$0] == nil }, into: results)
                case .failure(let failure):
                    let error = failure.error("BatchGetSecretValue", key: nil)
                    for ref in chunk where results[ref] == nil { results[ref] = .failure(error) }
                    return results
                }
            } catch {
                for ref in chunk where results[ref] == nil { results[ref] = .failure(error) }
                return results
            }
            for entry in json["SecretValues"] as? [[String: Any]] ?? [] {
                let names = [entry["Name"] as? String, entry["ARN"] as? String].compactMap { $0 }
                for ref in chunk where results[ref] == nil && names.contains(ref.key) {
                    do throws(ProviderError) {
                        results[ref] = .success(try Self.secretValue(entry, call: "BatchGetSecretValue", key: ref.key))
                    } catch {
                        results[ref] = .failure(error)
                    }
                }
            }
            for entry in json["Errors"] as? [[String: Any]] ?? [] {
                guard let id = entry["SecretId"] as? String else { continue }
                let failure = AWSFailure(
                    code: entry["ErrorCode"] as? String ?? "UnknownError", message: entry["Message"] as? String ?? "")
                for ref in chunk where results[ref] == nil && ref.key == id {
                    results[ref] = .failure(await secretError(failure, call: "BatchGetSecretValue", ref: ref))
                }
            }
            next = (json["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while next != nil && chunk.contains { results[$0] == nil }
        return await individually(chunk.filter { results[$0] == nil }, into: results)
    }

    func individually(
        _ refs: [RemoteKey], into results: [RemoteKey: Result<ProviderValue, ProviderError>]
    ) async -> [RemoteKey: Result<ProviderValue, ProviderError>] {
        var results = results
        for ref in refs { results[ref] = await getResult(ref) }
        return results
    }

    /// ListSecrets with `name` (prefix) and `tag-key` / `tag-value` filters, every page; tags are then matched
    /// pair by pair (AWS matches keys and values separately), and secrets scheduled for deletion left out.
    func listSecrets(_ query: FindQuery) async throws(ProviderError) -> [String] {
        var filters: [[String: Any]] = []
        if let path = query.path, !path.isEmpty { filters.append(["Key": "name", "Values": [path]]) }
        if !query.tags.isEmpty {
            filters.append(["Key": "tag-key", "Values": query.tags.keys.sorted()])
            filters.append(["Key": "tag-value", "Values": Array(Set(query.tags.values)).sorted()])
        }
        var names: [String] = []
        var next: String?
        repeat {
            var body: [String: Any] = ["MaxResults": 100]
            if !filters.isEmpty { body["Filters"] = filters }
            if let next { body["NextToken"] = next }
            let json = try await require("ListSecrets", body, key: query.path)
            for entry in json["SecretList"] as? [[String: Any]] ?? [] {
                guard let name = entry["Name"] as? String, AWSWire.date(entry["DeletedDate"]) == nil else { continue }
                if let path = query.path, !name.hasPrefix(path) { continue }
                var tags: [String: String] = [:]
                for tag in entry["Tags"] as? [[String: Any]] ?? [] {
                    if let k = tag["Key"] as? String { tags[k] = tag["Value"] as? String ?? "" }
                }
                if query.tags.allSatisfy({ tags[$0.key] == $0.value }) { names.append(name) }
            }
            next = (json["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while next != nil
        return names
    }

    /// The body fields that carry `value`: SecretString when it is UTF-8 text, else SecretBinary.
    static func secretFields(_ value: RedactedSecret) -> [String: Any] {
        let bytes = value.revealedBytes
        if let text = String(validating: bytes, as: UTF8.self) { return ["SecretString": text] }
        return ["SecretBinary": Data(bytes).base64EncodedString()]
    }

    /// Reads the current value first: absent → CreateSecret; equal bytes → nothing written; different →
    /// `.conflict` (createOnly) or PutSecretValue (a new AWSCURRENT version).
    func putSecret(_ key: String, value: RedactedSecret, mode: PutMode) async throws(ProviderError) -> PutResult {
        let existing: ProviderValue?
        do throws(ProviderError) {
            existing = try await getSecretValue(RemoteKey(key))
        } catch .notFound {
            existing = nil
        }
        guard let existing else {
            var body = Self.secretFields(value)
            body["Name"] = key
            body["ClientRequestToken"] = UUID().uuidString.lowercased()
            _ = try await require("CreateSecret", body, key: key)
            return .created
        }
        if existing.secret.revealedBytes == value.revealedBytes { return .unchanged }
        if mode == .createOnly {
            throw .conflict(key: key, detail: "createOnly: the secret exists with another value")
        }
        var body = Self.secretFields(value)
        body["SecretId"] = key
        body["ClientRequestToken"] = UUID().uuidString.lowercased()
        _ = try await require("PutSecretValue", body, key: key)
        return .updated
    }

    /// DeleteSecret (recovery window from the config); a missing or already deleted secret is not an error.
    func deleteSecret(_ key: String) async throws(ProviderError) {
        var body: [String: Any] = ["SecretId": key]
        if config.forceDeleteWithoutRecovery {
            body["ForceDeleteWithoutRecovery"] = true
        } else if let days = config.recoveryWindowInDays {
            body["RecoveryWindowInDays"] = days
        }
        switch try await call("DeleteSecret", body) {
        case .success: return
        case .failure(let failure) where AWSFailure.notFoundCodes.contains(failure.code): return
        case .failure(let failure) where failure.code == "InvalidRequestException":
            if let metadata = try? await describe(key), metadata.deletedDate != nil { return }
            throw failure.error("DeleteSecret", key: key)
        case .failure(let failure): throw failure.error("DeleteSecret", key: key)
        }
    }
}
