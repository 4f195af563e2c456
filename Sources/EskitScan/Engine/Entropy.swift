import Foundation

/// Shannon entropy and charset measures of candidate values.
enum Entropy {
    /// Bits per byte.
    static func shannon<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let n = Double(bytes.count)
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / n
            h -= p * log2(p)
        }
        return h
    }

    /// Number of character classes present: lower, upper, digit, other.
    static func classes<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var lower = false, upper = false, digit = false, other = false
        for b in bytes {
            switch b {
            case 97...122: lower = true
            case 65...90: upper = true
            case 48...57: digit = true
            default: other = true
            }
        }
        return [lower, upper, digit, other].filter { $0 }.count
    }
}
