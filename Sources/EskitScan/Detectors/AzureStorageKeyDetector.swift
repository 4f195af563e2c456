import EskitCore

/// Azure storage account key (`AccountKey=` in a connection string, or an 88-character key under a storage key).
struct AzureStorageKeyDetector: TextDetector {
    let id = "azure-storage-key"
    let description = "Azure storage account key or connection string"
    let severity = Severity.critical
    let anchors = ["accountkey=", "sharedaccesssignature=sv="]
    var anchorsIgnoreCase: Bool { true }
    var positiveExamples: [DetectorExample] {
        let key = Sample.string(86, from: Sample.base64, seed: 61) + "=="
        return [
            DetectorExample(
                "conn: "
                    + "\"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=\(key);EndpointSuffix=core.windows."
                    + "net\"\n"
            )
        ]
    }
    var negativeExamples: [DetectorExample] {
        [DetectorExample("conn: \"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<key>\"\n")]
    }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        guard anchor == 0 else { return }
        let start = offset + 11
        let end = text.run(from: start, in: .base64, limit: 100)
        guard end - start >= 80 else { return }
        let value = text.slice(start..<end)
        guard Entropy.shannon(value) > 4.5 else { return }
        sink.emit(rule, range: start..<end, secret: value, priority: .token)
    }
}
