import EskitCore
import EskitScan
import FuzzDriver

/// The scanner with every built-in detector, built once.
private let scanner: Scanner = {
    do { return try Scanner() } catch { fatalError("scanner: \(error)") }
}()

/// libFuzzer target: the scan engine over one file's bytes. Three inputs in four are scanned under a YAML path,
/// so the Kubernetes-aware extraction (documents, Secrets, env literals, Helm values) runs; the rest under a plain
/// text path. Checked: every finding lies inside the text that was scanned, holds a value, and never shows more of
/// it than the preview when printed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let buffer = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    let path = size % 4 == 3 ? "config/app.env" : "deploy/base/secret.yaml"
    let result = scanner.scan(path: path, buffer: buffer)
    let wide = buffer.contains(0)
    for finding in result.findings {
        precondition(finding.file == path, "finding names another file")
        precondition(finding.span.start.offset <= finding.span.end.offset, "finding span reversed")
        precondition(wide || finding.span.end.offset <= size, "finding span past the input")
        precondition(finding.secret.byteCount > 0, "finding without a value")
        let value = finding.secret.revealed
        if value.utf8.count >= 8 {
            precondition(!"\(finding)".contains(value), "a finding prints its value")
        }
    }
    return 0
}

/// Runs libFuzzer over `fuzzScan` (see `FuzzDriver`).
@main enum Main {
    static func main() { FuzzDriver.run(fuzzScan) }
}
