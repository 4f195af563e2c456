#if canImport(Glibc)
import Glibc
#endif

/// The whole file, or nil when it cannot be read.
func readFileBytes(_ path: String) -> [UInt8]? {
    guard let handle = fopen(path, "rb") else { return nil }
    defer { fclose(handle) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        if n == 0 { break }
        result.append(contentsOf: chunk[0..<n])
    }
    return ferror(handle) == 0 ? result : nil
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A value rounded to three decimals.
func formatMilli(_ value: Double) -> String {
    String((value * 1000).rounded() / 1000)
}
