// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "renkei",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "renkei", targets: ["renkei"]),
        // Libraries for the benchmarks package (Benchmarks/Package.swift) and for embedding.
        .library(name: "RenkeiCore", targets: ["RenkeiCore"]),
        .library(name: "RenkeiConfig", targets: ["RenkeiConfig"]),
        .library(name: "RenkeiPKI", targets: ["RenkeiPKI"]),
        .library(name: "RenkeiWire", targets: ["RenkeiWire"]),
        .library(name: "RenkeiStore", targets: ["RenkeiStore"]),
        .library(name: "RenkeiTimeStamp", targets: ["RenkeiTimeStamp"]),
        .library(name: "RenkeiNodes", targets: ["RenkeiNodes"]),
        .library(name: "RenkeiEdge", targets: ["RenkeiEdge"]),
        .library(name: "RenkeiLoad", targets: ["RenkeiLoad"]),
        .library(name: "RenkeiConsole", targets: ["RenkeiConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "RenkeiCore", swiftSettings: strict),
        .target(
            name: "RenkeiConfig",
            dependencies: ["RenkeiCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "RenkeiPKI",
            dependencies: [
                "RenkeiCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // RFC 3161 time-stamps on the system OpenSSL's libcrypto (libssl-dev): no Swift package has them.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .target(name: "RenkeiTimeStamp", dependencies: ["RenkeiCore", "COpenSSL"], swiftSettings: strict),
        .target(
            name: "RenkeiWire",
            dependencies: [
                "RenkeiCore", "RenkeiPKI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Proto/renkei.proto"],
            swiftSettings: strict
        ),
        .target(
            name: "RenkeiStore",
            dependencies: [
                "RenkeiCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RenkeiNodes",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiWire", "RenkeiStore", "RenkeiTimeStamp",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RenkeiEdge",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiStore", "RenkeiNodes",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict
        ),
        .target(
            name: "RenkeiLoad",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiStore", "RenkeiNodes", "RenkeiEdge",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The training console: a Japanese web console for staff and trainers, on the same engine.
        .target(
            name: "RenkeiConsole",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiNodes", "RenkeiEdge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "renkei",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiStore", "RenkeiNodes", "RenkeiEdge", "RenkeiLoad", "RenkeiTimeStamp",
                "RenkeiConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["BuildCommitPlugin"]
        ),
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),
        // The parsers strangers reach, as fuzz targets: `scripts/fuzz.sh TARGET SECONDS` builds
        // renkei-fuzz with libFuzzer; built plainly it replays files, and the tests replay the corpora.
        .target(
            name: "RenkeiFuzzTargets",
            dependencies: ["RenkeiCore", "RenkeiConfig", "RenkeiWire", "RenkeiEdge", "RenkeiLoad", "RenkeiTimeStamp", "RenkeiConsole"],
            swiftSettings: strict
        ),
        .executableTarget(name: "renkei-fuzz", dependencies: ["RenkeiFuzzTargets"], swiftSettings: strict),
        // libxml2's XML Schema validator, for the tests of docs/xsd (pkg-config libxml-2.0).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .target(
            name: "RenkeiTestSupport",
            dependencies: [
                "RenkeiCore", "RenkeiConfig", "RenkeiPKI", "RenkeiWire", "RenkeiStore", "RenkeiNodes", "RenkeiEdge",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/RenkeiTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "RenkeiCoreTests", dependencies: ["RenkeiCore", "RenkeiConfig", "RenkeiTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RenkeiPKITests", dependencies: ["RenkeiPKI", "RenkeiWire", "RenkeiTimeStamp", "RenkeiTestSupport"], swiftSettings: strict),
        .testTarget(name: "RenkeiWireTests", dependencies: ["RenkeiWire", "RenkeiPKI", "RenkeiTestSupport"], swiftSettings: strict),
        .testTarget(name: "RenkeiStoreTests", dependencies: ["RenkeiStore", "RenkeiTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RenkeiCLITests",
            dependencies: ["renkei", "RenkeiConfig", "RenkeiPKI", "RenkeiStore", "RenkeiWire", "RenkeiNodes", "RenkeiLoad", "RenkeiTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RenkeiEdgeTests",
            dependencies: [
                "RenkeiEdge", "RenkeiNodes", "RenkeiTestSupport", "CLibXML2",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "RenkeiLoadTests", dependencies: ["RenkeiLoad", "RenkeiNodes", "RenkeiTestSupport"], swiftSettings: strict),
        .testTarget(name: "RenkeiFuzzTests", dependencies: ["RenkeiFuzzTargets", "RenkeiCore"], swiftSettings: strict),
        .testTarget(
            name: "RenkeiConsoleTests",
            dependencies: ["RenkeiConsole", "RenkeiNodes", "RenkeiTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(name: "RenkeiNodesTests", dependencies: ["RenkeiNodes", "RenkeiTimeStamp", "RenkeiTestSupport"], swiftSettings: strict),
    ]
)
