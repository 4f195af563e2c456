import EskitCore

/// Google Cloud service-account key file (JSON with `private_key` and `client_email`).
struct GCPServiceAccountDetector: TextDetector {
    let id = "gcp-service-account-key"
    let description = "Google Cloud service-account key (private key with client email)"
    let severity = Severity.critical
    let anchors = ["\"private_key\""]
    var priority: MatchPriority { .composite }
    var positiveExamples: [DetectorExample] {
        let body = Sample.string(64, from: Sample.base64, seed: 41)
        let key = "-----BEGIN " + "PRIVATE KEY-----\\n\(body)\\n-----END " + "PRIVATE KEY-----\\n"
        return [DetectorExample("{\n  \"type\": \"service_account\",\n  \"private_key\": \"\(key)\",\n  \"client_email\": \"ci@proj.iam.gserviceaccount.com\"\n}\n", path: "sa.json")]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("{\"private_key\": \"\", \"client_email\": \"ci@proj.iam.gserviceaccount.com\"}", path: "sa.json")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
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
              text.find("PRIVATE KEY", in: i..<j) != nil else { return }
        sink.emit(rule, range: (i + 1)..<j, secret: text.slice((i + 1)..<j), priority: .composite)
    }
}
