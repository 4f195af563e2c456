public import EskitCore
import Foundation

/// One file (or blob) to scan.
public struct ScanInput: Sendable {
    /// Path relative to the scanned root (`-` for stdin). Used for fingerprints, path allowlists and to decide
    /// how the bytes are read (YAML/JSON manifests are also parsed).
    public var path: String
    public var bytes: [UInt8]
    /// Staged mode: only findings touching one of these 1-based lines are reported; nil reports all.
    public var addedLines: Set<Int>?

    public init(path: String, bytes: [UInt8], addedLines: Set<Int>? = nil) {
        self.path = path
        self.bytes = bytes
        self.addedLines = addedLines
    }

    public init(path: String, text: String, addedLines: Set<Int>? = nil) {
        self.init(path: path, bytes: Array(text.utf8), addedLines: addedLines)
    }
}

/// What one scan found.
public struct ScanResult: Sendable {
    /// Findings sorted by position (then rule id).
    public var findings: [Finding]
    /// Files skipped because they look binary (a NUL byte in the first 8 KiB).
    public var skippedBinary: Int
    /// Files skipped because they are larger than `ScanConfiguration.maxFileSize`.
    public var skippedHuge: Int
    /// Files skipped by a path allowlist glob.
    public var skippedAllowlisted: Int
    /// Findings dropped by an inline `eskit:allow` comment or a value allowlist.
    public var suppressed: Int
    /// Bytes actually scanned.
    public var bytesScanned: Int

    public init(
        findings: [Finding] = [], skippedBinary: Int = 0, skippedHuge: Int = 0, skippedAllowlisted: Int = 0,
        suppressed: Int = 0, bytesScanned: Int = 0
    ) {
        self.findings = findings
        self.skippedBinary = skippedBinary
        self.skippedHuge = skippedHuge
        self.skippedAllowlisted = skippedAllowlisted
        self.suppressed = suppressed
        self.bytesScanned = bytesScanned
    }

    /// Adds the counts and findings of another result (findings are appended, not re-sorted).
    public mutating func merge(_ other: ScanResult) {
        findings += other.findings
        skippedBinary += other.skippedBinary
        skippedHuge += other.skippedHuge
        skippedAllowlisted += other.skippedAllowlisted
        suppressed += other.suppressed
        bytesScanned += other.bytesScanned
    }
}

/// The detection engine. Immutable after `init`; `scan` may be called from any number of threads at once.
public final class Scanner: Sendable {
    public let configuration: ScanConfiguration
    /// The detectors in effect (built-in minus disabled, plus custom rules), sorted by id.
    public let detectors: [any Detector]
    let engine: TextEngine
    let documentDetectors: [any DocumentDetector]
    private let pathAllowlist: [Glob]
    private let enabledIDs: Set<String>

    /// Builds the engine; throws when a custom rule or allowlist pattern is invalid or a rule id is unknown.
    public init(configuration: ScanConfiguration = ScanConfiguration()) throws(ScanError) {
        self.configuration = configuration
        var active: [any Detector] = []
        let known = Set(BuiltInDetectors.all.map(\.id))
        for id in configuration.disabledRules.sorted() + (configuration.enabledRules?.sorted() ?? [])
        where !known.contains(id) && !configuration.customRules.contains(where: { $0.id == id }) {
            throw ScanError.unknownRule(id)
        }
        for d in BuiltInDetectors.all where configuration.isEnabled(d.id) { active.append(d) }
        var text = BuiltInDetectors.text.filter { configuration.isEnabled($0.id) }
        for rule in configuration.customRules where configuration.isEnabled(rule.id) {
            text.append(try CustomRuleDetector(rule))
            active.append(rule)
        }
        detectors = active.sorted { $0.id < $1.id }
        let ids = Set(active.map(\.id))
        enabledIDs = ids
        if !Scanner.documentDetectorsNeeded(ids).isEmpty { text.append(ManifestTriggerDetector()) }
        text += BuiltInDetectors.textWorkers.filter { !$0.emits.isDisjoint(with: ids) }.map(\.worker)
        engine = TextEngine(detectors: text)
        documentDetectors = Scanner.documentDetectorsNeeded(ids)
        pathAllowlist = configuration.pathAllowlist.map(Glob.init)
    }

