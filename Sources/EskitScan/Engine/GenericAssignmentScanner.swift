import EskitCore

/// The worker behind `generic-password`, `generic-secret` and `default-credential`.
struct GenericAssignmentScanner: TextDetector {
    let id = "generic-assignment"
    let description = "Keyword assignments"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    let anchors = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds", "cookie"]
    var anchorsIgnoreCase: Bool { true }
    var priority: MatchPriority { .generic }

    static let anchorBytes = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds", "cookie"].map {
        Array($0.utf8)
    }
    static let password = RuleInfo(GenericPasswordDetector())
    static let secret = RuleInfo(GenericSecretDetector())
    static let defaultCredential = RuleInfo(DefaultCredentialDetector())

    /// `name: DB_PASSWORD` / `"name": "API_TOKEN"`: the keyword sits in the value of a `name` key.
    static func isEnvName(_ text: ByteText, at offset: Int) -> Bool {
        let start = text.runBackward(from: offset, in: Assignment.keyChars, limit: 128)
        var i = start
        if i > 0, text[i - 1] == 34 || text[i - 1] == 39 { i -= 1 }
        i = text.runBackward(from: i, in: .space, limit: 16)
        guard i > 0, text[i - 1] == 58 else { return false }
        i -= 1
        if i > 0, text[i - 1] == 34 { i -= 1 }
        guard i >= 4, text.hasPrefix("name", at: i - 4) else { return false }
        let end = text.run(from: offset, in: Assignment.keyChars, limit: 128)
        guard KeyName.classify(text.slice(start..<end)) != .none else { return false }
        return hasSiblingValue(text, nameKeyAt: i - 4)
    }

    private static let valueKey = Array("value".utf8)

    /// True when the mapping holding the `name` key at `keyOffset` also has a `value` key: on the same line (flow
    /// style or JSON) or on a neighbouring line at the same indentation (block style).
    static func hasSiblingValue(_ text: ByteText, nameKeyAt keyOffset: Int) -> Bool {
        func isValueKey(_ at: Int) -> Bool {
            var i = at
            if text.byte(i) == 34 { i += 1 }
            guard text.hasPrefix(valueKey, at: i), text.boundaryBefore(i, .word) else { return false }
            var j = i + 5
            if text.byte(j) == 34 { j += 1 }
            return text.byte(j) == 58
        }
        func indentation(_ start: Int) -> Int { text.run(from: start, in: blank, limit: 256) - start }
        let lineStart = text.lineStart(keyOffset)
        let lineEnd = text.lineEnd(keyOffset)
        for i in lineStart..<lineEnd where text[i] == 118 && isValueKey(i) { return true }
        let lineIndent = indentation(lineStart)
        let startsItem = text.byte(lineStart + lineIndent) == 45
        let keysIndent = startsItem ? lineIndent + 2 : lineIndent
        var cursor = lineEnd + 1
        for _ in 0..<12 where cursor < text.count {
            let end = text.lineEnd(cursor)
            let spaces = indentation(cursor)
            if cursor + spaces < end {
                if spaces < keysIndent { break }
                if spaces == keysIndent {
                    if text.byte(cursor + spaces) == 45 { break }
                    if isValueKey(cursor + spaces) { return true }
                }
            }
            cursor = end + 1
        }
        guard !startsItem else { return false }
        var previous = lineStart
        for _ in 0..<12 where previous > 0 {
            let start = text.lineStart(previous - 1)
            let spaces = indentation(start)
            if spaces < keysIndent {
                if spaces + 2 == keysIndent, text.byte(start + spaces) == 45, isValueKey(start + keysIndent) {
                    return true
                }
                break
            }
            if spaces == keysIndent, isValueKey(start + keysIndent) { return true }
            previous = start
        }
        return false
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard let a = Assignment.parse(text, keywordAt: offset) else {
            if Self.isEnvName(text, at: offset) { sink.noteParseReason(.secretEnvName, at: offset) }
            return
        }
        for prior in Self.anchorBytes
        where text.find(prior, in: a.keyRange.lowerBound..<offset, ignoringCase: true) != nil {
            return
        }
        if ChartDefaults.mayMatch(text, value: a.valueRange),
            ChartDefaults.match(key: text.slice(a.keyRange), value: text.slice(a.valueRange)) != nil
        {
            sink.emit(Self.defaultCredential, range: a.valueRange, secret: text.slice(a.valueRange), priority: .generic)
            return
        }
        let keyClass = KeyName.classify(text.slice(a.keyRange))
        guard keyClass != .none else { return }
        if Self.isESODataEntry(text, a) || Self.isChecksumAnnotation(text, keyAt: a.keyRange.lowerBound)
            || Self.isReferenceKey(text, a)
        {
            return
        }
        if keyClass == .weak, a.keyRange.lowerBound > 0, text[a.keyRange.lowerBound - 1] == 60 { return }
        if !a.quoted, text.isCode { return }
        if sink.parseReasons.contains(.secretResource) {
            sink.deferred.append(DeferredAssignment(keyRange: a.keyRange, valueRange: a.valueRange, keyClass: keyClass))
            return
        }
        Self.judge(text, a.keyRange, a.valueRange, keyClass, decode: false, into: &sink)
    }

    private static let checksumPrefixes = ["checksum/", "sha256sum/", "hash/"].map { Array($0.utf8) }

    /// `checksum/secret: 5f2c…` (Helm's annotation that restarts pods when a rendered Secret changes): the key read
    /// is `secret`, after the `checksum/` prefix, and the value is a hash of rendered configuration.
    static func isChecksumAnnotation(_ text: ByteText, keyAt start: Int) -> Bool {
        guard start > 0, text[start - 1] == 47 else { return false }
        for prefix in checksumPrefixes where start >= prefix.count {
            if text.find(prefix, in: (start - prefix.count)..<start, ignoringCase: true) == start - prefix.count {
                return true
            }
        }
        return false
    }

    private static let secretKeyKey = Array("secretKey".utf8)
    private static let remoteRefWords = [Array("remoteRef".utf8), Array("sourceRef".utf8)]

    /// `- secretKey: sshPrivateKey` followed by `remoteRef:` (an ExternalSecret's `data` entry): the value names
    /// the key of the Secret ESO writes, it is no secret.
    static func isESODataEntry(_ text: ByteText, _ a: Assignment) -> Bool {
        guard a.keyRange.count == secretKeyKey.count, text.hasPrefix(secretKeyKey, at: a.keyRange.lowerBound) else {
            return false
        }
        var cursor = text.lineEnd(a.valueRange.upperBound)
        for _ in 0..<3 where cursor < text.count {
            let end = text.lineEnd(cursor + 1)
            for w in remoteRefWords where text.find(w, in: (cursor + 1)..<end, ignoringCase: false) != nil {
                return true
            }
            cursor = end
        }
        return false
    }

    private static let keyKey = Array("key".utf8)
    private static let openBrace = Array("{".utf8)
    private static let blank = ByteSet(" ")
    /// Blocks whose `key` names where a value lives (ESO's `remoteRef` / `extract` / `find`, a PushSecret's
    /// `remoteRef`, Kubernetes' `secretKeyRef` / `configMapKeyRef`): a record id there is a reference.
    private static let referenceBlocks = [
        "remoteRef", "extract", "find", "secretKeyRef", "configMapKeyRef", "keySecretRef", "secretRef",
    ].map { Array($0.utf8) }

    /// `key: OqPt3Vd37My7G8rTb-8Q` in an ExternalSecret's `extract:` (a Keeper record id, a 1Password item id):
    /// the value of a bare `key` whose parent block is a reference block names a remote item, it is no secret.
    static func isReferenceKey(_ text: ByteText, _ a: Assignment) -> Bool {
        guard a.keyRange.count == keyKey.count, text.hasPrefix(keyKey, at: a.keyRange.lowerBound) else {
            return false
        }
        func opensBlock(_ at: Int) -> Bool {
            referenceBlocks.contains { text.hasPrefix($0, at: at) && text.byte(at + $0.count) == 58 }
        }
        let lineStart = text.lineStart(a.keyRange.lowerBound)
        let firstByte = text.run(from: lineStart, in: blank, limit: 256)
        // `remoteRef: {key: …, property: …}`: the block opens on the key's own line (only a flow mapping can).
        if text.find(openBrace, in: firstByte..<a.keyRange.lowerBound, ignoringCase: false) != nil {
            for i in firstByte..<a.keyRange.lowerBound where text.boundaryBefore(i, .word) && opensBlock(i) {
                return true
            }
        }
        // `- key: …`: the item's mapping starts at the dash.
        let indent = (text.byte(firstByte) == 45 ? firstByte : a.keyRange.lowerBound) - lineStart
        var previous = lineStart
        for _ in 0..<8 where previous > 0 {
            let start = text.lineStart(previous - 1)
            previous = start
            let end = text.lineEnd(start)
            var first = text.run(from: start, in: blank, limit: 256)
            guard first < end, text[first] != 35 else { continue }
            if first - start >= indent { continue }
            if text[first] == 45 { first = text.run(from: first + 1, in: blank, limit: 16) }
            return opensBlock(first)
        }
        return false
    }

    /// Judges the assignments deferred in a file holding a Secret, once the document detectors have claimed the
    /// values they judged themselves: a generic match inside a claim would be dropped anyway, so only the others are
    /// judged (the same findings, without decoding and judging every Secret value twice).
    static func judgeDeferred(_ text: ByteText, into sink: inout MatchSink) {
        let deferred = sink.deferred
        sink.deferred = []
        let claims = IntervalSet(sink.claimed)
        for d in deferred where !claims.overlaps(d.valueRange) {
            judge(text, d.keyRange, d.valueRange, d.keyClass, decode: true, into: &sink)
        }
    }

    private static func judge(
        _ text: ByteText, _ keyRange: Range<Int>, _ valueRange: Range<Int>, _ keyClass: KeyClass,
        decode: Bool, into sink: inout MatchSink
    ) {
        if CookieHeader.isHeaderName(text, keyRange) {
            if CookieHeader.isRecordedTraffic(text, cache: &sink.shapes) { return }
            for cookie in CookieHeader.values(text, in: valueRange) {
                judge(text, keyRange, cookie, text.slice(cookie), keyClass, into: &sink)
            }
            return
        }
        var value = text.slice(valueRange)
        if decode, value.count >= 8, value.count % 4 == 0,
            let decoded = Base64.decode(value), decoded.count >= 4, Base64.isText(decoded)
        {
            value = decoded
        }
        judge(text, keyRange, valueRange, value, keyClass, into: &sink)
    }

    private static func judge(
        _ text: ByteText, _ keyRange: Range<Int>, _ valueRange: Range<Int>, _ value: [UInt8],
        _ keyClass: KeyClass, into sink: inout MatchSink
    ) {
        if let word = KeyName.words(text.slice(keyRange)).last, word.utf8.count >= 4,
            ValueJudge.lowercasedContains(value, Array(word.utf8))
        {
            return
        }
        let verdict = ValueJudge.judge(value, keyClass: keyClass)
        guard verdict == .secret || verdict == .defaultCredential, !text.isGenerated,
            !OpenAPIExamples.isExample(text, keyAt: keyRange.lowerBound, cache: &sink.shapes)
        else { return }
        if verdict == .defaultCredential {
            sink.emit(Self.defaultCredential, range: valueRange, secret: value, priority: .generic)
        } else if !TestVectorFields.isTestVector(text, key: keyRange, value: valueRange, cache: &sink.testVectors) {
            sink.emit(
                keyClass == .password ? Self.password : Self.secret, range: valueRange, secret: value,
                priority: .generic)
        }
    }
}
