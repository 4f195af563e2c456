import EskitCore

/// Azure AD (Entra ID) client secret: `xxx8Q~…` format.
struct AzureClientSecretDetector: TextDetector {
    let id = "azure-client-secret"
    let description = "Azure AD application client secret"
    let severity = Severity.critical
    let anchors = ["Q~"]
    private static let chars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "_~.-")
    var positiveExamples: [DetectorExample] {
        let s =
            Sample.string(3, seed: 51) + "8Q~" + Sample.string(34, from: Sample.alnum + Array("_~.-".utf8), seed: 52)
        return [DetectorExample("AZURE_CLIENT_SECRET=\(s)\n", path: ".env")]
    }
    var negativeExamples: [DetectorExample] { [DetectorExample("note: use Q~ as separator\n")] }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let start = offset - 4
        guard start >= 0, (48...57).contains(text[offset - 1]), text.boundaryBefore(start, Self.chars),
            (0..<3).allSatisfy({ ByteSet.alnum.contains(text[start + $0]) || text[start + $0] == 95 })
        else { return }
        let end = text.run(from: offset + 2, in: Self.chars, limit: 40)
        guard (31...34).contains(end - offset - 2), text.boundaryAfter(end, Self.chars) else { return }
        sink.emit(rule, range: start..<end, secret: text.slice(start..<end), priority: .token)
    }
}
