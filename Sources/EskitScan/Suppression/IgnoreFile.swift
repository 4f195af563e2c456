public import EskitCore

/// `.eskitignore`: one finding fingerprint (32 hex digits) per line; `#` starts a comment; blank lines are
/// ignored. Findings whose fingerprint is listed are not reported.
public struct IgnoreFile: Sendable, Hashable {
    public var fingerprints: Set<String>

    public static let defaultName = ".eskitignore"

    public init(fingerprints: Set<String> = []) { self.fingerprints = fingerprints }

    public static func load(path: String) throws(ScanError) -> IgnoreFile {
        try parse(readFile(path), file: path)
    }

    /// Parses the file's text; a line that is not a fingerprint is an error naming file:line:col.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScanError) -> IgnoreFile {
        var result = Set<String>()
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if let hash = line.firstIndex(of: 35) { line = Array(line[..<hash]) }
            let leading = line.prefix { $0 == 32 || $0 == 9 }.count
            let body = line.dropFirst(leading).reversed().drop { $0 == 32 || $0 == 9 || $0 == 13 }.reversed()
            guard !body.isEmpty else { continue }
            guard body.count == 32, body.allSatisfy({ ByteSet.lowerHex.contains($0) }) else {
                throw ScanError.invalid(
                    SourceLocation(
                        file: file, position: TextPosition(offset: 0, line: lineNumber, column: leading + 1)),
                    "expected a finding fingerprint (32 lower-case hex digits)")
            }
            result.insert(String(decoding: body, as: UTF8.self))
        }
        return IgnoreFile(fingerprints: result)
    }

    public func contains(_ finding: Finding) -> Bool { fingerprints.contains(finding.fingerprint) }

    /// The findings not listed.
    public func filter(_ findings: [Finding]) -> [Finding] { findings.filter { !contains($0) } }
}
