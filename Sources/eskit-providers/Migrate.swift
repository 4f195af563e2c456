import ArgumentParser
import EskitCommandLine
import EskitCore
import EskitManifests
import EskitMigrate
import EskitProviders
import EskitScanning
import EskitValidate
import Foundation

extension MigrationTargetOptions {
    func resolve() throws -> (inventory: Inventory, target: MigrationPlanner.Target, store: ResolvedStore) {
        let inventory = try InventoryLoader.load(try InventoryFiles.readInventory(file), file: file)
        guard let environment = inventory.environment(environment) else {
            throw EskitError(
                .usage,
                "--env `\(environment ?? "")`: the inventory has no such environment"
                    + Suggestion.hint(environment ?? "", inventory.environments.map(\.name)))
        }
        guard let storeName = environment.store?.value,
            let store = inventory.resolvedStore(storeName, environment: environment)
        else {
            throw EskitError(
                .input, "\(file): environment `\(environment.name)` has no store; set `store` on it to migrate into")
        }
        let target = MigrationPlanner.Target(
            storeName: store.name, storeKind: store.kind.rawValue, environment: environment.name,
            keyPrefix: Inventory.keyPrefix(of: store) ?? environment.keyPrefix)
        return (inventory, target, store)
    }
}

extension MigratePlan where Backend == Direct {
    func execute() async throws {
        let (_, resolved, _) = try target.resolve()
        let files = try MigrationFiles.collect(
            paths.isEmpty ? ["."] : paths, skipping: [target.file, output].compactMap { $0 })
        let (scanner, ignore) = try ScanPipeline.scanner(for: paths.first ?? ".")
        let plan = try MigrationPlanner.plan(files, target: resolved, scanner: scanner, ignore: ignore)
        let text = plan.yaml()
        if let output {
            do { try AtomicFile.write(Array(text.utf8), to: output) } catch { throw EskitError(.io, "\(error)") }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if format == .json {
            FileHandle.standardOutput.write(Data(plan.summaryJSON(planFile: output).utf8))
            if plan.items.contains(where: { $0.action == .manual }) { throw ExitCode(1) }
            return
        }
        let counts = Dictionary(grouping: plan.items, by: \.action).mapValues(\.count)
        var parts = [
            "\(counts[.externalSecret] ?? 0) Secret(s) to ExternalSecrets",
            "\(counts[.envSecretKeyRef] ?? 0) workload(s) with env literals",
        ]
        let more: [(MigrationPlan.Action, String)] = [
            (.kustomizeGenerator, "secretGenerator(s)"), (.harborValues, "Harbor values file(s)"),
            (.arcGitHubConfig, "ARC scale set(s)"), (.configMapEnvSecret, "configMapGenerator(s)"),
            (.kubectlSecret, "kubectl create secret command(s)"),
        ]
        for (action, label) in more { if let n = counts[action] { parts.append("\(n) \(label)") } }
        printError(
            "plan: " + parts.joined(separator: ", ") + ", \(counts[.manual] ?? 0) manual item(s); "
                + "\(plan.pushedKeys.count) remote key(s) in store `\(plan.store.name)`"
                + (output.map { "; plan: \($0)" } ?? ""))
        if counts[.manual] != nil { throw ExitCode(1) }
    }
}

extension MigrateApply where Backend == Direct {
    func execute() async throws {
        let plan: MigrationPlan
        do { plan = try MigrationPlan.read(try FileReader.input(planFile, what: "the plan"), file: planFile) } catch {
            throw error
        }
        let planned = plan.items.filter { $0.action != .manual }
        // The files items rewrite, and the files their values are read from (a secretGenerator's env files).
        let paths = Array(
            Set(planned.map(\.file) + planned.flatMap { $0.values.compactMap(\.file) + $0.consumers })
        ).sorted()
        var files: [MigrationFile] = []
        // The kustomizations beside planned files: new ExternalSecret files join their `resources`.
        let folders = Set(paths.map { $0.contains("/") ? String($0[..<$0.lastIndex(of: "/")!]) + "/" : "" })
        let besides = folders.flatMap { [$0 + "kustomization.yaml", $0 + "kustomization.yml"] }
        for path in Array(Set(paths + besides)).sorted() where FileManager.default.fileExists(atPath: path) {
            files.append(MigrationFile(path: path, bytes: try FileReader.input(path, what: "a planned file")))
        }
        var merge: InventoryMerge?
        var environments: [String] = []
        if !inPlace {
            let bytes = try InventoryFiles.readInventory(target.file)
            environments = try InventoryLoader.load(bytes, file: target.file).environments.map(\.name)
            merge = InventoryMerge(path: target.file, bytes: bytes, environments: environments)
        }
        let prepared = try MigrationApplier.prepare(plan, files: files, inventory: merge)
        // Inventory merge: the new inventory must load and generate before anything is pushed or written.
        var generated: (result: GenerationResult, root: String)?
        if let merge, let bytes = prepared.files.first(where: { $0.path == merge.path })?.bytes {
            let inventory: Inventory
            do { inventory = try InventoryLoader.load(bytes, file: merge.path) } catch {
                throw EskitError(
                    .input, "the inventory with the new entries does not load; nothing was written",
                    cause: "\(error)")
            }
            let result = try ManifestGenerator.generate(
                inventory, only: [], inventoryName: (merge.path as NSString).lastPathComponent)
            generated = (result, (merge.path as NSString).deletingLastPathComponent)
        }
        if push, !prepared.remoteKeys.isEmpty {
            let (_, resolved, store) = try target.resolve()
            guard resolved.storeName == plan.store.name else {
                throw EskitError(
                    .usage,
                    "the plan pushes to store `\(plan.store.name)` but environment `\(resolved.environment)` uses "
                        + "`\(resolved.storeName)`; pass --env \(plan.environment)")
            }
            let binding = StoreBinding(
                name: store.name, kind: store.kind.rawValue, family: store.providerName,
                block: store.node["provider"]?[store.providerName] ?? .mapping([]))
            guard let factory = ProviderClients.factory(for: store.providerName) else {
                throw EskitError(.input, "eskit has no client for provider `\(store.providerName)`")
            }
            let source = CredentialSource(
                perStore: try credentials.map { path throws(EskitError) in try CredentialSource.loadFile(path) } ?? [:],
                serviceAccountTokenFile: saToken)
            let provider: any SecretProvider
            do { provider = try factory.make(binding, credentials: source, options: TransportOptions()) } catch {
                throw EskitError(.provider, "store `\(store.name)`: \(error)")
            }
            let results = try await MigrationApplier.push(prepared, to: provider, overwrite: overwrite)
            for (key, result) in results { printError("pushed \(key): \(result)") }
        } else if !prepared.remoteKeys.isEmpty {
            printError(
                "not pushed (no --push): the new ExternalSecrets read \(prepared.remoteKeys.count) remote key(s) that "
                    + "must hold the values before they sync")
        }
        let read = Set(files.map(\.path) + [merge?.path].compactMap { $0 })
        for (path, _) in prepared.files where !read.contains(path) && FileManager.default.fileExists(atPath: path) {
            throw EskitError(.input, "\(path) exists already; rename `externalSecret` in the plan")
        }
        let folder = try generated.map { generated throws(EskitError) in
            try InventoryFiles.lock(generated.root, quiet: false)
        }
        defer { folder?.unlock() }
        // Each file atomically (temporary file, rename), the file system synced once after all of them.
        defer { sync() }
        let removed = Set(prepared.removed)
        for (path, bytes) in prepared.files where !removed.contains(path) {
            do { try AtomicFile.write(bytes, to: path, sync: false) } catch { throw EskitError(.io, "\(error)") }
            printError(
                path == merge?.path
                    ? "added \(prepared.inventoryEntries.count) secret(s) to \(path)" : "rewrote \(path)")
        }
        for path in prepared.removed {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw EskitError(.io, "\(path): cannot remove", cause: String(cString: strerror(errno)))
            }
            printError("removed \(path) (what it held is now written by an ExternalSecret)")
        }
        if let generated {
            let sync: OutputSync
            do {
                sync = try OutputSync.compare(generated.result, root: generated.root)
                try sync.apply()
            } catch {
                throw EskitError(.io, "\(error)", hint: "run `eskit generate -f \(target.file)` again")
            }
            printError("generate: \(sync.summary)")
        }
        for item in prepared.manual {
            printError("manual: \(item.file):\(item.line): \(item.kind): \(item.note ?? "move it by hand")")
        }
        printError(
            "apply: \(prepared.applied.count) item(s) applied, \(prepared.alreadyApplied.count) already applied, "
                + "\(prepared.manual.count) manual")
        if !prepared.manual.isEmpty { throw ExitCode(1) }
    }
}

