import EskitCore

/// Passwords on a command line: `helm … --set auth.password=…`, `docker login -p …`, `--password …` /
/// `--password=…`, `mysql -p…`, an environment prefix such as `PGPASSWORD=… psql`, and a GitHub Actions secret
/// written with `gh secret set NAME --body …`.
struct CLIPasswordDetector: TextDetector {
    let id = "cli-password"
    let description = "Password on a command line (helm --set, login -p, mysql -p, VAR=… prefix, gh secret set)"
    let severity = Severity.high
    let anchors = [
        "--set ", "--set-string ", "--set=", " -p", " --password", "PASSWORD=", "PASSWD=", "gh secret set ",
    ]
    var priority: MatchPriority { .structured }
    var positiveExamples: [DetectorExample] {
        let p = "Kq7-" + Sample.string(12, seed: 1701)
        return [
            DetectorExample(
                "helm upgrade --install db bitnami/postgresql --set auth.postgresPassword=\(p) --wait\n",
                path: "deploy.sh"),
            DetectorExample("docker login -u ci-bot -p \(p) registry.example.com\n", path: "ci.sh"),
            DetectorExample(
                "argocd login argocd.example.com --username admin --password '\(p)' --grpc-web\n", path: "README.md"),
            DetectorExample("mysql -uroot -p\(p) orders < dump.sql\n", path: "restore.sh"),
            DetectorExample("  PGPASSWORD=\(p) psql -h db -U orders -c 'select 1'\n", path: "ci.yaml"),
            DetectorExample("gh secret set HARBOR_PASSWORD --body \"\(p)\" --repo example/infra\n", path: "ci.sh"),
            DetectorExample("gh secret set DEPLOY_KEY -b\(p)\n", path: "setup.sh"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "helm upgrade db bitnami/postgresql --set auth.existingSecret=orders-db --set image.tag=16.2.0\n",
                path: "deploy.sh"),
            DetectorExample(
                "echo \"$TOKEN\" | docker login -u ci-bot --password-stdin registry.example.com\n", path: "ci.sh"),
            DetectorExample("docker login -u ci-bot -p \"$REGISTRY_PASSWORD\" registry.example.com\n", path: "ci.sh"),
            DetectorExample("helm install db --set auth.password=<your-password>\n", path: "README.md"),
            DetectorExample("mysql -uroot -p orders\n", path: "restore.sh"),
            DetectorExample("tar -cf out.tar -p \(Sample.string(12, seed: 1702))\n", path: "build.sh"),
            DetectorExample("PGPASSWORD=\"${DB_PASSWORD}\" psql -h db\n", path: "ci.sh"),
            DetectorExample("gh secret set HARBOR_PASSWORD --body \"$HARBOR_PASSWORD\"\n", path: "ci.sh"),
            DetectorExample("gh secret set REGION --body eu-west-1\n", path: "ci.sh"),
            DetectorExample("gh secret set TOKEN < token.txt\n", path: "ci.sh"),
        ]
    }

