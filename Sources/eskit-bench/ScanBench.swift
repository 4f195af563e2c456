import EskitScan
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `eskit-bench scan-files [--repeat N] [--threads N] FILE|DIR...`: scans each file's bytes (already in memory) with
/// the default detectors and prints bytes, findings, skipped counts, seconds and MB/s (scan time only).
func benchScanFiles(_ arguments: [String]) -> Int32 {
    var repeatCount = 1
    var threads = 1
    var files: [String] = []
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--repeat", i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
            repeatCount = n
            i += 2
        } else if arguments[i] == "--threads", i + 1 < arguments.count, let n = Int(arguments[i + 1]), n >= 1 {
            threads = n
            i += 2
        } else {
            files.append(arguments[i])
            i += 1
        }
    }
    guard !files.isEmpty else {
        print("usage: eskit-bench scan-files [--repeat N] FILE|DIR...")
        return 2
    }
    var expanded: [String] = []
    for path in files {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
            let walker = FileManager.default.enumerator(atPath: path)
        {
            var found: [String] = []
            while let entry = walker.nextObject() as? String {
                if entry.hasPrefix(".git") { continue }
                let full = path + "/" + entry
                var dir: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                    found.append(full)
                }
            }
            expanded += found.sorted()
        } else {
            expanded.append(path)
        }
    }
    var inputs: [ScanInput] = []
    for path in expanded {
        guard let data = readFileBytes(path) else {
            print("scan-files: cannot read \(path)")
            return 2
        }
        inputs.append(ScanInput(path: path, bytes: data))
    }
    let scanner: SecretScanner
    do { scanner = try SecretScanner() } catch {
        print("\(error)")
        return 2
    }
    var total = ScanResult()
    let start = monotonicSeconds()
    for _ in 0..<repeatCount {
        if threads == 1 {
            total = ScanResult()
            for input in inputs { total.merge(scanner.scan(input)) }
        } else {
            let parts = ResultSlots(count: threads)
            let all = inputs
            let workers = threads
            DispatchQueue.concurrentPerform(iterations: workers) { t in
                var local = ScanResult()
                var k = t
                while k < all.count {
                    local.merge(scanner.scan(all[k]))
                    k += workers
                }
                parts.set(t, local)
            }
            total = ScanResult()
            for part in parts.all() { total.merge(part) }
        }
    }
    let seconds = (monotonicSeconds() - start) / Double(repeatCount)
    var byRule: [String: Int] = [:]
    for f in total.findings { byRule[f.ruleID, default: 0] += 1 }
    print("files \(inputs.count)")
    print("bytes \(total.bytesScanned)")
    print("findings \(total.findings.count)")
    for (rule, n) in byRule.sorted(by: { $0.key < $1.key }) { print("  \(rule) \(n)") }
    if ProcessInfo.processInfo.environment["ESKIT_BENCH_VERBOSE"] != nil {
        for f in total.findings.prefix(30) { print("  \(f.file):\(f.span.start) \(f.ruleID) \(f.secret.preview)") }
    }
    if let jsonPath = ProcessInfo.processInfo.environment["ESKIT_BENCH_JSON"] {
        let items = total.findings.map { f in
            "{\"file\": \"\(f.file)\", \"rule\": \"\(f.ruleID)\", \"startLine\": \(f.span.start.line), \"endLine\": "
                + "\(f.span.end.line)}"
        }
        let json = "{\"findings\": [\n" + items.joined(separator: ",\n") + "\n]}\n"
        _ = FileManager.default.createFile(atPath: jsonPath, contents: Data(json.utf8))
    }
    print("skipped binary \(total.skippedBinary) huge \(total.skippedHuge)")
    print("seconds \(String((seconds * 1000).rounded() / 1000))")
    print("MB/s \(String((Double(total.bytesScanned) / 1_000_000 / max(seconds, 1e-9)).rounded()))")
    return 0
}

/// Per-thread results of a parallel run.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [ScanResult]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: ScanResult(), count: count) }

    func set(_ index: Int, _ result: ScanResult) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func all() -> [ScanResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
