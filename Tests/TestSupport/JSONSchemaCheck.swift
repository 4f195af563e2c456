import Foundation

/// Validates JSON documents against a JSON Schema with a real validator: Python's `jsonschema` (PyPI, installed by
/// `make test-deps`), run as a subprocess. Tests skip only when there is no python3; a python3 without the package
/// is a failure that says what to install.
public enum JSONSchemaCheck {
    /// python3 on PATH, or nil.
    public static let python: String? = OptionalTools.executable("python3")

    /// The validator's problems with `document` (one line each: the JSON path, then the message); empty when valid.
    /// Throws when the validator cannot run (no `jsonschema` package, a schema that is not one).
    public static func problems(document: String, schema: URL) throws -> [String] {
        guard let python else { throw Failure("python3 is not on PATH") }
        let folder = try Fixtures.temporaryFolder("eskit-jsonschema")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("document.json")
        try document.write(to: file, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                sys.exit("the python package jsonschema is missing: pip install jsonschema (make test-deps)")
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            document = json.load(open(sys.argv[2], encoding="utf-8"))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
                print("/" + "/".join(str(p) for p in error.absolute_path) + ": " + error.message)
            """
        let result = try run(python, ["-c", script, schema.path, file.path])
        guard result.status == 0 else { throw Failure("jsonschema did not run: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
