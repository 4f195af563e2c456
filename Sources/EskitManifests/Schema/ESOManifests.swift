public import EskitCore
public import EskitESO
public import EskitYAML

/// Reads ESO manifests the way a cluster would accept them: each ESO document is first checked against ESO's
/// CRDs (the built-in copy, or a catalog given), then read into the typed model with the marks of its fields.
/// What the CRD schemas reject (unknown fields with "did you mean", wrong types, enums, patterns, CEL rules,
/// versions no longer served) comes back as `.invalid` with `file:line:col`.
public enum ESOManifests {
    public static func read(
        _ bytes: [UInt8], file: String,
        catalog: CRDCatalog = .builtIn
    ) throws(YAMLError) -> [ReadResult] {
        try YAML.parse(bytes, file: file).compactMap { document -> ReadResult? in
            guard let root = document.root else { return nil }
            guard case .eso = ESOReader.read(root, file: file) else {
                // Not ESO, or structurally broken: the CRD check says more when it is ESO.
                if let api = root["apiVersion"]?.scalarValue, api.hasPrefix(ESO.group + "/") {
                    let problems = catalog.validate(document, file: file)
                    if !problems.isEmpty { return .invalid(problems.sorted()) }
                }
                return ESOReader.read(root, file: file)
            }
            let problems = catalog.validate(document, file: file)
            if !problems.isEmpty { return .invalid(problems.sorted()) }
            return ESOReader.read(root, file: file)
        }
    }
}
