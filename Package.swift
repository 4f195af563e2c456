// swift-tools-version:6.0
// Swift 6 language mode (complete strict concurrency) is the default for tools version 6.0.
import PackageDescription

let package = Package(
    name: "eskit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "eskit", targets: ["eskit"]),
        .executable(name: "eskit-providers", targets: ["eskit-providers"]),
        .library(name: "EskitCore", targets: ["EskitCore"]),
        .library(name: "EskitYAML", targets: ["EskitYAML"]),
        .library(name: "EskitGit", targets: ["EskitGit"]),
        .library(name: "EskitESO", targets: ["EskitESO"]),
        .library(name: "EskitManifests", targets: ["EskitManifests"]),
        .library(name: "EskitScan", targets: ["EskitScan"]),
        .library(name: "EskitReport", targets: ["EskitReport"]),
        .library(name: "EskitScanning", targets: ["EskitScanning"]),
        .library(name: "EskitProviders", targets: ["EskitProviders"]),
        .library(name: "EskitValidate", targets: ["EskitValidate"]),
        .library(name: "EskitLint", targets: ["EskitLint"]),
        .library(name: "EskitMigrate", targets: ["EskitMigrate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Provider clients only (see docs/architecture.md, "Dependencies"): HTTP/1.1 + TLS with a custom CA
        // (NIO + BoringSSL, linked statically) and RSA / EC signing for service-account JWT grants.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Tests only: the in-test Azure / GCP / Pulumi HTTP(S) servers (already resolved through async-http-client).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.36.0"),
    ],
    targets: [
        // System libraries (Debian: libyaml-dev, libgit2-dev, zlib1g-dev, pkg-config). No C type crosses a module edge.
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CGit2",
            path: "Sources/CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),

        // Pure values and protocols (Foundation only).
        .target(name: "EskitCore"),
        // libyaml adapter: node tree with exact marks, errors with snippets, deterministic emitter, surgical edits.
        .target(name: "EskitYAML", dependencies: ["EskitCore", "CYAML"]),
        // libgit2 adapter: repository, history walks, distinct blobs, staged view.
        .target(name: "EskitGit", dependencies: ["EskitCore", "CGit2", "CZlib"]),
        // The typed External Secrets model (external-secrets.io/v1 + v1alpha1 push): read with marks, one emitter.
        .target(name: "EskitESO", dependencies: ["EskitCore", "EskitYAML"]),
        // Inventory model and loader, manifest generator, semantic checks, CRD schema validator.
        .target(name: "EskitManifests", dependencies: ["EskitCore", "EskitYAML", "EskitESO"]),
        // Detectors, Kubernetes-aware extraction, scanner engine, suppression. Never links libgit2.
        .target(name: "EskitScan", dependencies: ["EskitCore", "EskitYAML"]),
        // Scan orchestration: work tree, staged, stdin, history, range; configuration, ignore file, baseline.
        .target(name: "EskitScanning", dependencies: ["EskitCore", "EskitGit", "EskitScan", "EskitReport"]),
        // Reporters over findings: text, JSON, SARIF 2.1.0, JUnit.
        .target(name: "EskitReport", dependencies: ["EskitCore"]),
        // Secret provider clients (vault / OpenBao, aws, azurekv, gcpsm, pulumi, file), one HTTP transport.
        .target(
            name: "EskitProviders",
            dependencies: [
                "EskitCore", "EskitYAML", "EskitESO",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),

        // Offline checks of ESO manifests, RBAC and the workloads that read their Secrets (`eskit lint`).
        .target(
            name: "EskitLint", dependencies: ["EskitCore", "EskitYAML", "EskitESO", "EskitManifests", "EskitScan"]),
        // `eskit migrate`: plaintext Secrets and env literals to ExternalSecrets, values pushed through EskitProviders.
        .target(
            name: "EskitMigrate",
            dependencies: ["EskitCore", "EskitYAML", "EskitESO", "EskitManifests", "EskitScan", "EskitProviders"]),
        // `eskit validate`: references collected from an inventory or manifests, checked through EskitProviders.
        .target(name: "EskitValidate",
                dependencies: ["EskitCore", "EskitYAML", "EskitESO", "EskitManifests", "EskitProviders"]),

        // What both executables share: how a command line runs and fails, inventory / output helpers, and the
        // arguments of the provider commands (declared once, parsed by `eskit`, run by `eskit-providers`).
        .target(
            name: "EskitCommandLine",
            dependencies: [
                "EskitCore", "EskitManifests", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The CLI hooks and CI scans run: never links EskitProviders (no network client in this binary).
        .executableTarget(
            name: "eskit",
            dependencies: [
                "EskitCore", "EskitYAML", "EskitGit", "EskitScan", "EskitScanning", "EskitReport", "EskitManifests",
                "EskitLint", "EskitCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `eskit validate` / `eskit migrate` run here: the provider clients (NIO, BoringSSL, async-http-client).
        .executableTarget(
            name: "eskit-providers",
            dependencies: [
                "EskitCore", "EskitManifests", "EskitScanning", "EskitProviders", "EskitValidate", "EskitMigrate",
                "EskitCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measurement entry points for bench/ scripts.
        .executableTarget(name: "eskit-bench", dependencies: ["EskitCore", "EskitYAML", "EskitGit", "EskitScan"]),

        .target(name: "TestSupport", dependencies: ["EskitCore"], path: "Tests/TestSupport"),
        .testTarget(name: "EskitCoreTests", dependencies: ["EskitCore", "TestSupport"]),
        .testTarget(name: "EskitYAMLTests", dependencies: ["EskitYAML", "TestSupport"]),
        .testTarget(name: "EskitGitTests", dependencies: ["EskitGit", "TestSupport"]),
        .testTarget(name: "EskitESOTests", dependencies: ["EskitESO", "EskitYAML", "EskitCore", "TestSupport"]),
        .testTarget(name: "EskitManifestsTests", dependencies: ["EskitManifests", "EskitESO", "EskitYAML", "TestSupport"]),
        .testTarget(name: "EskitScanTests", dependencies: ["EskitScan", "EskitYAML", "EskitReport", "TestSupport"]),
        .testTarget(name: "EskitScanningTests", dependencies: ["EskitScanning", "EskitCore", "TestSupport"]),
        .testTarget(name: "EskitReportTests", dependencies: ["EskitReport", "TestSupport"]),
        .testTarget(
            name: "EskitProvidersTests",
            dependencies: [
                "EskitProviders", "EskitCore", "EskitYAML", "TestSupport",
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .testTarget(name: "EskitLintTests", dependencies: ["EskitLint", "EskitCore", "TestSupport"]),
        .testTarget(
            name: "EskitMigrateTests",
            dependencies: [
                "EskitMigrate", "EskitProviders", "EskitLint", "EskitScan", "EskitYAML", "EskitCore", "TestSupport",
            ]),
        .testTarget(name: "EskitValidateTests",
                    dependencies: ["EskitValidate", "EskitProviders", "EskitManifests", "EskitCore", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "EskitCore", "EskitYAML", "EskitScan"]),
    ]
)
