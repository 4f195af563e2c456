import EskitManifests
import EskitYAML

enum YAMLNodeBuilder {
    static let sample: YAMLNode = .mapping([
        ("plain", ManifestEmitter.string("value")),
        ("number-text", ManifestEmitter.string("8200")),
        ("bool-text", ManifestEmitter.string("true")),
        ("yaml11-bool", ManifestEmitter.string("yes")),
        ("colon", ManifestEmitter.string("a: b")),
        ("hash", ManifestEmitter.string("x #y")),
        ("leading-dash", ManifestEmitter.string("- x")),
        ("dash-word", ManifestEmitter.string("-x")),
        ("empty", ManifestEmitter.string("")),
        ("multi", ManifestEmitter.string("a\nb")),
        ("list", .sequence([ManifestEmitter.string("a"), .mapping([("k", .scalar("v")), ("k2", .scalar("v2"))])])),
        ("empty-map", .mapping([])),
    ])
}
