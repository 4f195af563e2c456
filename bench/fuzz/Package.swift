// swift-tools-version:6.0
// libFuzzer targets for eskit (see bench/fuzz.sh and docs/reliability.md, "Fuzzing"). A package of its own, so the
// main build never sees the sanitizer flags; it depends on the main package by path.
import PackageDescription

let package = Package(
    name: "eskit-fuzz",
    dependencies: [.package(name: "eskit", path: "../..")],
    targets: [
        // libFuzzer's driver, called from each target's `@main` (see FuzzDriver.swift).
        .target(name: "FuzzDriver"),
        // YAML parse, node tree, emitter round trip.
        .executableTarget(
            name: "FuzzYAML",
            dependencies: [
                "FuzzDriver", .product(name: "EskitYAML", package: "eskit"),
                .product(name: "EskitCore", package: "eskit"),
            ]
        ),
        // Inventory loader (eskit.yaml from bytes).
        .executableTarget(
            name: "FuzzInventory",
            dependencies: [
                "FuzzDriver", .product(name: "EskitManifests", package: "eskit"),
                .product(name: "EskitCore", package: "eskit"),
            ]),
        // The scanner over a file's bytes, under a YAML path (Kubernetes-aware extraction) and a plain one.
        .executableTarget(
            name: "FuzzScan",
            dependencies: [
                "FuzzDriver", .product(name: "EskitScan", package: "eskit"),
                .product(name: "EskitCore", package: "eskit"),
            ]
        ),
        // The pack / index / delta reader (EskitGit/Pack) on arbitrary .idx + .pack bytes.
        .executableTarget(
            name: "FuzzPack", dependencies: ["FuzzDriver", .product(name: "EskitGit", package: "eskit")]),
    ]
)
