import EskitCore
import EskitESO
import EskitManifests
import EskitYAML

/// Fields ESO's CRDs mark `Deprecated:` in their descriptions (ClusterExternalSecret `namespaceSelector` and
/// `namespaces`, `data[].sourceRef.generatorRef`, a provider's `accessToken`...): read from the CRDs in use, so
/// new deprecations are found without a code change.
enum DeprecationChecks {
    static func run(_ c: inout LintContext) {
        for doc in c.documents where doc.eso != nil {
            let version = String(
                ESOReader.kinds.contains(doc.kind) && doc.kind.hasSuffix("PushSecret") ? "v1alpha1" : "v1")
            guard let schema = c.catalog.schema(group: ESO.group, kind: doc.kind, version: version) else { continue }
            walk(doc.root, schema, path: "", doc: doc, into: &c)
        }
    }

    static func walk(_ node: YAMLNode, _ schema: Schema, path: String, doc: LintDocument, into c: inout LintContext) {
        switch node.kind {
        case .mapping(let pairs):
            for pair in pairs {
                guard let key = pair.key.scalarValue, let child = schema.propertyIndex[key] else { continue }
                let here = path.isEmpty ? key : path + "." + key
                if let note = deprecation(child.description) {
                    c.report(
                        LintProblem(
                            LintRules.esoDeprecatedField, at: doc.location(pair.key),
                            "\(doc.display): `\(here)` is deprecated: \(note)"))
                }
                walk(pair.value, child, path: here, doc: doc, into: &c)
            }
        case .sequence(let items):
            guard let itemSchema = schema.items else { return }
            for (i, item) in items.enumerated() { walk(item, itemSchema, path: "\(path)[\(i)]", doc: doc, into: &c) }
        case .scalar:
            break
        }
    }

    /// The sentence after `Deprecated:` in a description, or nil.
    static func deprecation(_ description: String?) -> String? {
        guard let description, let r = description.range(of: "Deprecated:") else { return nil }
        let rest = description[r.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        let sentence = rest.split(separator: "\n").first.map(String.init) ?? rest
        return sentence.isEmpty ? "see the ESO docs" : sentence
    }
}
