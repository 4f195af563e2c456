public import EskitCore
import EskitYAML

/// The `secretHash` of every finding in an `eskit scan --format json` report (`--against-history`).
public enum HistoryHashes {
    /// Reads the report; errors name the file and position, never a value.
    public static func load(_ path: String) throws(EskitError) -> Set<String> {
        let bytes = try FileReader.input(path, what: "the scan report", limit: 512 << 20)
        let documents: [YAMLDocument]
        do { documents = try YAML.parse(bytes, file: path) } catch {
            throw EskitError(
                .input,
                "\(path):\(error.position.line):\(error.position.column): not a JSON report "
                    + "(write one with `eskit scan --history --format json --output \(path)`)")
        }
        guard let root = documents.first?.root, root["tool"]?.scalarValue == "eskit",
            let findings = root["findings"]?.items
        else {
            throw EskitError(
                .input, "\(path): not an eskit scan JSON report (no `tool: eskit` and `findings`)",
                hint: "write one with `eskit scan --history --format json --output \(path)`")
        }
        var hashes = Set<String>()
        for finding in findings {
            guard let hash = finding["secretHash"]?.scalarValue, hash.count == 64,
                hash.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
            else {
                throw EskitError(
                    .input,
                    "\(path):\(finding.start.line):\(finding.start.column): a finding "
                        + "without a 64-digit hex `secretHash`")
            }
            hashes.insert(hash)
        }
        return hashes
    }
}
