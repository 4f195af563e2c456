public import EskitYAML

/// An `x-kubernetes-validations` rule in the small CEL subset ESO's CRDs use: `has(self.a.b)`, `self.x`,
/// `!`, `&&`, `||`, comparisons, `in`, list literals, `.filter(x, pred)`, `.size()` / `size(x)`, string, int and
/// bool literals. A rule outside the subset fails to parse and is not checked.
public struct CELRule: Sendable {
    public let source: String
    public let message: String?
    private let expression: Expr

    public struct Unsupported: Error, Sendable {}

    public init(_ source: String, message: String?) throws(Unsupported) {
        self.source = source
        self.message = message
        var parser = Parser(tokens: try Lexer.tokens(source))
        expression = try parser.parseExpression()
        guard parser.atEnd else { throw Unsupported() }
    }

    /// True, false, or nil when the rule cannot be evaluated on this value (type mismatch, unknown function).
    public func holds(for node: YAMLNode) -> Bool? {
        guard case .bool(let b)? = Evaluator(bindings: ["self": .node(node)]).eval(expression) else { return nil }
        return b
    }

    indirect enum Expr: Sendable {
        case literal(Value)
        case identifier(String)
        case member(Expr, String)
        case has(Expr, String)
        case call(Expr?, String, [Expr])
        case filter(Expr, String, Expr)
        case list([Expr])
        case not(Expr)
        case binary(String, Expr, Expr)
    }

    enum Value: Sendable {
        case bool(Bool), int(Int64), string(String), list([Value]), node(YAMLNode), null
    }

    enum Token: Equatable, Sendable {
        case ident(String), string(String), int(Int64), op(String)
    }

    enum Lexer {
        static func tokens(_ text: String) throws(Unsupported) -> [Token] {
            let b = Array(text.utf8)
            var out: [Token] = []
            var i = 0
            func isIdent(_ c: UInt8) -> Bool {
                (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95
            }
            while i < b.count {
                let c = b[i]
                if c == 32 || c == 10 || c == 9 || c == 13 { i += 1; continue }
                if c == 39 || c == 34 {
                    var j = i + 1
                    var s: [UInt8] = []
                    while j < b.count, b[j] != c {
                        if b[j] == 92, j + 1 < b.count { j += 1 }
                        s.append(b[j]); j += 1
                    }
                    guard j < b.count else { throw Unsupported() }
                    out.append(.string(String(decoding: s, as: UTF8.self)))
                    i = j + 1
                } else if c >= 48 && c <= 57 {
                    var j = i
                    var n: Int64 = 0
                    while j < b.count, b[j] >= 48, b[j] <= 57 { n = n &* 10 &+ Int64(b[j] - 48); j += 1 }
                    out.append(.int(n)); i = j
                } else if isIdent(c) {
                    var j = i
                    while j < b.count, isIdent(b[j]) { j += 1 }
                    out.append(.ident(String(decoding: b[i..<j], as: UTF8.self))); i = j
                } else {
                    let two = i + 1 < b.count ? String(decoding: b[i...(i + 1)], as: UTF8.self) : ""
                    if ["&&", "||", "==", "!=", "<=", ">="].contains(two) { out.append(.op(two)); i += 2; continue }
                    guard "()[],.!<>".utf8.contains(c) else { throw Unsupported() }
                    out.append(.op(String(UnicodeScalar(c)))); i += 1
                }
            }
            return out
        }
    }

    struct Parser {
        let tokens: [Token]
        var i = 0
        var atEnd: Bool { i == tokens.count }

        mutating func accept(_ op: String) -> Bool {
            if i < tokens.count, tokens[i] == .op(op) { i += 1; return true }
            return false
        }

        mutating func expect(_ op: String) throws(Unsupported) { if !accept(op) { throw Unsupported() } }

        mutating func parseExpression() throws(Unsupported) -> Expr {
            var left = try parseAnd()
            while accept("||") { left = .binary("||", left, try parseAnd()) }
            return left
        }

        mutating func parseAnd() throws(Unsupported) -> Expr {
            var left = try parseComparison()
            while accept("&&") { left = .binary("&&", left, try parseComparison()) }
            return left
        }

        mutating func parseComparison() throws(Unsupported) -> Expr {
            let left = try parseUnary()
            for op in ["==", "!=", "<=", ">=", "<", ">"] where accept(op) { return .binary(op, left, try parseUnary()) }
            if i < tokens.count, tokens[i] == .ident("in") { i += 1; return .binary("in", left, try parseUnary()) }
            return left
        }

        mutating func parseUnary() throws(Unsupported) -> Expr {
            if accept("!") { return .not(try parseUnary()) }
            return try parsePostfix()
        }

