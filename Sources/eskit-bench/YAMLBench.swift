import EskitYAML

#if canImport(Glibc)
import Glibc
#endif

/// `eskit-bench yaml-parse [--stream] FILE...`: parses every document of each file into node trees and prints
/// total bytes, documents, nodes, seconds and MB/s (parse time only; reading the files is not counted).
/// `--stream` hands documents over one at a time instead of keeping the whole stream's trees alive.
func benchYAMLParse(_ arguments: [String]) -> Int32 {
    var stream = false
    var files: [String] = []
    for argument in arguments {
        if argument == "--stream" { stream = true } else { files.append(argument) }
    }
    guard !files.isEmpty else {
        print("usage: eskit-bench yaml-parse [--stream] FILE...")
        return 2
    }
    var bytes = 0, documents = 0, nodes = 0
    var seconds = 0.0
    for path in files {
        guard let data = readFileBytes(path) else {
            print("yaml-parse: cannot read \(path)")
            return 2
        }
        bytes += data.count
        let start = monotonicSeconds()
        do {
            if stream {
                try YAML.forEachDocument(in: data, file: path) { document in
                    documents += 1
                    if let root = document.root { nodes += countNodes(root) }
                }
            } else {
                let parsed = try YAML.parse(data, file: path)
                documents += parsed.count
                for document in parsed { if let root = document.root { nodes += countNodes(root) } }
            }
        } catch {
            print(error.description)
            return 1
        }
        seconds += monotonicSeconds() - start
    }
    let megabytes = Double(bytes) / 1_000_000
    print("bytes \(bytes)")
    print("documents \(documents)")
    print("nodes \(nodes)")
    print("seconds \(formatMilli(seconds))")
    print("MB/s \(formatMilli(seconds > 0 ? megabytes / seconds : 0))")
    return 0
}

private func countNodes(_ node: YAMLNode) -> Int {
    switch node.kind {
    case .scalar: return 1
    case .sequence(let items): return items.reduce(1) { $0 + countNodes($1) }
    case .mapping(let pairs): return pairs.reduce(1) { $0 + countNodes($1.key) + countNodes($1.value) }
    }
}
