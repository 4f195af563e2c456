import EskitCore

/// GitHub Actions self-hosted runner registration token passed to `config.sh` / `config.cmd --token`.
struct GitHubRunnerTokenDetector: TextDetector {
    let id = "github-runner-token"
    let description = "GitHub Actions runner registration token"
    let severity = Severity.high
    let anchors = ["config.sh", "config.cmd"]
    var positiveExamples: [DetectorExample] {
        let token = "A" + Sample.string(28, from: Sample.upperAlnum, seed: 1601)
        return [
            DetectorExample(
                "./config.sh --url https://github.com/example --token \(token) --unattended\n",
                path: "setup-runner.s" + "h"),
            DetectorExample(
                "RUN ./config.sh \\\n    --url https://github.com/example \\\n    --token \(token)\n",
                path: "Dockerfile"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "./config.sh --url https://github.com/example --token \"$RUNNER_TOKEN\"\n", path: "setup-runner.sh")
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        var lineEnd = text.lineEnd(offset)
        for _ in 0..<10 where lineEnd > 0 && text.byte(lineEnd - 1) == 92 { lineEnd = text.lineEnd(lineEnd + 1) }
        guard let flag = text.find("--token", in: offset..<lineEnd) else { return }
        var i = text.run(from: flag + 7, in: ByteSet(" \t="), limit: 8)
        if text.byte(i) == 34 || text.byte(i) == 39 { i += 1 }
        let end = text.run(from: i, in: .upperAlnum, limit: 41)
        guard (29...40).contains(end - i), text.boundaryAfter(end, .tokenChars) else { return }
        let value = text.slice(i..<end)
        guard Entropy.shannon(value) > 3.5, !PrefixTokenDetector.isFakeBody(value) else { return }
        sink.emit(rule, range: i..<end, secret: value, priority: .token)
    }
}
