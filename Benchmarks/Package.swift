// swift-tools-version:6.1
// Benchmarks of renkei, kept in their own package so the main build stays lean.
// Run from this directory: swift package benchmark (see docs/PERFORMANCE.md); the gRPC chain
// is an executable: swift run -c release grpc-chain --concurrency 256.
import PackageDescription

let package = Package(
    name: "renkei-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "renkei", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
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
        .executableTarget(
            name: "LinkageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "RenkeiConfig", package: "renkei"),
                .product(name: "RenkeiCore", package: "renkei"),
                .product(name: "RenkeiNodes", package: "renkei"),
                .product(name: "RenkeiWire", package: "renkei"),
            ],
            path: "Benchmarks/LinkageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "grpc-chain",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "RenkeiLoad", package: "renkei"),
                .product(name: "RenkeiPKI", package: "renkei"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "Benchmarks/GRPCChain"
        ),
    ]
)
