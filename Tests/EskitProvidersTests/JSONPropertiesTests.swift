import Testing

@testable import EskitProviders

@Suite struct JSONPropertiesTests {
    @Test func topLevelPropertiesAsESOReadsThem() throws {
        let json = #"{"user":"app","n":12.50,"ok":true,"none":null,"nested":{"a":[1,2]},"esc":"a\"b\u00e9"}"#
        let props = try #require(JSONProperties.decode(Array(json.utf8)))
        #expect(props["user"]?.revealed == "app")
        #expect(props["n"]?.revealed == "12.50")
        #expect(props["ok"]?.revealed == "true")
        #expect(props["none"]?.revealed == "")
        #expect(props["nested"]?.revealed == #"{"a":[1,2]}"#)
        #expect(props["esc"]?.revealed == "a\"bé")
    }

    @Test(arguments: ["", "[]", "\"s\"", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":tru}", "plain text"])
    func notAnObject(_ text: String) {
        #expect(JSONProperties.decode(Array(text.utf8)) == nil)
    }
}
