/// Entry points for reading YAML streams.
public enum YAML {
    /// Parses a UTF-8 stream of zero or more documents into node trees whose nodes carry exact source spans.
    ///
    /// - Aliases are resolved to copies of their anchored node (`alias` set, span of the alias itself); an anchor
    ///   defined twice takes its latest definition. An undefined alias is an error.
    /// - Tags come resolved (`!!str` is `tag:yaml.org,2002:str`); the non-specific tag `!` is kept as `"!"`.
    /// - Empty input, or input with only comments, gives no documents.
    /// - Every problem (syntax, invalid UTF-8, control characters, limits) throws one `YAMLError`.
    public static func parse(
        _ bytes: [UInt8], file: String,
        limits: YAMLLimits = .default
    ) throws(YAMLError) -> [YAMLDocument] {
        var documents: [YAMLDocument] = []
        try EventParser(bytes: bytes, file: file, limits: limits).run { documents.append($0) }
        return documents
    }

    /// Parses a string (its UTF-8 bytes).
    public static func parse(
        _ text: String, file: String,
        limits: YAMLLimits = .default
    ) throws(YAMLError) -> [YAMLDocument] {
        try parse(Array(text.utf8), file: file, limits: limits)
    }

    /// Parses a stream and hands each document to `body` as soon as it is complete, without keeping earlier
    /// documents alive (for large multi-document files).
    public static func forEachDocument(
        in bytes: [UInt8], file: String, limits: YAMLLimits = .default,
        _ body: (YAMLDocument) -> Void
    ) throws(YAMLError) {
        try EventParser(bytes: bytes, file: file, limits: limits).run(body)
    }
}
