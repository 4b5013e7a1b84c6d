import Benchmark
import Crypto
import Foundation
import RenkeiCore
import RenkeiStore

/// Durable appends through the SQLite store's group commit: many callers commit at once,
/// as the nodes do under load, and each call returns only when its writes are on disk.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock],
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 1_000
    )

    for durability in SQLiteStore.Durability.allCases {
        Benchmark("audit append, group commit, synchronous=\(durability.rawValue)") { benchmark in
            let store = try openStore(durability)
            benchmark.startMeasurement()
            try await appendConcurrently(benchmark.scaledIterations.count, callers: 64, to: store) { index in
                [.audit(AuditEvent(kind: .inquiry, at: Int64(index), actor: "ms-municipal", detail: "R\(index) provided"))]
            }
            benchmark.stopMeasurement()
            await store.close()
        }

        Benchmark("record + audit append, group commit, synchronous=\(durability.rawValue)") { benchmark in
            let store = try openStore(durability)
            benchmark.startMeasurement()
            try await appendConcurrently(benchmark.scaledIterations.count, callers: 64, to: store) { index in
                [
                    .record(try exampleRecord(index)),
                    .audit(AuditEvent(kind: .inquiry, at: Int64(index), actor: "ms-municipal", detail: "R\(index) provided")),
                ]
            }
            benchmark.stopMeasurement()
            await store.close()
        }
    }
}

func openStore(_ durability: SQLiteStore.Durability) throws -> SQLiteStore {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var options = SQLiteStore.Options()
    options.durability = durability
    return try SQLiteStore(
        url: directory.appendingPathComponent("bench.sqlite"), node: "bench", signingKey: P256.Signing.PrivateKey(), options: options)
}

/// `count` commits from `callers` concurrent tasks, each waiting for its own commit.
func appendConcurrently(_ count: Int, callers: Int, to store: SQLiteStore, writes: @escaping @Sendable (Int) throws -> [StoreWrite]) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<callers {
            group.addTask {
                var index = caller
                while index < count {
                    try await store.commit(try writes(index))
                    index += callers
                }
            }
        }
        try await group.waitForAll()
    }
}

func exampleRecord(_ index: Int) throws -> ProvisionRecord {
    ProvisionRecord(
        party: .network, receptionNumber: try ReceptionNumber("R\(index)"), inquirer: try OrganizationCode("0101213100000000"),
        provider: try OrganizationCode("0101100200000000"), item: ItemReference(legacy: try ItemNumber("42"), ordinance: try ItemNumber("69")),
        procedure: try ProcedureCode("JT90420000000001"),
        informationCodes: [try InformationCode("TM00000000000002")], requestedAt: Int64(index), providedAt: Int64(index) + 10,
        outcome: .provided, errorCode: nil, inquirerNondisclosure: false, providerNondisclosure: false,
        linkCode: try LinkCode("code\(index % 97)"), providerLinkCode: nil
    )
}
