import EskitCore

/// Docker `config.json` / `.dockerconfigjson` `auths.*.auth` (base64 of `user:password`).
struct DockerConfigAuthDetector: TextDetector {
    let id = "docker-config-auth"
    let description = "Registry credentials in a Docker config auth entry"
    let severity = Severity.critical
    let anchors = ["\"auth\"", "\"password\""]
    var priority: MatchPriority { .token }
    static func sampleConfig(seed: UInt64) -> String {
        let auth = Sample.base64(of: "robot$ci:" + Sample.string(32, seed: seed))
        return "{\"auths\":{\"registry.example.org\":{\"auth\":\"\(auth)\"}}}"
    }
    var positiveExamples: [DetectorExample] {
        [
            DetectorExample(DockerConfigAuthDetector.sampleConfig(seed: 601), path: ".docker/config.json"),
            DetectorExample(
                "{\"auths\":{\"r.io\":{\"username\":\"ci\",\"password\":\"\(Sample.string(24, seed: 602))\"}}}",
                path: "config.json"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "{\"auths\":{\"r.io\":{\"auth\":\"\(Sample.base64(of: "user:changeme"))\"}}}", path: "config.json"),
            DetectorExample("{\"auths\":{\"r.io\":{\"auth\":\"\"}}}", path: "config.json"),
        ]
    }

    private static let quotedChars = ByteSet(ranges: [33...126]).without(34)

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[anchor].utf8.count)
        guard text.byte(i) == 58 else { return }
        i = text.skipSpaces(i + 1)
        guard text.byte(i) == 34 else { return }
        let end = text.run(from: i + 1, in: anchor == 0 ? .base64 : Self.quotedChars, limit: 4096)
        guard text.byte(end) == 34, end > i + 1 else { return }
        let range = (i + 1)..<end
        if anchor == 1 {
            guard text.find("\"auths\"", in: text.window(offset, before: 2000, after: 0)) != nil else { return }
            let value = text.slice(range)
            if ValueJudge.judge(value, keyClass: .password) == .secret {
                sink.emit(rule, range: range, secret: value, priority: .token)
            }
            return
        }
        guard let decoded = Base64.decode(text.slice(range)), let colon = decoded.firstIndex(of: 58) else { return }
        let password = Array(decoded[(colon + 1)...])
        guard !password.isEmpty, !ValueJudge.isPlaceholder(password) else { return }
        sink.emit(rule, range: range, secret: password, priority: .token)
    }
}
