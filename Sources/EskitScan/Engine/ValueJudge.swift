/// What a key name says about its value.
enum KeyClass: Equatable {
    /// `password`, `passwd`, `pwd`, `passphrase`, `DB_PASS`, `harborAdminPassword`…
    case password
    /// `token`, `secret`, `api_key`, `client_secret`, `access_key`, `private_key`, `credentials`…
    case secret
    /// A bare `key` or `auth`: a value counts only when it is clearly random.
    case weak
    case none
}

/// Classifies key names by their last word (`secretName`, `tokenUrl`, `passwordFile` are not secret keys).
enum KeyName {
    private static let passwordWords: Set<String> = [
        "password", "passwd", "pwd", "passphrase", "pass", "passw", "pword",
    ]
    private static let secretWords: Set<String> = [
        "secret", "token", "apikey", "credentials", "credential", "creds", "pat", "privatekey", "accesskey",
        "secretkey", "authtoken", "bearer", "sas", "connectionstring", "cookie", "dsn", "masterkey", "encryptionkey",
        "signingkey",
    ]
    private static let keyQualifiers: Set<String> = [
        "api", "access", "secret", "private", "encryption", "signing", "master", "account", "client", "app", "license",
        "service", "subscription", "auth", "session", "hmac", "jwt", "admin", "root", "storage", "shared", "aes",
        "crypt", "crypto", "cipher", "webhook", "xsrf", "csrf", "jwe", "jws", "signature", "license", "sendgrid",
        "stripe", "mailgun", "twilio", "cookie", "consumer",
    ]
    private static let notSecretLastWords: Set<String> = [
        "name", "names", "ref", "reference", "file", "files", "path", "dir", "url", "uri", "endpoint", "id", "ids",
        "type", "length", "len", "size", "policy", "enabled", "enable", "disabled", "header", "field", "env", "version",
        "ttl", "mode", "format", "prefix", "suffix", "template", "count", "expiry", "expires", "expiration", "selector",
        "provider", "store", "location", "regex", "pattern", "rotation", "algorithm", "kind", "method", "source",
        "generator", "lifetime", "timeout", "duration", "max", "min", "required", "label", "annotation", "class",
        "scope", "scopes", "issuer", "audience", "validation", "hash", "strategy", "namespace", "key", "keys",
        "exists", "secrets", "tokens", "passwords", "mount", "volume", "config", "data", "output", "input", "user",
        "username", "login", "ref", "manager", "backend", "engine", "role", "arn", "hint", "description", "desc",
        "help", "message", "msg", "error", "placeholder", "label", "title", "text", "policy", "rules", "reset",
        "change", "changed", "updated", "created", "age", "interval", "period", "used", "set", "valid", "invalid",
        "encoding", "encoded", "encrypted", "mask", "masked", "hidden", "show", "visible", "list", "map", "index",
        "count", "limit", "retries", "sha", "md5", "digest", "fingerprint", "checksum", "pub", "public", "cert",
        "certificate", "crt", "ca",
    ]

