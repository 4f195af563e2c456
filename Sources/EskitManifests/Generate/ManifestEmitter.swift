public import EskitYAML

/// Writes YAML node trees as block-style YAML, deterministically: two-space indentation, sequences
/// indented under their key as kubectl and kustomize write them (`key:\n- item`), strings plain when that reads
/// back as the same string and double-quoted otherwise, multi-line strings as literal blocks. Scalars that
/// resolve to numbers, booleans or null keep their source text.
public enum ManifestEmitter {
    /// One document (no `---`), ending in a newline.
    public static func emit(_ node: YAMLNode) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(node, indent: 0, into: &out, inSequence: false)
        if out.last != 10 { out.append(10) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A string node that reads back as the same string (quoted only when needed).
    public static func string(_ value: String) -> YAMLNode {
        .scalar(value, style: ScalarResolver.needsQuotingAsString(value) ? .doubleQuoted : .plain)
    }

    private static func spaces(_ n: Int, _ out: inout [UInt8]) {
        for _ in 0..<n { out.append(32) }
    }

    private static func write(_ node: YAMLNode, indent: Int, into out: inout [UInt8], inSequence: Bool) {
        switch node.kind {
        case .scalar:
            writeScalar(node, indent: indent, into: &out)
            out.append(10)
        case .mapping(let pairs):
            if pairs.isEmpty { out += Array("{}\n".utf8); return }
            for (i, pair) in pairs.enumerated() {
                if !(inSequence && i == 0) { spaces(indent, &out) }
                writeKey(pair.key.scalarValue ?? "", into: &out)
                writeValue(pair.value, indent: indent, into: &out, sequenceIndent: indent)
            }
        case .sequence(let items):
            if items.isEmpty { out += Array("[]\n".utf8); return }
            for (i, item) in items.enumerated() {
                if !(inSequence && i == 0) { spaces(indent, &out) }
                out += [UInt8(ascii: "-")]
                switch item.kind {
                case .mapping(let p) where !p.isEmpty:
                    out.append(32)
                    write(item, indent: indent + 2, into: &out, inSequence: true)
                case .sequence(let s) where !s.isEmpty:
                    out.append(32)
                    write(item, indent: indent + 2, into: &out, inSequence: true)
                default:
                    out.append(32)
                    write(item, indent: indent + 2, into: &out, inSequence: false)
                }
            }
        }
    }

    private static func writeValue(_ value: YAMLNode, indent: Int, into out: inout [UInt8], sequenceIndent: Int) {
        switch value.kind {
        case .mapping(let p) where !p.isEmpty:
            out.append(10)
            write(value, indent: indent + 2, into: &out, inSequence: false)
        case .sequence(let s) where !s.isEmpty:
            out.append(10)
            write(value, indent: sequenceIndent, into: &out, inSequence: false)
        case .mapping:
            out += Array(" {}\n".utf8)
        case .sequence:
            out += Array(" []\n".utf8)
        case .scalar:
            out.append(32)
            writeScalar(value, indent: indent + 2, into: &out)
            out.append(10)
        }
    }

    private static func writeKey(_ key: String, into out: inout [UInt8]) {
        if isPlainSafe(key) && !ScalarResolver.needsQuotingAsString(key) { out += Array(key.utf8) } else { writeDoubleQuoted(key, into: &out) }
        out.append(UInt8(ascii: ":"))
    }

    private static func writeScalar(_ node: YAMLNode, indent: Int, into out: inout [UInt8]) {
        guard case .scalar(let value, _) = node.kind else { return }
        let resolved = node.resolved ?? .string(value)
        guard case .string = resolved else {
            if node.tag == nil { out += Array(value.utf8) } else { writeTyped(resolved, into: &out) }
            return
        }
        if value.contains("\n"), isLiteralSafe(value) {
            writeLiteral(value, indent: indent, into: &out)
        } else if isPlainSafe(value) && !ScalarResolver.needsQuotingAsString(value) {
            out += Array(value.utf8)
        } else {
            writeDoubleQuoted(value, into: &out)
        }
    }

    private static func writeTyped(_ value: ResolvedScalar, into out: inout [UInt8]) {
        switch value {
        case .string(let s): writeDoubleQuoted(s, into: &out)
        default: out += Array(value.jsonText.utf8)
        }
    }

    private static func writeLiteral(_ value: String, indent: Int, into out: inout [UInt8]) {
        let bytes = Array(value.utf8)
        var trailing = 0
        var k = bytes.count
        while k > 0, bytes[k - 1] == 10 { trailing += 1; k -= 1 }
        out.append(UInt8(ascii: "|"))
        if bytes.first == 32 { out.append(UInt8(ascii: "2")) }
        if trailing == 0 { out.append(UInt8(ascii: "-")) } else if trailing > 1 { out.append(UInt8(ascii: "+")) }
        let body = bytes[0..<k]
        for line in body.split(separator: 10, omittingEmptySubsequences: false) {
            out.append(10)
            if !line.isEmpty { spaces(indent, &out); out += line }
        }
        for _ in 1..<max(trailing, 1) { out.append(10) }
    }

    private static func isLiteralSafe(_ value: String) -> Bool {
        var lineStart = true
        var prev: UInt8 = 0
        for b in value.utf8 {
            if b == 10 {
                if prev == 32 || prev == 9 { return false }
                lineStart = true
            } else {
                if b < 32 && b != 9 { return false }
                if b == 127 { return false }
                if lineStart && b == 9 { return false }
                lineStart = false
            }
            prev = b
        }
        return prev != 32 && prev != 9
    }

    static func isPlainSafe(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 32 || last == 32 || last == UInt8(ascii: ":") { return false }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            if first == UInt8(ascii: "-"), bytes.count > 1, bytes[1] != 32, bytes[1] != UInt8(ascii: "-") { break }
            return false
        default: break
        }
        var prev: UInt8 = 0
        for b in bytes {
            if b < 32 || b == 127 { return false }
            if b == UInt8(ascii: "#"), prev == 32 { return false }
            if prev == UInt8(ascii: ":"), b == 32 { return false }
            if b >= 0x80 { return false }
            prev = b
        }
        return true
    }

    private static func writeDoubleQuoted(_ value: String, into out: inout [UInt8]) {
        out += Array(JSONText.quote(value).utf8)
    }
}