/// The text files `migrate plan` reads: every regular file under the paths, hidden folders (`.git`) skipped,
/// binary and large files left out.
enum MigrationFiles {
    static func collect(_ paths: [String], skipping: [String]) throws -> [MigrationFile] {
        var out: [MigrationFile] = []
        let skip = Set(skipping.map { ($0 as NSString).standardizingPath })
        func add(_ path: String) throws {
            let clean = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
            if skip.contains((clean as NSString).standardizingPath) { return }
            guard case .bytes(let bytes) = try FileReader.read(clean, limit: 1 << 20), !FileReader.looksBinary(bytes)
            else { return }
            out.append(MigrationFile(path: clean, bytes: bytes))
        }
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EskitError(.io, "\(path): no such file or folder")
            }
            guard isFolder.boolValue else {
                try add(path)
                continue
            }
            var stack = [path]
            while let dir = stack.popLast() {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                for name in names.sorted() where !name.hasPrefix(".") || name == ".env" || name.hasPrefix(".env.") {
                    let full = dir == "." ? name : dir + "/" + name
                    var sub: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: full, isDirectory: &sub) else { continue }
                    if sub.boolValue {
                        if name != "node_modules" { stack.append(full) }
                    } else {
                        try add(full)
                    }
                }
            }
        }
        return out.sorted { $0.path < $1.path }
    }
}