    static func words(_ key: [UInt8]) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var prevLower = false
        for b in key {
            let isUpper = b >= 65 && b <= 90
            let isAlnum = ByteSet.alnum.contains(b)
            if !isAlnum || (isUpper && prevLower) {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current = []
            }
            if isAlnum { current.append(lowerTable[Int(b)]) }
            prevLower = (b >= 97 && b <= 122) || (b >= 48 && b <= 57)
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    private static let existingBytes = Array("existing".utf8)

    private static let excludingPreviousWords: Set<String> = [
        "external", "use", "from", "sealed", "k8s", "kubernetes", "ref", "create",
    ]
    private static let excludingWords: [[UInt8]] = ["public", "next", "input", "output", "pagination"].map {
        Array($0.utf8)
    }
    private static let secretSuffixes = [
        "password", "passwd", "secret", "token", "apikey", "privatekey", "accesskey", "secretkey", "masterkey",
        "encryptionkey", "signingkey",
    ]

    static func classify(_ key: [UInt8]) -> KeyClass {
        if key.allSatisfy({ (97...122).contains($0) }) {
            return classify(words: [String(decoding: key, as: UTF8.self)])
        }
        let lowerKey = key.map { lowerTable[Int($0)] }
        if ValueJudge.contains(lowerKey, existingBytes) { return .none }
        for word in excludingWords where ValueJudge.contains(lowerKey, word) { return .none }
        return classify(words: words(key))
    }

    private static func classify(words w: [String]) -> KeyClass {
        guard let last = w.last else { return .none }
        // Helm `checksum/secret`, `checksum/config`: a hash of rendered configuration, not a secret.
        if w.first == "checksum" || w.first == "sha256sum" { return .none }
        if w.count >= 2, excludingPreviousWords.contains(w[w.count - 2]) { return .none }
        if passwordWords.contains(last) || (last.hasSuffix("password") && !last.hasPrefix("no")) { return .password }
        if secretWords.contains(last) { return .secret }
        if last == "key" {
            if w.count >= 2, keyQualifiers.contains(w[w.count - 2]) { return .secret }
            if w.count == 1 { return .weak }
            return .none
        }
        if last == "auth" { return w.count == 1 ? .weak : .secret }
        if notSecretLastWords.contains(last) { return .none }
        if w.count == 1, last.contains("existing") || last.hasPrefix("public") || last.hasPrefix("next") {
            return .none
        }
        for suffix in secretSuffixes where last.hasSuffix(suffix) {
            return suffix.contains("pass") ? .password : .secret
        }
        return .none
    }

    private static let publicKeys: Set<String> = [
        "username", "user", "host", "hostname", "port", "url", "endpoint", "region", "database", "db", "dbname",
        "email", "namespace", "name", "ca.crt", "tls.crt", "ca", "ca-bundle", "known_hosts", "ssh-known-hosts",
        "type", "project", "project_id", "client_id", "clientid", "client-id", "account", "bucket", "path",
        "server", "address", "login", "user-name", "db-user", "token-id", "kid", "issuer", "sshknownhosts",
    ]

    /// Keys of Secret data that hold no secret by themselves.
    static func isPublicDataKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        if publicKeys.contains(lower) { return true }
        return lower.hasSuffix(".crt") || lower.hasSuffix(".pub") || lower.hasSuffix(".cert")
            || lower.hasSuffix("_user")
            || lower.hasSuffix("-user") || lower.hasSuffix("username") || lower.hasSuffix("_host")
            || lower.hasSuffix("_url") || lower.hasSuffix("email") || lower.hasSuffix("e-mail")
            || ((lower.hasSuffix("_id") || lower.hasSuffix("-id") || lower.hasSuffix("accountid"))
                && !lower.contains("key") && !lower.contains("secret") && !lower.contains("token"))
    }
}

/// Decides whether a candidate value is a secret, a well-known default, or a placeholder / reference.
enum ValueJudge {
    enum Verdict: Equatable { case secret, defaultCredential, placeholder, notSecret }

    /// Well-known default passwords shipped by charts, images and docs (compared case-insensitively).
    static let defaults: Set<String> = [
        "harbor12345", "prom-operator", "admin", "changeit", "minio123", "minioadmin", "postgres", "root", "toor",
        "guest", "admin123", "administrator", "p@ssw0rd", "passw0rd", "password1", "password123", "123456",
        "12345678", "123456789", "qwerty", "letmein", "mysql", "redis", "rabbitmq", "neo4j", "sonar", "jenkins",
        "grafana", "keycloak", "openshift", "vagrant", "raspberry", "bitnami", "secret123", "admin@123", "welcome1",
        "oracle", "manager", "tomcat", "elastic", "kibana", "airflow", "superset", "mongo", "mongodb", "mariadb",
        "rootpassword", "adminadmin", "strongpassword", "pa55w0rd", "nexus", "gitlab", "argocd", "vault", "notasecret",
    ]

    private static let placeholderWords = [
        "changeme", "change_me", "change-me", "changethis", "replaceme", "replace_me", "replace-me", "example",
        "dummy", "sample", "placeholder", "redacted", "xxxx", "****", "todo", "tbd", "fixme", "insert_", "insert-",
        "fake", "notreal", "not-real", "not_real", "your_", "your-", "<", ">", "${", "$(", "{{", "}}", "%(", "#{",
        "lorem", "ipsum", "mysecret", "my-secret", "my_secret", "mypassword", "my-password", "my_password",
        "secretvalue", "secret-value", "secret_value", "password-here", "token-here", "_here", "-here",
        "supersecret", "super-secret", "super_secret", "s3cr3t", "password", "passwd", "...", "[", "]",
        // Swift string interpolation (`"\(token)"`, `#"\#(value)"#`): code building a value, not a value.
        "\\(", "\\#(",
    ]
    /// Words real passwords contain too (`Ord3rs-Db-S3cr3t-Pw-2025`): a placeholder only when little else is
    /// there (at most 4 other letters or digits) or the value has no digit (`no-password-required`).
    private static let weakPlaceholderWords: Set<[UInt8]> = Set(
        ["supersecret", "super-secret", "super_secret", "s3cr3t", "password", "passwd"].map { Array($0.utf8) })
    private static let placeholderExact: Set<String> = [
        "test", "testing", "tests", "secret", "secrets", "password", "passwd", "pass", "token", "none", "null", "nil",
        "~", "-", "...", "…", "empty", "n/a", "na", "undefined", "string", "value", "key", "foo", "bar", "foobar",
        "baz", "abc", "abc123", "xyz", "true", "false", "yes", "no", "on", "off", "required", "optional", "default",
        "unset", "apikey", "api_key", "api-key", "username", "user", "secretkey", "secret-key", "qwerty123",
        "pwd", "credentials", "example", "demo", "sample", "my-token", "mytoken", "auto", "random", "generated",
        "abcdef.0123456789abcdef",
    ]
    private static let referencePrefixes = [
        "$", "{{", "%(", "%{", "<", "&", "*", "env:", "file:", "vault:", "ref+", "awssm:", "gcpsm:", "azkv:",
        "arn:", "enc[", "secret://", "op://", "sops:", "projects/", "secretref", "valuefrom", "sha256:", "sha512:",
        "./", "../", "~/", "http://", "https://",
    ]

