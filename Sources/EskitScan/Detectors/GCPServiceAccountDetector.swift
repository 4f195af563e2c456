import EskitCore

/// Google Cloud service-account key file (JSON with `private_key` and `client_email`); its `private_key_id` is
/// reported too (it names the key to revoke, and is all a truncated or key-stripped copy still holds).
struct GCPServiceAccountDetector: TextDetector {
    let id = "gcp-service-account-key"
    let description = "Google Cloud service-account key (private key with client email)"
    let severity = Severity.critical
    let anchors = ["\"private_key\"", "\"private_key_id\""]
    var priority: MatchPriority { .composite }
    var positiveExamples: [DetectorExample] {
        let body = Sample.string(64, from: Sample.base64, seed: 41)
        let key = "-----BEGIN " + "PRIVATE KEY-----\\n\(body)\\n-----END " + "PRIVATE KEY-----\\n"
        let id = Sample.string(40, from: Sample.hex, seed: 42)
        return [
            DetectorExample(
                "{\n  \"type\": \"service_account\",\n  \"private_key\": \"\(key)\",\n  \"client_email\": "
                    + "\"ci@proj.iam.gserviceaccount.com\"\n}\n",
                path: "sa.json"),
            DetectorExample(
                "{\n  \"type\": \"service_account\",\n  \"private_key_id\": \"\(id)\",\n  \"client_email\": "
                    + "\"ci@proj.iam.gserviceaccount.com\"\n}\n",
                path: "sa.json"),
        ]
    }
    var negativeExamples: [DetectorExample] {
        [
            DetectorExample(
                "{\"private_key\": \"\", \"client_email\": \"ci@proj.iam.gserviceaccount.com\"}", path: "sa.json"),
            DetectorExample(
                "{\"type\": \"service_account\", \"private_key_id\": \"<KEY_ID>\", \"client_email\": "
                    + "\"ci@proj.iam.gserviceaccount.com\"}",
                path: "sa.json"),
            DetectorExample(
                "{\"private_key_id\": \"\(Sample.string(40, from: Sample.hex, seed: 43))\"}", path: "keys.json"),
        ]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        if anchor == 1 { return keyID(text, at: offset, into: &sink) }
        var i = text.skipSpaces(offset + anchors[0].utf8.count)
        guard text.byte(i) == 58 else { return }
        i = text.skipSpaces(i + 1)
        guard text.byte(i) == 34 else { return }
        var j = i + 1
        while j < text.count, j - i < 16384, text[j] != 34, text[j] != 10 {
            if text[j] == 92 { j += 1 }
            j += 1
        }
        guard j < text.count, text[j] == 34, j - i > 64 else { return }
        let window = text.window(offset, before: 3000, after: 3000)
        guard text.find("\"client_email\"", in: window) != nil,
            text.find("PRIVATE KEY", in: i..<j) != nil
        else { return }
        sink.emit(rule, range: (i + 1)..<j, secret: text.slice((i + 1)..<j), priority: .composite)
    }

    private static let hexDigits = ByteSet(ranges: [48...57, 97...102, 65...70])

    private func keyID(_ text: ByteText, at offset: Int, into sink: inout MatchSink) {
        var i = text.skipSpaces(offset + anchors[1].utf8.count)
        guard text.byte(i) == 58 else { return }
        i = text.skipSpaces(i + 1)
        guard text.byte(i) == 34 else { return }
        let end = text.run(from: i + 1, in: Self.hexDigits, limit: 128)
        guard end - i - 1 >= 16, text.byte(end) == 34 else { return }
        let window = text.window(offset, before: 3000, after: 3000)
        guard text.find("\"client_email\"", in: window) != nil, text.find("service_account", in: window) != nil else {
            return
        }
        sink.emit(rule, range: (i + 1)..<end, secret: text.slice((i + 1)..<end), priority: .composite)
    }
}
