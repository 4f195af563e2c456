import EskitCore
import Testing

@Suite struct LineIndexTests {
    @Test func positionsCountCodePoints() {
        let text = "a: 1\né: x\n\nlast"
        let index = LineIndex(text.utf8)
        #expect(index.position(ofOffset: 0) == TextPosition(offset: 0, line: 1, column: 1))
        // "é" is two bytes: the ":" after it is byte 7 but column 2.
        #expect(index.position(ofOffset: 7) == TextPosition(offset: 7, line: 2, column: 2))
        #expect(index.position(ofOffset: 11) == TextPosition(offset: 11, line: 3, column: 1))
        #expect(index.position(ofOffset: 12) == TextPosition(offset: 12, line: 4, column: 1))
        #expect(index.lineText(2) == "é: x")
        #expect(index.lineText(4) == "last")
    }
}
