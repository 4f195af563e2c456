import EskitCore
import EskitYAML

/// The worker behind the Kubernetes rules: walks each parsed resource once.
struct KubernetesManifestScanner: DocumentDetector {
    let id = "kubernetes-manifests"
    let description = "Kubernetes manifests"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }

    static let secretData = RuleInfo(KubernetesSecretDataDetector())
    static let stringData = RuleInfo(KubernetesSecretStringDataDetector())
    static let envValue = RuleInfo(KubernetesEnvValueDetector())
    static let configMap = RuleInfo(KubernetesConfigMapSecretDetector())
    static let kustomize = RuleInfo(KustomizeSecretLiteralDetector())
    static let argoCD = RuleInfo(ArgoCDRepositoryCredentialDetector())

    static let referenceKinds: Set<String> = [
        "SealedSecret", "ExternalSecret", "ClusterExternalSecret", "SecretStore", "ClusterSecretStore", "PushSecret",
        "SecretProviderClass", "VaultStaticSecret", "VaultDynamicSecret", "OnePasswordItem",
    ]
    static let argoCDTypes: Set<String> = [
        "repository", "repo-creds", "repo-write-creds", "repository-write", "cluster",
    ]
    static let argoCDKeys: Set<String> = [
        "password", "sshPrivateKey", "githubAppPrivateKey", "tlsClientCertKey", "bearerToken", "config",
    ]

    func inspect(_ file: ManifestFile, into sink: inout MatchSink) {
        for doc in file.documents {
            guard let root = doc.root else { continue }
            if root["sops"] != nil { sink.claim(file.byteRange(root)); continue }
            if let generators = root["secretGenerator"]?.items { kustomize(generators, file, &sink) }
        }
        for resource in file.resources {
            let kind = resource["kind"]?.scalarValue ?? ""
            if Self.referenceKinds.contains(kind) || resource["sops"] != nil {
                sink.claim(file.byteRange(resource))
                continue
            }
            switch kind {
            case "Secret": secret(resource, file, &sink)
            case "ConfigMap": configMap(resource, file, &sink)
            default: env(resource, file, &sink, depth: 0)
            }
        }
    }

    private func secret(_ resource: YAMLNode, _ file: ManifestFile, _ sink: inout MatchSink) {
        let type = resource["metadata"]?["labels"]?["argocd.argoproj.io/secret-type"]?.scalarValue
        let argo = type.map(Self.argoCDTypes.contains) ?? false
        for pair in resource["data"]?.pairs ?? [] {
            guard let key = pair.key.scalarValue, let raw = pair.value.scalarValue else { continue }
            let range = file.valueRange(pair.value)
            sink.claim(range)
            let bytes = Array(raw.utf8)
            guard let decoded = Base64.decode(bytes), !decoded.isEmpty else { continue }
            judge(key: key, value: decoded, range: range, encoded: true, argo: argo, rule: Self.secretData, file, &sink)
        }
        for pair in resource["stringData"]?.pairs ?? [] {
            guard let key = pair.key.scalarValue, let raw = pair.value.scalarValue else { continue }
            let range = file.valueRange(pair.value)
            let bytes = Array(raw.utf8)
            if !bytes.contains(10) { sink.claim(range) }
            judge(key: key, value: bytes, range: range, encoded: false, argo: argo, rule: Self.stringData, file, &sink)
        }
    }

    private func judge(
        key: String, value raw: [UInt8], range: Range<Int>, encoded: Bool, argo: Bool, rule: RuleInfo,
        _ file: ManifestFile, _ sink: inout MatchSink
    ) {
        // Judged without a trailing newline (`echo pw | base64`), but reported with the whole value the consumer
        // receives (`kubectl get secret … | base64 -d | sha256sum`), whatever detector recognised it inside.
        var value = raw
        while let last = value.last, last == 10 || last == 13 { value.removeLast() }
        let inner = encoded ? file.decodedMatches(value) : []
        if argo, Self.argoCDKeys.contains(key) {
            let verdict = ValueJudge.judge(value, keyClass: .password)
            if verdict == .secret || verdict == .defaultCredential || !inner.isEmpty
                || (value.contains(10) && !ValueJudge.isPlaceholder(value))
            {
                sink.emit(Self.argoCD, range: range, secret: raw, priority: .composite)
                return
            }
        }
        if !inner.isEmpty {
            // The rule that decoded the whole value knows more than a text rule reading its base64 (a
            // `.dockerconfigjson` is base64 of JSON): it wins the range.
            for m in inner { sink.emit(m.rule, range: range, secret: raw, priority: .composite) }
            return
        }
        if value.contains(10) {
            if JSONCredential.holdsSecret(value) { sink.emit(rule, range: range, secret: raw, priority: .structured) }
            return
        }
        if KeyName.isPublicDataKey(key) { return }
        emit(Self.judgeStored(key: key, value: value), rule: rule, range: range, value: raw, &sink)
    }

    /// A value of a Secret or secretGenerator: password keys judged generously, every other key as a secret.
    static func judgeStored(key: String, value: [UInt8]) -> ValueJudge.Verdict {
        KeyName.classify(Array(key.utf8)) == .password
            ? ValueJudge.judgeStoredPassword(value) : ValueJudge.judge(value, keyClass: .secret)
    }

    private func emit(
        _ verdict: ValueJudge.Verdict, rule: RuleInfo, range: Range<Int>, value: [UInt8], _ sink: inout MatchSink
    ) {
        switch verdict {
        case .secret: sink.emit(rule, range: range, secret: value, priority: .structured)
        case .defaultCredential:
            sink.emit(GenericAssignmentScanner.defaultCredential, range: range, secret: value, priority: .structured)
        case .placeholder, .notSecret: sink.claim(range)
        }
    }

    private func configMap(_ resource: YAMLNode, _ file: ManifestFile, _ sink: inout MatchSink) {
        for pair in resource["data"]?.pairs ?? [] {
            guard let key = pair.key.scalarValue, let raw = pair.value.scalarValue, !raw.contains("\n") else {
                continue
            }
            let keyClass = KeyName.classify(Array(key.utf8))
            guard keyClass != .none else { continue }
            let value = Array(raw.utf8)
            emit(
                ValueJudge.judge(value, keyClass: keyClass), rule: Self.configMap, range: file.valueRange(pair.value),
                value: value, &sink)
        }
    }

    private func env(_ node: YAMLNode, _ file: ManifestFile, _ sink: inout MatchSink, depth: Int) {
        guard depth < 64 else { return }
        if let pairs = node.pairs {
            for pair in pairs {
                if let key = pair.key.scalarValue, Self.isEnvListKey(key), let items = pair.value.items {
                    for item in items { envEntry(item, file, &sink) }
                }
                env(pair.value, file, &sink, depth: depth + 1)
            }
        } else if let items = node.items {
            for item in items { env(item, file, &sink, depth: depth + 1) }
        }
    }

    /// `env`, `initEnv`, `extraEnv`, `extraEnvVars`, `env_vars`, `envs`: lists of `{name, value}` entries.
    static func isEnvListKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower.hasSuffix("env") || lower.hasSuffix("envs") || lower.hasSuffix("envvars")
            || lower.hasSuffix("env_vars")
    }

    private func envEntry(_ item: YAMLNode, _ file: ManifestFile, _ sink: inout MatchSink) {
        guard let name = item["name"]?.scalarValue, let valueNode = item["value"], let raw = valueNode.scalarValue,
            !raw.contains("\n")
        else { return }
        let keyClass = KeyName.classify(Array(name.utf8))
        guard keyClass != .none else { return }
        let value = Array(raw.utf8)
        // A literal under a password name is a password whatever its shape (`PASSWORD: abogoboga`).
        let verdict =
            keyClass == .password ? ValueJudge.judgeStoredPassword(value) : ValueJudge.judge(value, keyClass: keyClass)
        emit(verdict, rule: Self.envValue, range: file.valueRange(valueNode), value: value, &sink)
    }

    private func kustomize(_ generators: [YAMLNode], _ file: ManifestFile, _ sink: inout MatchSink) {
        for generator in generators {
            for literal in generator["literals"]?.items ?? [] {
                guard let raw = literal.scalarValue, let eq = raw.utf8.firstIndex(of: 61) else { continue }
                let key = String(raw[..<eq])
                let value = Array(raw.utf8[raw.utf8.index(after: eq)...])
                let range = file.valueRange(literal)
                let source = file.text.slice(range)
                let valueRange: Range<Int>
                if let sourceEq = source.firstIndex(of: 61), source.count == raw.utf8.count {
                    valueRange = (range.lowerBound + sourceEq + 1)..<range.upperBound
                } else {
                    valueRange = range
                }
                if KeyName.isPublicDataKey(key) { continue }
                emit(
                    Self.judgeStored(key: key, value: value), rule: Self.kustomize, range: valueRange, value: value,
                    &sink)
            }
        }
    }
}
