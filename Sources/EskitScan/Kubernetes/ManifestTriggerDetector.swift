import EskitCore

/// Text-pass hook that notices `kind: Secret` (also `SealedSecret`, `ConfigMap`, JSON form), `secretGenerator` and
/// SOPS blocks, so only those YAML/JSON files are parsed.
struct ManifestTriggerDetector: TextDetector {
    let id = "manifest-trigger"
    let description = "Marks files worth parsing"
    let severity = Severity.info
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    let anchors = ["Secret", "ConfigMap", "SealedSecret", "secretGenerator", "sops:"]

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        switch anchor {
        case 0, 1, 2:
            let end = offset + anchors[anchor].utf8.count
            guard text.boundaryAfter(end, .identifier), isKindValue(text, offset) else { return }
            sink.noteParseReason(anchor == 1 ? .configMap : anchor == 2 ? .sealedSecret : .secretResource, at: offset)
        default:
            sink.noteParseReason(.secretResource, at: offset)
        }
    }

    private func isKindValue(_ text: ByteText, _ offset: Int) -> Bool {
        var i = offset
        if i > 0, text[i - 1] == 34 || text[i - 1] == 39 { i -= 1 }
        i = text.runBackward(from: i, in: .space, limit: 16)
        guard i > 0, text[i - 1] == 58 else { return false }
        i -= 1
        if i > 0, text[i - 1] == 34 { i -= 1 }
        return i >= 4 && text.hasPrefix("kind", at: i - 4)
    }
}
