import EskitYAML

/// `eskit-bench yaml-parse FILE...` (owned by the YAML layer; replace this body).
func benchYAMLParse(_ arguments: [String]) -> Int32 {
    print("yaml-parse: not implemented yet")
    return 2
}
