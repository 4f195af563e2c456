import EskitCore
import Foundation
import Testing

@Suite("JSON string quoting")
struct JSONStringTests {
    @Test(
        "quotes, backslashes and the short escapes",
        arguments: [
            ("", #""""#),
            ("plain", #""plain""#),
            (#"say "hi""#, #""say \"hi\"""#),
            (#"C:\path\n"#, #""C:\\path\\n""#),
            ("a\nb\rc\td", #""a\nb\rc\td""#),
            ("/slash/", #""/slash/""#),
        ])
    func escapes(text: String, expected: String) {
        #expect(JSONString.quote(text) == expected)
    }

    @Test("every other control character is \\u00XX (lower-case hex), DEL stays")
    func controls() {
        #expect(
            JSONString.quote("\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{7F}")
                == "\"\\u0000\\u0001\\u0008\\u000b\\u000c\\u001f\u{7F}\"")
        for value in 0..<0x20 where ![0x09, 0x0A, 0x0D].contains(value) {
            let quoted = JSONString.quote(String(Unicode.Scalar(UInt8(value))))
            #expect(quoted == "\"\\u" + String(format: "%04x", value) + "\"")
        }
    }

    @Test("non-ASCII stays as UTF-8; U+2028 and U+2029 are escaped")
    func unicode() {
        #expect(JSONString.quote("café ✓ 日本 🔑") == "\"café ✓ 日本 🔑\"")
        #expect(JSONString.quote("a\u{2028}b\u{2029}c") == #""a\u2028b\u2029c""#)
        #expect(
            JSONString.quote("\u{2027}\u{202A}\u{20AC}") == "\"\u{2027}\u{202A}\u{20AC}\"", "neighbours are not escaped"
        )
        #expect(JSONString.quote("\u{2028}") == #""\u2028""#)
    }

    @Test("what it writes, JSONSerialization reads back as the same text")
    func roundTrip() throws {
        var all = String.UnicodeScalarView()
        for v in 0..<0x300 { all.append(Unicode.Scalar(UInt32(v))!) }
        for text in [String(all), "x\u{2028}\u{2029}\"\\\u{0}🔑", "e\u{301}"] {
            let data = Data(("[" + JSONString.quote(text) + "]").utf8)
            let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String])
            #expect(parsed.first?.unicodeScalars.elementsEqual(text.unicodeScalars) == true)
        }
    }

    static func read(_ literal: String) -> (String?, Int) {
        var at = 0
        let text = Array(literal.utf8).withUnsafeBufferPointer { JSONString.read($0, at: &at) }
        return (text, at)
    }

    @Test("read is the inverse of quote, and stops after the closing quote")
    func readBack() {
        var all = String.UnicodeScalarView()
        for v in 0..<0x300 { all.append(Unicode.Scalar(UInt32(v))!) }
        for text in [String(all), "x\u{2028}\u{2029}\"\\\u{0}🔑", "e\u{301}", "", "plain"] {
            let quoted = JSONString.quote(text)
            let (read, at) = Self.read(quoted + ", next")
            #expect(read?.unicodeScalars.elementsEqual(text.unicodeScalars) == true)
            #expect(at == quoted.utf8.count)
        }
        #expect(Self.read(#""\ud83d\ude80 \/""#).0 == "🚀 /")
        for bad in [#""open"#, #""bad \q""#, "\"raw \u{1}\"", #""\u12""#, "x", #""\ud83d\u0041""#] {
            #expect(Self.read(bad).0 == nil, "\(bad)")
        }
    }
}
