import EskitCore

/// Defaults distinctive enough to report wherever they appear (docs, scripts), not only under a password key.
struct DistinctiveDefaultScanner: TextDetector {
    let id = "distinctive-default"
    let description = "Distinctive default passwords"
    let severity = Severity.high
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    let anchors = [DefaultCredentialDetector.harborDefault]
    var priority: MatchPriority { .generic }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let end = offset + anchors[anchor].utf8.count
        guard text.boundaryBefore(offset), text.boundaryAfter(end) else { return }
        sink.emit(
            GenericAssignmentScanner.defaultCredential, range: offset..<end, secret: text.slice(offset..<end),
            priority: .generic)
    }
}