    /// Scans one file.
    public func scan(_ input: ScanInput) -> ScanResult {
        input.bytes.withUnsafeBufferPointer { scan(path: input.path, buffer: $0, addedLines: input.addedLines) }
    }

    /// Scans borrowed bytes (no copy unless the file is parsed as YAML). Each document of a multi-document YAML
    /// stream is scanned on its own, as the separate resource it is, exactly as history scans do.
    public func scan(path: String, buffer: UnsafeBufferPointer<UInt8>, addedLines: Set<Int>? = nil) -> ScanResult {
        if let skipped = precheck(path: path, buffer: buffer) {
            // UTF-16 / UTF-32 text looks binary (NUL bytes): decoded, it is scanned like any text.
            if skipped.skippedBinary == 1, let decoded = WideText.decode(buffer) {
                return decoded.withUnsafeBufferPointer { scan(path: path, buffer: $0, addedLines: addedLines) }
            }
            return skipped
        }
        guard let starts = documentStarts(path: path, buffer: buffer) else {
            return scanBody(path: path, buffer: buffer, addedLines: addedLines)
        }
        var result = ScanResult(bytesScanned: buffer.count)
        var line = 0
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : buffer.count
            let part = UnsafeBufferPointer(rebasing: buffer[start..<end])
            let newlines = DocumentCache.lineFeeds(part)
            let added = addedLines.map { lines in
                Set(lines.compactMap { $0 > line && $0 <= line + newlines + 1 ? $0 - line : nil })
            }
            let scanned = scanBody(path: path, buffer: part, addedLines: added)
            result.suppressed += scanned.suppressed
            result.findings += Self.shifted(scanned.findings, offset: start, lines: line)
            line += newlines
        }
        pairAcrossDocuments(path: path, buffer: buffer, addedLines: addedLines, into: &result)
        return result
    }

    /// An AWS access key id in one document and its secret access key in the next (a ConfigMap, then a Secret):
    /// documents are scanned one by one, so the pairing the text rule does within 400 bytes of the key id is done
    /// again here on the whole stream, around each key id found. Only files with a key id pay for it.
    private func pairAcrossDocuments(
        path: String, buffer: UnsafeBufferPointer<UInt8>, addedLines: Set<Int>?, into result: inout ScanResult
    ) {
        let ids = result.findings.filter { $0.ruleID == "aws-access-key-id" }
        guard !ids.isEmpty else { return }
        var known = Set(result.findings.filter { $0.ruleID == "aws-secret-access-key" }.map(\.span.start.offset))
        var added = false
        for id in ids {
            var start = max(0, id.span.start.offset - 448)
            while start > 0, buffer[start - 1] != 10 { start -= 1 }
            let end = min(buffer.count, id.span.end.offset + 448)
            let window = UnsafeBufferPointer(rebasing: buffer[start..<end])
            let linesBefore = DocumentCache.lineFeeds(UnsafeBufferPointer(rebasing: buffer[0..<start]))
            let windowLines = addedLines.map { lines in
                Set(lines.compactMap { $0 > linesBefore ? $0 - linesBefore : nil })
            }
            let paired = scanBody(path: path, buffer: window, addedLines: windowLines).findings.filter {
                $0.ruleID == "aws-secret-access-key"
            }
            for f in Self.shifted(paired, offset: start, lines: linesBefore) where !known.contains(f.span.start.offset)
            {
                known.insert(f.span.start.offset)
                result.findings.append(f)
                added = true
            }
        }
        guard added else { return }
        result.findings.sort {
            ($0.span.start.offset, $0.ruleID) < ($1.span.start.offset, $1.ruleID)
        }
    }

    /// Where the documents of `buffer` start, when it is a YAML stream of more than one document; nil otherwise.
    private func documentStarts(path: String, buffer: UnsafeBufferPointer<UInt8>) -> [Int]? {
        guard Self.isYAML(path), Self.hasDocumentMarker(buffer) else { return nil }
        let starts = ManifestFile.documentSlices(ByteText(base: buffer, path: path)).map(\.lowerBound)
        return starts.count > 1 ? starts : nil
    }

    private static func isYAML(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// `findings` of a document moved to its place in the file: `offset` bytes and `lines` line feeds in.
    private static func shifted(_ findings: [Finding], offset: Int, lines: Int) -> [Finding] {
        findings.map { finding in
            var finding = finding
            finding.span.start.offset += offset
            finding.span.end.offset += offset
            finding.span.start.line += lines
            finding.span.end.line += lines
            return finding
        }
    }

    /// Scans borrowed bytes, reusing `cache` for the documents of a multi-document YAML stream already scanned in
    /// a file of the same extension (history scans: a new version of a file usually changes one document). The
    /// findings are those `scan(path:buffer:)` gives, at the same positions.
    public func scan(path: String, buffer: UnsafeBufferPointer<UInt8>, cache: DocumentCache) -> ScanResult {
        scan(path: path, buffer: buffer, cache: cache, earlier: nil, copies: []).result
    }

    /// As `scan(path:buffer:cache:)`, for a version of a file built from an `earlier` one by copying `copies` (runs
    /// in target order; everything else was inserted), such as a blob rebuilt from its git delta base: the
    /// documents it copied whole from `earlier` (a file of the same extension) are neither read nor hashed, their
    /// results are taken over, and document boundaries are only searched for where bytes were inserted. The
    /// result is the same as
    /// without `earlier`. Returns the table to pass as `earlier` for versions built from this one (nil when the
    /// bytes are not a multi-document YAML stream).
    public func scan(
        path: String, buffer: UnsafeBufferPointer<UInt8>, cache: DocumentCache, earlier: DocumentTable?,
        copies: [CopiedRun]
    ) -> (result: ScanResult, table: DocumentTable?) {
        if let skipped = precheck(path: path, buffer: buffer) {
            if skipped.skippedBinary == 1, let decoded = WideText.decode(buffer) {
                return (decoded.withUnsafeBufferPointer { scan(path: path, buffer: $0) }, nil)
            }
            return (skipped, nil)
        }
        guard Self.isYAML(path) else { return (scanBody(path: path, buffer: buffer), nil) }
        let scope = DocumentCache.scope(of: path)
        let base = earlier.flatMap { DocumentCache.scope(of: $0.path) == scope && !copies.isEmpty ? $0 : nil }
        let found =
            base.map { DocumentStarts.find(in: buffer, earlier: $0, copies: copies) }
            ?? documentStarts(path: path, buffer: buffer)
        guard let starts = found, starts.count > 1 else { return (scanBody(path: path, buffer: buffer), nil) }
        var result = ScanResult(bytesScanned: buffer.count)
        var entries: [DocumentCache.Entry] = []
        var newlineCounts: [Int] = []
        entries.reserveCapacity(starts.count)
        newlineCounts.reserveCapacity(starts.count)
        var line = 0
        var run = 0
        var reusedCount = 0
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : buffer.count
            var reused: (DocumentCache.Entry, Int)?
            if let base {
                while run < copies.count, copies[run].target + copies[run].length < end { run += 1 }
                if run < copies.count, copies[run].target <= start, end <= copies[run].target + copies[run].length {
                    let source = start - copies[run].target + copies[run].source
                    if let d = base.document(startingAt: source), base.end(of: d) == source + (end - start) {
                        reused = (base.entries[d], base.newlines[d])
                    }
                }
            }
            let entry: DocumentCache.Entry
            let newlines: Int
            if let reused {
                (entry, newlines) = reused
                reusedCount += 1
            } else {
                let part = UnsafeBufferPointer(rebasing: buffer[start..<end])
                let digest = DocumentCache.digest(part)
                let key = DocumentCache.Key(scope: scope, hash: digest.hash, check: digest.check, length: part.count)
                if let cached = cache.entry(key) {
                    entry = cached
                } else {
                    let scanned = scanBody(path: path, buffer: part)
                    entry = DocumentCache.Entry(findings: scanned.findings, suppressed: scanned.suppressed)
                    cache.store(entry, for: key)
                }
                newlines = digest.newlines
            }
            entries.append(entry)
            newlineCounts.append(newlines)
            result.suppressed += entry.suppressed
            result.findings += Self.shifted(entry.findings(at: path), offset: start, lines: line)
            line += newlines
        }
        pairAcrossDocuments(path: path, buffer: buffer, addedLines: nil, into: &result)
        let table = DocumentTable(
            path: path, length: buffer.count, starts: starts, entries: entries,
            newlines: newlineCounts, reused: reusedCount)
        return (result, table)
    }

    /// A `---` after a line feed (found with memchr on `-`): single-document files are let through without a line
    /// walk.
    private static func hasDocumentMarker(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress, buffer.count >= 4 else { return false }
        let n = buffer.count
        var i = 1
        while i + 2 < n, let hit = memchr(base + i, 45, n - 2 - i) {
            let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if base[at - 1] == 10, base[at + 1] == 45, base[at + 2] == 45 { return true }
            i = at + 1
        }
        return false
    }

    private func precheck(path: String, buffer: UnsafeBufferPointer<UInt8>) -> ScanResult? {
        if buffer.count > configuration.maxFileSize { return ScanResult(skippedHuge: 1) }
        if pathAllowlist.contains(where: { $0.matches(path) }) { return ScanResult(skippedAllowlisted: 1) }
        if let base = buffer.baseAddress, memchr(base, 0, min(buffer.count, 8192)) != nil {
            return ScanResult(skippedBinary: 1)
        }
        return nil
    }

    private func scanBody(path: String, buffer: UnsafeBufferPointer<UInt8>, addedLines: Set<Int>? = nil) -> ScanResult {
        let text = ByteText(base: buffer, path: path)
        var sink = MatchSink()
        engine.run(text, into: &sink)
        if !documentDetectors.isEmpty {
            for file in ManifestFile.parseRelevant(text, sink: sink, engine: engine) {
                for d in documentDetectors { d.inspect(file, into: &sink) }
            }
        }
        if !sink.deferred.isEmpty { GenericAssignmentScanner.judgeDeferred(text, into: &sink) }
        var result = ScanResult(bytesScanned: buffer.count)
        let resolved = MatchResolver.resolve(sink).filter { enabledIDs.contains($0.rule.id) }
        guard !resolved.isEmpty else { return result }
        var positions = PositionMapper(text)
        let allowMarkers = InlineAllow.occurs(in: text)
        for m in resolved {
            if configuration.valueAllowlist.contains(where: { $0.matches(m.secret) }) {
                result.suppressed += 1
                continue
            }
            let span = positions.span(m.range)
            if let added = addedLines,
                !(span.start.line...max(span.start.line, endLine(span))).contains(where: added.contains)
            {
                continue
            }
            if allowMarkers, InlineAllow.isAllowed(text, range: m.range) {
                result.suppressed += 1
                continue
            }
            result.findings.append(
                Finding(
                    ruleID: m.rule.id, description: m.rule.description, severity: m.rule.severity,
                    kind: m.rule.kind, file: path, span: span, secret: RedactedSecret(m.secret)))
        }
        return result
    }

    private static func documentDetectorsNeeded(_ ids: Set<String>) -> [any DocumentDetector] {
        BuiltInDetectors.documentWorkers.filter { !$0.emits.isDisjoint(with: ids) }.map(\.worker)
    }

    private func endLine(_ span: TextSpan) -> Int {
        span.end.column == 1 && span.end.line > span.start.line ? span.end.line - 1 : span.end.line
    }
}

/// `Scanner` under a name that does not collide with `Foundation.Scanner` in files importing both modules.
public typealias SecretScanner = Scanner