    private static let keyChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_-.[]")
    private static let loginWords: [StaticString] = ["login", "mysql", "mariadb", "mysqldump", "mysqladmin"]

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let length = anchors[anchor].utf8.count
        switch anchor {
        case 0, 1, 2: helmSet(text, from: offset + length, into: &sink)
        case 3: shortFlag(text, at: offset, into: &sink)
        case 4: longFlag(text, at: offset, from: offset + length, into: &sink)
        case 7: githubSecret(text, from: offset + length, into: &sink)
        default: environmentPrefix(text, at: offset, end: offset + length, into: &sink)
        }
    }

    private func helmSet(_ text: ByteText, from start: Int, into sink: inout MatchSink) {
        var i = start
        while true {
            let keyStart = text.skipSpaces(i)
            let keyEnd = text.run(from: keyStart, in: Self.keyChars, limit: 200)
            guard keyEnd > keyStart, text.byte(keyEnd) == 61 else { return }
            let (value, end) = argument(text, from: keyEnd + 1, stopAtComma: true)
            let keyClass = KeyName.classify(text.slice(keyStart..<keyEnd))
            if keyClass == .password || keyClass == .secret { judge(text, value, keyClass, &sink) }
            guard text.byte(end) == 44 else { return }
            i = end + 1
        }
    }

    private func shortFlag(_ text: ByteText, at offset: Int, into sink: inout MatchSink) {
        let command = commandStart(text, offset)..<offset
        guard Self.loginWords.contains(where: { text.find($0, in: command) != nil }) else { return }
        var i = offset + 3
        if text.byte(i) == 32 {
            guard text.find("login", in: command) != nil else { return }
            i += 1
        } else if text.find("login", in: command) != nil || text.byte(i) == nil || text.byte(i) == 10 {
            return
        }
        judge(text, argument(text, from: i, stopAtComma: false).value, .password, &sink)
    }

    private func longFlag(_ text: ByteText, at offset: Int, from start: Int, into sink: inout MatchSink) {
        guard let op = text.byte(start), op == 61 || op == 32 else { return }
        let command = commandStart(text, offset)..<offset
        guard
            text.find("login", in: command) != nil || text.find(" --user", in: command) != nil
                || Self.loginWords.contains(where: { text.find($0, in: command) != nil })
        else { return }
        judge(text, argument(text, from: text.skipSpaces(start + 1), stopAtComma: false).value, .password, &sink)
    }

    /// `gh secret set NAME --body VALUE` / `-b VALUE` / `--body=VALUE` / `-bVALUE`: the value of a GitHub Actions
    /// secret, judged as the kind its name says (a secret when the name says nothing).
    private func githubSecret(_ text: ByteText, from start: Int, into sink: inout MatchSink) {
        let nameStart = text.skipSpaces(start)
        let nameEnd = text.run(from: nameStart, in: .identifier, limit: 200)
        guard nameEnd > nameStart else { return }
        var keyClass = KeyName.classify(text.slice(nameStart..<nameEnd))
        if keyClass == .none || keyClass == .weak { keyClass = .secret }
        let end = text.lineEnd(nameEnd)
        for flag: StaticString in ["--body", "-b"] {
            guard let at = text.find(flag, in: nameEnd..<end), text.byte(at - 1) == 32 else { continue }
            var i = at + flag.utf8CodeUnitCount
            if text.byte(i) == 61 || text.byte(i) == 32 { i = text.skipSpaces(i + 1) }
            judge(text, argument(text, from: i, stopAtComma: false).value, keyClass, &sink)
            return
        }
    }

    private func environmentPrefix(_ text: ByteText, at offset: Int, end: Int, into sink: inout MatchSink) {
        let nameStart = text.runBackward(from: offset, in: .identifier, limit: 64)
        var lead = text.run(from: text.lineStart(nameStart), in: .space)
        if text.byte(lead) == 45, text.byte(lead + 1) == 32 { lead = text.skipSpaces(lead + 1) }
        guard lead == nameStart else { return }
        let (value, valueEnd) = argument(text, from: end, stopAtComma: false)
        guard text.byte(valueEnd) == 32, let next = text.byte(text.skipSpaces(valueEnd)),
            ByteSet.identifier.contains(next)
        else { return }
        judge(text, value, .password, &sink)
    }

    /// A shell word: quoted (without its quotes) or up to a space, quote or shell operator.
    private func argument(_ text: ByteText, from start: Int, stopAtComma: Bool) -> (value: Range<Int>, end: Int) {
        var i = start
        if let q = text.byte(i), q == 34 || q == 39 {
            let valueStart = i + 1
            i = valueStart
            while i < text.count, text[i] != q, text[i] != 10, i - valueStart < 512 { i += 1 }
            return (valueStart..<i, min(text.count, i + 1))
        }
        while i < text.count, i - start < 512, !KubectlFromLiteralDetector.unquotedStops.contains(text[i]),
            text[i] != 10,
            !(stopAtComma && text[i] == 44)
        {
            i += 1
        }
        return (start..<i, i)
    }

    private func judge(_ text: ByteText, _ range: Range<Int>, _ keyClass: KeyClass, _ sink: inout MatchSink) {
        guard !range.isEmpty else { return }
        let value = text.slice(range)
        switch ValueJudge.judge(value, keyClass: keyClass) {
        case .secret: sink.emit(rule, range: range, secret: value, priority: .structured)
        case .defaultCredential:
            sink.emit(GenericAssignmentScanner.defaultCredential, range: range, secret: value, priority: .structured)
        case .placeholder, .notSecret: sink.claim(range)
        }
    }
}
