/// Inline suppression: a line holding the marker `eskit:allow` (in any comment syntax) suppresses findings that
/// start or end on it.
public enum InlineAllow {
    /// The marker text.
    public static let marker = "eskit:allow"
    private static let markerBytes = Array(marker.utf8)

    /// True when `line` (one line of text) carries the marker.
    public static func isAllowed(line: String) -> Bool { line.contains(marker) }

    /// True when the marker appears anywhere in `text` (one pass; most files have none).
    static func occurs(in text: ByteText) -> Bool {
        text.find(markerBytes, in: 0..<text.count) != nil
    }

    static func isAllowed(_ text: ByteText, range: Range<Int>) -> Bool {
        let firstLine = text.lineStart(range.lowerBound)..<text.lineEnd(range.lowerBound)
        if text.find(markerBytes, in: firstLine) != nil { return true }
        let last = max(range.lowerBound, range.upperBound - 1)
        let lastLine = text.lineStart(last)..<text.lineEnd(last)
        return lastLine != firstLine && text.find(markerBytes, in: lastLine) != nil
    }
}
