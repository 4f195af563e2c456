/// Go `time.ParseDuration` for the units Kubernetes durations use (`ns us µs ms s m h`), in seconds.
public enum GoDuration {
    public static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        if bytes == [UInt8(ascii: "0")] { return 0 }
        var i = 0
        var total = 0.0
        var any = false
        while i < bytes.count {
            var number = 0.0
            var digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                number = number * 10 + Double(bytes[i] - 48); i += 1; digits += 1
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 0.1
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    number += Double(bytes[i] - 48) * scale; scale /= 10; i += 1; digits += 1
                }
            }
            guard digits > 0 else { return nil }
            var unit = ""
            while i < bytes.count, !(bytes[i] >= 48 && bytes[i] <= 57), bytes[i] != UInt8(ascii: ".") {
                unit.unicodeScalars.append(UnicodeScalar(bytes[i]))
                i += 1
            }
            let factor: Double
            switch unit {
            case "ns": factor = 1e-9
            case "us", "µs": factor = 1e-6
            case "ms": factor = 1e-3
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            default: return nil
            }
            total += number * factor
            any = true
        }
        return any ? total : nil
    }
}
