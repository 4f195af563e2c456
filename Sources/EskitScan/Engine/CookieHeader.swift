/// The value of a `Cookie` / `Set-Cookie` header assigned in a file: `name=value` pairs separated by `;`. Each
/// cookie's value is judged on its own, so a session token (`sid=…; theme=dark`) is reported at the token itself and
/// a header of several cookies is no longer skipped for holding spaces. Header blocks recorded from real traffic as
/// test data (the shared HPACK test cases of HTTP/2 libraries: `{"cookie": "…"}` objects beside HTTP/2
/// pseudo-header keys such as `":method"` and `":path"`) are not judged: their values are recordings of public
/// sites, and configurations name pseudo-headers as values (`name: ":authority"`), not as keys.
enum CookieHeader {
    private static let headerNames: Set<[UInt8]> = Set(["cookie", "set-cookie", "set_cookie"].map { Array($0.utf8) })
    private static let pseudoHeaders = [":method", ":path", ":authority", ":scheme", ":status"]
        .map { Array(("\"" + $0 + "\"").utf8) }

    /// True when `key` names the header itself (`cookie`, `Set-Cookie`), not a setting about cookies
    /// (`erlangCookie`, `cookieSecret`).
    static func isHeaderName(_ text: ByteText, _ key: Range<Int>) -> Bool {
        (6...10).contains(key.count) && headerNames.contains(text.slice(key).map { lowerTable[Int($0)] })
    }

    /// The value ranges of the cookies in `range`: after the first `=` of each `;`-separated pair; a pair without a
    /// name (`=…`, or base64 padding such as `abc==`) counts whole.
    static func values(_ text: ByteText, in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            while end < range.upperBound, text[end] != 59 { end += 1 }
            var last = end
            while last > start, text[last - 1] == 32 || text[last - 1] == 9 { last -= 1 }
            let pair = min(text.skipSpaces(start), last)..<last
            if !pair.isEmpty {
                var equals = pair.lowerBound
                while equals < pair.upperBound, text[equals] != 61 { equals += 1 }
                let named = equals > pair.lowerBound && equals + 1 < pair.upperBound && text[equals + 1] != 61
                result.append(named ? (equals + 1)..<pair.upperBound : pair)
            }
            start = end + 1
        }
        return result
    }

    /// True when the text holds HTTP/2 pseudo-header keys (`":method":`): header blocks recorded as test data.
    static func isRecordedTraffic(_ text: ByteText, cache: inout FileShapeCache) -> Bool {
        if let known = cache.recordedHeaders { return known }
        var found = false
        search: for key in pseudoHeaders {
            var cursor = 0
            while cursor < text.count, let at = text.find(key, in: cursor..<text.count) {
                cursor = at + key.count
                if text.byte(text.skipSpaces(cursor)) == 58 {
                    found = true
                    break search
                }
            }
        }
        cache.recordedHeaders = found
        return found
    }
}