        mutating func parsePostfix() throws(Unsupported) -> Expr {
            var e = try parsePrimary()
            while accept(".") {
                guard i < tokens.count, case .ident(let name) = tokens[i] else { throw Unsupported() }
                i += 1
                if accept("(") {
                    if name == "filter" {
                        guard i < tokens.count, case .ident(let v) = tokens[i] else { throw Unsupported() }
                        i += 1
                        try expect(",")
                        let predicate = try parseExpression()
                        try expect(")")
                        e = .filter(e, v, predicate)
                    } else {
                        guard name == "size" else { throw Unsupported() }
                        var args: [Expr] = []
                        if !accept(")") {
                            repeat { args.append(try parseExpression()) } while accept(",")
                            try expect(")")
                        }
                        e = .call(e, name, args)
                    }
                } else {
                    e = .member(e, name)
                }
            }
            return e
        }

        mutating func parsePrimary() throws(Unsupported) -> Expr {
            guard i < tokens.count else { throw Unsupported() }
            let t = tokens[i]
            i += 1
            switch t {
            case .string(let s): return .literal(.string(s))
            case .int(let n): return .literal(.int(n))
            case .op("("):
                let e = try parseExpression()
                try expect(")")
                return e
            case .op("["):
                var items: [Expr] = []
                if !accept("]") {
                    repeat { items.append(try parseExpression()) } while accept(",")
                    try expect("]")
                }
                return .list(items)
            case .ident("true"): return .literal(.bool(true))
            case .ident("false"): return .literal(.bool(false))
            case .ident("null"): return .literal(.null)
            case .ident("has"):
                try expect("(")
                guard case .member(let base, let field) = try parsePostfix() else { throw Unsupported() }
                try expect(")")
                return .has(base, field)
            case .ident(let name):
                if accept("(") {
                    guard name == "size" else { throw Unsupported() }
                    var args: [Expr] = []
                    if !accept(")") {
                        repeat { args.append(try parseExpression()) } while accept(",")
                        try expect(")")
                    }
                    return .call(nil, name, args)
                }
                return .identifier(name)
            default:
                throw Unsupported()
            }
        }
    }

    struct Evaluator {
        var bindings: [String: Value]

        func eval(_ e: Expr) -> Value? {
            switch e {
            case .literal(let v): return v
            case .identifier(let name): return bindings[name]
            case .member(let base, let field):
                guard case .node(let n)? = eval(base), let child = n[field] else { return nil }
                return Self.value(child)
            case .has(let base, let field):
                guard case .node(let n)? = eval(base) else { return nil }
                return .bool(n[field] != nil)
            case .list(let items):
                var values: [Value] = []
                for item in items { guard let v = eval(item) else { return nil }; values.append(v) }
                return .list(values)
            case .filter(let base, let variable, let predicate):
                guard case .list(let items)? = eval(base) else { return nil }
                var kept: [Value] = []
                for item in items {
                    var inner = self
                    inner.bindings[variable] = item
                    guard case .bool(let keep)? = inner.eval(predicate) else { return nil }
                    if keep { kept.append(item) }
                }
                return .list(kept)
            case .call(let receiver, let name, let args):
                guard name == "size" else { return nil }
                let target = receiver ?? args.first
                guard let target, let v = eval(target) else { return nil }
                switch v {
                case .list(let items): return .int(Int64(items.count))
                case .string(let s): return .int(Int64(s.unicodeScalars.count))
                case .node(let n): return .int(Int64(n.pairs?.count ?? n.items?.count ?? 0))
                default: return nil
                }
            case .not(let inner):
                guard case .bool(let b)? = eval(inner) else { return nil }
                return .bool(!b)
            case .binary(let op, let l, let r):
                if op == "&&" || op == "||" {
                    guard case .bool(let a)? = eval(l) else { return nil }
                    if op == "&&" && !a { return .bool(false) }
                    if op == "||" && a { return .bool(true) }
                    guard case .bool(let b)? = eval(r) else { return nil }
                    return .bool(b)
                }
                guard let a = eval(l), let b = eval(r) else { return nil }
                return Self.compare(op, a, b)
            }
        }

        static func value(_ node: YAMLNode) -> Value {
            switch node.resolved {
            case .bool(let b)?: .bool(b)
            case .int(let i)?: .int(i)
            case .string(let s)?: .string(s)
            case .null?: .null
            default: .node(node)
            }
        }

        static func compare(_ op: String, _ a: Value, _ b: Value) -> Value? {
            switch (op, a, b) {
            case ("in", .string(let key), .node(let n)): return .bool(n[key] != nil)
            case ("==", .bool(let x), .bool(let y)): return .bool(x == y)
            case ("!=", .bool(let x), .bool(let y)): return .bool(x != y)
            case ("==", .string(let x), .string(let y)): return .bool(x == y)
            case ("!=", .string(let x), .string(let y)): return .bool(x != y)
            case (_, .int(let x), .int(let y)):
                switch op {
                case "==": return .bool(x == y)
                case "!=": return .bool(x != y)
                case "<": return .bool(x < y)
                case "<=": return .bool(x <= y)
                case ">": return .bool(x > y)
                case ">=": return .bool(x >= y)
                default: return nil
                }
            default: return nil
            }
        }
    }
}
