import EskitCore
import EskitManifests
import FuzzDriver

/// libFuzzer target: `InventoryLoader.load` on arbitrary bytes (YAML syntax, schema, references), then, for an
/// inventory that loads, each environment's plan and the semantic checks `generate` runs on it. Either an inventory
/// or diagnostics; every diagnostic names the file and a position inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInventory(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let inventory: Inventory
    do {
        inventory = try InventoryLoader.load(bytes, file: "eskit.yaml")
    } catch {
        precondition(!error.diagnostics.isEmpty, "an error without a diagnostic")
        for diagnostic in error.diagnostics { check(diagnostic, size: bytes.count) }
        return 0
    }
    for environment in inventory.environments {
        let (plan, diagnostics) = inventory.plan(environment)
        for diagnostic in diagnostics + SemanticChecks.check(plan, file: "eskit.yaml") {
            check(diagnostic, size: bytes.count)
        }
    }
    return 0
}

private func check(_ diagnostic: Diagnostic, size: Int) {
    precondition(diagnostic.location.file == "eskit.yaml", "diagnostic names another file")
    precondition(diagnostic.location.position.offset <= size, "diagnostic past the input")
    _ = diagnostic.description
}

/// Runs libFuzzer over `fuzzInventory` (see `FuzzDriver`).
@main enum Main {
    static func main() { FuzzDriver.run(fuzzInventory) }
}
