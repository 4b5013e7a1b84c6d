// swift-tools-version:6.1
// Benchmarks of renkei, kept in their own package so the main build stays lean.
// Run from this directory: swift package benchmark (see docs/PERFORMANCE.md).
import PackageDescription

let package = Package(
    name: "renkei-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "renkei", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RenkeiCore", package: "renkei"),
                .product(name: "RenkeiStore", package: "renkei"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
