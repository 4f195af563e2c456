/// Start of the shell command holding `offset`: its line, extended over `\`-continued previous lines.
func commandStart(_ text: ByteText, _ offset: Int) -> Int {
    var start = text.lineStart(offset)
    for _ in 0..<20 {
        guard start >= 2 else { break }
        var end = start - 1
        if end > 0, text[end - 1] == 13 { end -= 1 }
        guard end > 0, text[end - 1] == 92 else { break }
        start = text.lineStart(end - 1)
    }
    return start
}
