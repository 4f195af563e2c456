import Foundation
import Testing

/// Golden-file comparison: `ESKIT_RECORD=1` rewrites the expected file and fails, so every change of expected
/// output is a reviewed diff.
public enum Golden {
    public static var recording: Bool { ProcessInfo.processInfo.environment["ESKIT_RECORD"] == "1" }

    public static func check(
        _ actual: String, against url: URL,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if recording {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record("recorded \(url.path); run again without ESKIT_RECORD", sourceLocation: sourceLocation)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(url.path) (run with ESKIT_RECORD=1)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            String(decoding: data, as: UTF8.self) == actual, "\(url.path) differs (ESKIT_RECORD=1 re-records)",
            sourceLocation: sourceLocation)
    }
}