extension MigrateHistory where Backend == Direct {
    /// `environment/store: key` of every reference whose provider value has a hash in `hashes`, by hash; the
    /// stores that could not be read, with the reason.
    func inUse(_ hashes: Set<String>) async throws -> (leaked: [String: [String]], unchecked: [String]) {
        let inventory = try InventoryLoader.load(try InventoryFiles.readInventory(file), file: file)
        let references = try InventoryReferences.collect(inventory, only: environments)
        let source = CredentialSource(
            perStore: try credentials.map { path throws(EskitError) in try CredentialSource.loadFile(path) } ?? [:],
            serviceAccountTokenFile: saToken)
        let maker = Validator.factories(credentials: source, options: TransportOptions())
        let report = await Validator(makeClient: maker, leakedHashes: hashes).run(references)
        var leaked: [String: Set<String>] = [:]
        var unchecked: Set<String> = []
        for result in report.results {
            let place = "\(result.reference.environment ?? "-")/\(result.reference.store.name)"
            if result.verdict == .leaked, let hash = result.leakedHash {
                leaked[hash, default: []].insert("\(place): \(result.reference.target)")
            } else if result.verdict.exitStatus == 2 {
                unchecked.insert("\(place) (\(result.verdict.rawValue))")
            }
        }
        return (leaked.mapValues { $0.sorted() }, unchecked.sorted())
    }

    func execute() async throws {
        let history = try ScanPipeline.run(
            ScanRequest(
                source: .history(path: path, selection: .all), configFile: nil, ignoreFile: nil, baseline: nil,
                baselineOut: nil, workers: ProcessInfo.processInfo.activeProcessorCount, progress: nil))
        let work = try ScanPipeline.run(
            ScanRequest(
                source: .workTree(path: path, untracked: false), configFile: nil, ignoreFile: nil, baseline: nil,
                baselineOut: nil, workers: ProcessInfo.processInfo.activeProcessorCount, progress: nil))
        var plan = HistoryPlan(findings: history.findings, workTreeHashes: Set(work.findings.map(\.secret.sha256)))
        var unchecked: [String] = []
        if validate, !plan.entries.isEmpty {
            let (leaked, failed) = try await inUse(plan.hashes)
            unchecked = failed
            // A store that could not be read leaves the question open: no entry is marked "no".
            if unchecked.isEmpty { plan.markInUse(leaked) }
            for place in unchecked {
                printError(
                    "could not read \(place): values there are not checked; give its read credentials as for `eskit "
                        + "validate` (environment, --credentials, --sa-token) or leave it out with --env")
            }
        }
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        let replace =
            replaceFile
            ?? (URL(fileURLWithPath: root).deletingLastPathComponent().path + "/"
                + URL(fileURLWithPath: root).lastPathComponent + "-eskit-replace.txt")
        let replacePath = URL(fileURLWithPath: replace).standardizedFileURL.path
        if replacePath.hasPrefix(root + "/") {
            throw EskitError(
                .usage, "--replace-file \(replace) is inside the repository; it holds the values: put it outside")
        }
        do {
            try AtomicFile.write(
                Array(plan.checklist(repository: URL(fileURLWithPath: root).lastPathComponent).utf8),
                to: output + "/rotation.md", createFolders: true)
            try AtomicFile.write(Array(plan.purgeSteps(replaceFile: replacePath).utf8), to: output + "/purge.md")
            if !plan.entries.isEmpty {
                try AtomicFile.write(Array(plan.replaceText().utf8), to: replacePath, mode: 0o600)
            }
        } catch {
            throw EskitError(.io, "\(error)")
        }
        printError(
            "history: \(plan.entries.count) distinct value(s) once committed, "
                + "\(plan.entries.filter(\.inWorkTree).count) still in the work tree; wrote \(output)/rotation.md and "
                + "\(output)/purge.md"
                + (plan.entries.isEmpty
                    ? "" : "; the replace file \(replacePath) (0600) HOLDS THE VALUES: delete it after the purge"))
        if validate, unchecked.isEmpty, !plan.entries.isEmpty {
            let inUse = plan.entries.filter { !($0.inUse ?? []).isEmpty }.count
            printError(
                "history: \(inUse) of \(plan.entries.count) value(s) still in use at a provider: rotate them first")
        }
        if !unchecked.isEmpty { throw ExitCode(2) }
        if !plan.entries.isEmpty { throw ExitCode(1) }
    }
}