    private static let placeholderWordsByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for w in placeholderWords { table[Int(w.utf8.first!)].append(Array(w.utf8)) }
        return table
    }()
    private static let referencePrefixBytes = referencePrefixes.map { Array($0.utf8) }
    private static let placeholderStarts = ["your", "enter", "insert", "replace"].map { Array($0.utf8) }

    /// True for placeholders, template expressions, references and encrypted values.
    static func isPlaceholder<C: Collection>(_ value: C) -> Bool where C.Element == UInt8 {
        let lower = value.map { lowerTable[Int($0)] }
        guard let first = lower.first else { return true }
        if lower.count <= 24, placeholderExact.contains(String(decoding: lower, as: UTF8.self)) { return true }
        if isCryptHash(lower) { return false }
        for p in referencePrefixBytes where lower.starts(with: p) { return true }
        if first == 64 || first == 37, isDelimitedReference(lower) { return true }
        for p in placeholderStarts where lower.starts(with: p) { return true }
        var weakCovered: [Bool]? = nil
        for i in 0..<lower.count {
            for word in placeholderWordsByFirstByte[Int(lower[i])] where i + word.count <= lower.count {
                var k = 1
                while k < word.count, lower[i + k] == word[k] { k += 1 }
                guard k == word.count else { continue }
                guard weakPlaceholderWords.contains(word) else { return true }
                if weakCovered == nil { weakCovered = [Bool](repeating: false, count: lower.count) }
                for j in i..<(i + word.count) { weakCovered![j] = true }
            }
        }
        if let covered = weakCovered {
            var others = 0, digits = 0
            for (j, b) in lower.enumerated() {
                if (48...57).contains(b) { digits += 1 }
                if !covered[j], ByteSet.alnum.contains(b) { others += 1 }
            }
            if others <= 4 || digits == 0 { return true }
        }
        if isSampleValue(lower) { return true }
        if first == 47, looksLikeIdentifier(lower) { return true }
        if lower.contains(123) { return true }
        if lower.allSatisfy({ $0 == first }) { return true }
        if lower.allSatisfy({
            $0 == 120 || $0 == 42 || $0 == 46 || $0 == 35 || $0 == 45 || $0 == 95 || $0 == 32 || $0 == 48
        }) {
            return true
        }
        if value.count >= 3, value.allSatisfy({ (65...90).contains($0) || $0 == 95 || (48...57).contains($0) }),
            value.contains(95)
        {
            return true
        }
        return false
    }

    private static let sampleNouns: Set<String> = [
        "key", "value", "val", "secret", "pass", "password", "pwd", "token", "user", "foo", "bar", "baz", "test",
        "demo", "my", "some", "example", "sample", "item", "name",
    ]
    private static let sampleCounters: Set<String> = ["1", "2", "3", "12", "123", "1234", "12345", "01", "001"]
    private static let keyboardWalks = ["qwertyuiop", "asdfgh", "zxcvbn", "1qaz2wsx", "qazwsx", "asdfasdf"].map {
        Array($0.utf8)
    }

    /// README sample values: `key2=value2`-style (`value2`, `secret2`, `key_1234`), `some_pass`, `example…`
    /// and keyboard walks (`asdfgh`, `1qaz2wsx`).
    private static let someUnderscore = Array("some_".utf8), someDash = Array("some-".utf8)

    static func isSampleValue(_ lower: [UInt8]) -> Bool {
        if lower.starts(with: someUnderscore) || lower.starts(with: someDash) { return true }
        for walk in keyboardWalks where contains(lower, walk) { return true }
        guard lower.count <= 16 else { return false }
        var cut = lower.count
        while cut > 0, (48...57).contains(lower[cut - 1]) { cut -= 1 }
        guard cut < lower.count else { return false }
        var word = lower[..<cut]
        if let l = word.last, l == 95 || l == 45 { word = word.dropLast() }
        return sampleNouns.contains(String(decoding: word, as: UTF8.self))
            && sampleCounters.contains(String(decoding: lower[cut...], as: UTF8.self))
    }

    private static let referenceNameChars = ByteSet(ranges: [48...57, 97...122], extra: "._-/:")

    /// `@db.password@`, `%DB_PASSWORD%` (build-time and Windows substitutions) and `@secrets/db` (file
    /// references): a leading `@` or `%` followed by a name only; `@GXch9%W+…` is a random value.
    private static func isDelimitedReference(_ lower: [UInt8]) -> Bool {
        var body = lower.dropFirst()
        if body.last == lower.first { body = body.dropLast() }
        return !body.isEmpty && body.allSatisfy(referenceNameChars.contains)
    }

    private static let cryptSchemes = [
        "$2a$", "$2b$", "$2y$", "$1$", "$5$", "$6$", "$apr1$", "$argon2id$", "$argon2i$", "$y$",
    ]
    .map { Array($0.utf8) }
    private static let cryptChars = ByteSet(ranges: [48...57, 65...90, 97...122], extra: "./$=,+")

    /// A crypt(3)-style password hash (`$2y$10$…` bcrypt, `$6$…` SHA-512, `$apr1$`, `$argon2id$`): a value, not a
    /// `$VAR` reference (Argo CD's `admin.password`, htpasswd-like user lists).
    static func isCryptHash(_ lower: [UInt8]) -> Bool {
        guard lower.count >= 26, lower.first == 36, lower.allSatisfy(cryptChars.contains) else { return false }
        return cryptSchemes.contains { lower.starts(with: $0) } && lower.filter { $0 == 36 }.count >= 3
    }

    /// True when `value`, lower-cased, contains `word` (lower-case).
    static func lowercasedContains(_ value: [UInt8], _ word: [UInt8]) -> Bool {
        contains(value.map { lowerTable[Int($0)] }, word)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let f = needle.first else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == f {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    private static let defaultLengths = defaults.map(\.utf8.count).min()!...defaults.map(\.utf8.count).max()!

    static func isDefault<C: Collection>(_ value: C) -> Bool where C.Element == UInt8 {
        guard defaultLengths.contains(value.count) else { return false }
        return defaults.contains(String(decoding: value.map { lowerTable[Int($0)] }, as: UTF8.self))
    }

    /// Judges a value assigned to a key of class `keyClass`.
    static func judge<C: Collection>(_ value: C, keyClass: KeyClass) -> Verdict where C.Element == UInt8 {
        let bytes = Array(value)
        guard keyClass != .none else { return .notSecret }
        if bytes.isEmpty { return .placeholder }
        if bytes.count < (keyClass == .weak ? 20 : keyClass == .secret ? 8 : 4) { return .notSecret }
        // Prose after `Password:` in Japanese, Chinese or any script written with 3-byte UTF-8 characters, and
        // values running into full-width punctuation (`（`, `、`): documentation, not a credential.
        if bytes.contains(where: { $0 >= 0xE0 }) { return .notSecret }
        if isDefault(bytes) { return keyClass == .password ? .defaultCredential : .notSecret }
        if isPlaceholder(bytes) { return .placeholder }
        if isSealedCiphertext(bytes) { return .notSecret }
        if bytes.contains(where: { $0 == 32 || $0 == 9 || $0 == 10 || $0 < 32 }) { return .notSecret }
        if bytes.allSatisfy({ (48...57).contains($0) }) && bytes.count < 12 { return .notSecret }
        let entropy = Entropy.shannon(bytes)
        let classes = Entropy.classes(bytes)
        switch keyClass {
        case .password:
            if bytes.count < 6 { return .notSecret }
            if entropy < 2.2 { return .notSecret }
            let letters = bytes.allSatisfy { (65...90).contains($0) || (97...122).contains($0) }
            if letters && bytes.count <= 16 && bytes.filter({ (65...90).contains($0) }).count <= 1 { return .notSecret }
            if letters && looksLikeIdentifier(bytes) { return .notSecret }
            return .secret
        case .secret:
            if bytes.contains(where: {
                $0 == 40 || $0 == 41 || $0 == 91 || $0 == 93 || $0 == 123 || $0 == 125 || $0 == 44
            }) {
                return .notSecret
            }
            if bytes.count < 12 { return bytes.count >= 8 && classes >= 3 && entropy >= 2.8 ? .secret : .notSecret }
            if entropy < 3.0 { return .notSecret }
            if classes < 2 { return .notSecret }
            if looksLikeIdentifier(bytes) { return .notSecret }
            return .secret
        case .weak:
            if bytes.count < 20 || entropy < 3.5 || classes < 3 || looksLikeIdentifier(bytes) { return .notSecret }
            return .secret
        case .none:
            return .notSecret
        }
    }

    /// A SealedSecret `encryptedData` value (kubeseal's output is base64 starting with `Ag`, hundreds of bytes),
    /// also when a copy of the file is scanned as plain text (`pgadmin-cred.old`).
    static func isSealedCiphertext(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 256 && bytes[0] == 65 && bytes[1] == 103 && bytes.allSatisfy(ByteSet.base64.contains)
    }

    /// Judges a value stored under a password key of a Secret (or a secretGenerator literal): a Secret's data is
    /// secret by definition, so a word-like value (`CorrectHorseBatteryStaple`, `Ord3rs-Db-S3cr3t-Pw-2025`) counts
    /// when it is at least 8 bytes of two character classes (or 12 bytes), unless it is a placeholder or default.
    static func judgeStoredPassword(_ bytes: [UInt8]) -> Verdict {
        let verdict = judge(bytes, keyClass: .password)
        guard verdict == .notSecret, bytes.count >= 8, !isPlaceholder(bytes) else { return verdict }
        if bytes.contains(where: { $0 <= 32 || $0 == 127 || $0 >= 0xE0 }) { return .notSecret }
        if bytes.contains(64), bytes.contains(46), !bytes.contains(where: { (48...57).contains($0) }) {
            return .notSecret
        }
        return .secret
    }

    /// Dotted names, hyphenated words, paths, CamelCase type names and similar non-random strings: two or more
    /// segments, most of them words (`app-102-db`, `my.app.io`, `/run/secrets/db`, `oauth2.Credentials`), or one
    /// CamelCase run of long words (`ExclusiveStartKey`, `V1SecretVolumeSource`).
    static func looksLikeIdentifier(_ bytes: [UInt8]) -> Bool {
        var segments = 0, pure = 0
        var letters = 0, digits = 0, digitsAfterLetters = true, inSegment = false
        func close() {
            if inSegment {
                segments += 1
                if digits == 0 || letters == 0 || (digitsAfterLetters && digits <= 2) { pure += 1 }
            }
            letters = 0; digits = 0; digitsAfterLetters = true; inSegment = false
        }
        for b in bytes {
            if b == 46 || b == 45 || b == 95 || b == 47 || b == 58 {
                close()
            } else {
                inSegment = true
                if (48...57).contains(b) {
                    digits += 1
                } else {
                    if digits > 0 { digitsAfterLetters = false }
                    letters += 1
                }
            }
        }
        close()
        if segments >= 2 && pure * 10 >= segments * 7 { return true }
        let upper = bytes.filter { (65...90).contains($0) }.count
        if upper == 0 && segments >= 3 { return true }
        let core = bytes.drop { $0 == 95 }
        if core.count >= 8, upper >= 1, core.allSatisfy({ ByteSet.alnum.contains($0) }),
            core.filter({ (48...57).contains($0) }).count <= 1
        {
            let chars = Array(core)
            var words = 0, good = 0, acronyms = 0, i = 0
            let lead = chars.prefix { (97...122).contains($0) }
            if !lead.isEmpty, lead.count < 2 || !lead.contains(where: { "aeiouy".utf8.contains($0) }) { return false }
            while i < chars.count {
                if (65...90).contains(chars[i]) {
                    words += 1
                    var j = i + 1
                    while j < chars.count, (65...90).contains(chars[j]) { j += 1 }
                    let lowerStart = j
                    while j < chars.count, (97...122).contains(chars[j]) { j += 1 }
                    let run = chars[lowerStart..<j]
                    let wordLike = run.count >= 2 && run.contains { "aeiouy".utf8.contains($0) }
                    if lowerStart - i >= 3 { acronyms += 1 }
                    if wordLike || (j == chars.count && run.count >= 1 && run.count <= 2) { good += 1 }
                    i = j
                } else {
                    i += 1
                }
            }
            if words >= 1, acronyms <= 1, good * 4 >= words * 3, core.count >= words * 4 { return true }
        }
        return false
    }
}
