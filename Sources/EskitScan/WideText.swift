import Foundation

/// UTF-16 and UTF-32 text (as PowerShell, Windows editors and some exporters write it): recognised by its byte
/// order mark, or without one by its shape (the zero bytes of ASCII text in every other, or three of four,
/// position), and decoded to UTF-8 so it is scanned like any text (positions are those of the decoded text).
/// Anything else with NUL bytes stays binary.
enum WideText {
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let n = buffer.count
        guard n >= 4 else { return nil }
        let b = Array(buffer.prefix(4))
        let encoding: String.Encoding
        var skip = 0
        if b[0] == 0xFF, b[1] == 0xFE, b[2] == 0, b[3] == 0 {
            encoding = .utf32LittleEndian
            skip = 4
        } else if b[0] == 0, b[1] == 0, b[2] == 0xFE, b[3] == 0xFF {
            encoding = .utf32BigEndian
            skip = 4
        } else if b[0] == 0xFF, b[1] == 0xFE {
            encoding = .utf16LittleEndian
            skip = 2
        } else if b[0] == 0xFE, b[1] == 0xFF {
            encoding = .utf16BigEndian
            skip = 2
        } else if let guessed = guess(buffer) {
            encoding = guessed
        } else {
            return nil
        }
        let data = Data(buffer[skip...])
        guard let text = String(data: data, encoding: encoding), !text.contains("\u{0}") else { return nil }
        return Array(text.utf8)
    }

    /// UTF-16 / UTF-32 without a mark: at least 90 % of the first 2 KiB's code units are ASCII text in the
    /// encoding's zero-padded shape.
    static func guess(_ buffer: UnsafeBufferPointer<UInt8>) -> String.Encoding? {
        let sample = Array(buffer.prefix(2048))
        func share(_ width: Int, _ at: Int) -> Double {
            guard sample.count >= width * 8, sample.count % width == 0 else { return 0 }
            var good = 0, units = 0
            var i = 0
            while i + width <= sample.count {
                units += 1
                let unit = sample[i..<(i + width)]
                let ascii = unit[unit.startIndex + at]
                let zeros = unit.enumerated().allSatisfy { $0.offset == at || $0.element == 0 }
                if zeros, ascii == 9 || ascii == 10 || ascii == 13 || (32...126).contains(ascii) { good += 1 }
                i += width
            }
            return units == 0 ? 0 : Double(good) / Double(units)
        }
        if share(4, 0) >= 0.9 { return .utf32LittleEndian }
        if share(4, 3) >= 0.9 { return .utf32BigEndian }
        if share(2, 0) >= 0.9 { return .utf16LittleEndian }
        if share(2, 1) >= 0.9 { return .utf16BigEndian }
        return nil
    }
}
