import EskitCore
import Foundation

/// Runs a `CustomRule`: its regular expression on each line holding one of its keywords.
struct CustomRuleDetector: TextDetector {
    let custom: CustomRule
    let regex: SendableRegex

    init(_ custom: CustomRule) throws(ScanError) {
        guard !custom.keywords.isEmpty,
            custom.keywords.allSatisfy({ $0.utf8.count >= 2 && $0.utf8.allSatisfy { $0 < 128 } })
        else {
            throw ScanError.invalidRule(id: custom.id, "custom rule needs keywords of at least two ASCII characters")
        }
        guard let r = SendableRegex(custom.pattern) else {
            throw ScanError.invalidRule(id: custom.id, "invalid regular expression")
        }
        self.custom = custom
        regex = r
    }

    var id: String { custom.id }
    var description: String { custom.description }
    var severity: Severity { custom.severity }
    var positiveExamples: [DetectorExample] { [] }
    var negativeExamples: [DetectorExample] { [] }
    var anchors: [String] { custom.keywords }
    var anchorsIgnoreCase: Bool { true }

    func match(_ text: ByteText, anchor: Int, at offset: Int, into sink: inout MatchSink) {
        let lineStart = text.lineStart(offset)
        let lineEnd = text.lineEnd(offset)
        let line = text.slice(lineStart..<lineEnd)
        let s = String(decoding: line, as: UTF8.self)
        let group = custom.secretGroup ?? (regex.groups > 0 ? 1 : 0)
        for m in regex.matches(in: s) where group < m.numberOfRanges {
            let r = m.range(at: group)
            guard r.location != NSNotFound, let range = Range(r, in: s) else { continue }
            let lower = s.utf8.distance(from: s.utf8.startIndex, to: range.lowerBound)
            let upper = s.utf8.distance(from: s.utf8.startIndex, to: range.upperBound)
            let secret = Array(line[lower..<upper])
            if let minimum = custom.entropy, Entropy.shannon(secret) <= minimum { continue }
            sink.emit(rule, range: (lineStart + lower)..<(lineStart + upper), secret: secret, priority: .token)
        }
    }
}
