import Foundation
import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Synchronization
import Testing

/// Two replicas of the network system on one PostgreSQL store, as `renkei up` runs them.
@Suite("Network-system replicas on PostgreSQL", .serialized, .networkShare, .queuedTimeLimit)
struct ReplicaTests {
    /// The repository's configuration with the network system on PostgreSQL and a second replica.
    static func replicatedConfig(in scratch: URL, postgres: String) throws -> URL {
        let config = scratch.appendingPathComponent("config")
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("config"), to: config)
        let file = config.appendingPathComponent("topology.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        let replicated = original.replacingOccurrences(
            of: "  name: nws\n  listen: 127.0.0.1:17400\n",
            with: "  name: nws\n  listen: 127.0.0.1:17400\n  postgres: \(postgres)\n  replicas: [127.0.0.1:17410]\n")
        #expect(replicated != original, "the topology names nws at 127.0.0.1:17400")
        try replicated.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func scrape(_ address: String) async throws -> String {
        try await runProcess(URL(fileURLWithPath: try requireTool("curl")), ["-sf", "http://\(address)/metrics"]).output
    }

    static let provided = #"renkei_inquiries_total{node="nws",party="network",item="42→2024:69",outcome="provided"}"#

    @Test(
        "with nws#2 killed by SIGKILL under load, no acknowledged inquiry is lost, the load carries on through nws, both served, and the shared audit log verifies"
    )
    func killOneReplica() async throws {
        let scratch = try scratchDirectory("cli")
        let schema = TestPostgres.freshSchema("nws")
        let config = try Self.replicatedConfig(in: scratch, postgres: try await TestPostgres.url(schema: schema))
        let data = scratch.appendingPathComponent("data")
        let certs = scratch.appendingPathComponent("certs")
        let locations = ["--config", config.path, "--certs", certs.path, "--data", data.path]
        let log = scratch.appendingPathComponent("up.log")
        let up = try RunningUp(arguments: ["--ephemeral-ports"] + locations, errorLog: log)
        let printed = try #require(
            await up.waitForReady(), "renkei up ended before it was ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(printed.contains { $0.hasPrefix("nws#2 ") && $0.contains("(replica)") }, "a line for the second replica: \(printed)")
        let endpoints = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("endpoints.json"))) as? [String: String])

        let client = try RPCClient(
            configuration: .init(target: try Endpoint(try #require(endpoints["atena-tomakomai"])), expectedPeer: "atena-tomakomai", connections: 2),
            credentials: try PKIDirectory(url: certs).credentials(for: "tomakomai/kokuho"),
            logger: Logger(label: "renkei.test.replicas"))
        let sapporo = try #require(DurabilityTests.topology.organization(id: "sapporo"))
        let movers = DurabilityTests.movers()
        let tally = Tally()
        let (progress, progressSink) = AsyncStream<Int>.makeStream()
        let workers = Task {
            await InquiryCallers.run(
                client, movers: movers, provider: sapporo.code.rawValue, tally: tally, progress: progressSink, stopAtError: false)
        }
        for await count in progress where count >= 200 { break }
        let first = try await Self.scrape(try #require(endpoints["nws.metrics"]))
        let second = try await Self.scrape(try #require(endpoints["nws#2.metrics"]))
        let servedByFirst = ProcessPerNodeTests.value(first, Self.provided) ?? 0
        let servedBySecond = ProcessPerNodeTests.value(second, Self.provided) ?? 0
        #expect(servedByFirst > 0 && servedBySecond > 0, "both replicas served: nws \(servedByFirst), nws#2 \(servedBySecond)")

        let victim = try #require(
            Int32(
                try String(contentsOf: data.appendingPathComponent("nodes/nws#2.lock"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        let beforeKill = tally.acknowledgedCount
        kill(victim, SIGKILL)
        let exited = await up.waitForLine(startingWith: "exited ")
        #expect(exited?.contains("nws#2 (exit status 137)") == true, "\(exited ?? "no line")")
        // The load carries on: another 200 acknowledged after the kill.
        for await count in progress where count >= beforeKill + 200 { break }
        tally.stop()
        await workers.value
        await client.shutdown()
        let acknowledged = tally.acknowledged
        #expect(
            acknowledged.count >= beforeKill + 200, "the load carried on after the kill: \(acknowledged.count) acknowledged, \(beforeKill) before it")
        #expect(await up.interrupt() == 0)

        // Every acknowledged inquiry has its network record in PostgreSQL and both tenants' records.
        let network = PostgresStore(location: try PostgresLocation(url: try await TestPostgres.url(schema: schema)), node: "nws", signingKey: nil)
        let municipal = try StoreReader(url: data.appendingPathComponent("nodes/ms-municipal.sqlite"))
        var missing = [String]()
        for reception in acknowledged {
            let number = try ReceptionNumber(reception)
            let parties = Set(try municipal.records(RecordQuery(receptionNumber: number)).map(\.party))
                .union(try await network.records(RecordQuery(receptionNumber: number)).map(\.party))
            if parties != [.inquirer, .provider, .network] { missing.append(reception) }
        }
        await network.close()
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged inquiries lack a record: \(missing.prefix(5))")
        let failures = tally.failures
        print(
            "replica test: \(acknowledged.count) acknowledged (\(beforeKill) before the kill), nws \(servedByFirst) / nws#2 \(servedBySecond) served before it, failed calls \(failures), \(acknowledged.count - missing.count) found with all three records"
        )

        let verify = try await renkei(["audit", "verify"] + locations)
        #expect(verify.status == 0, "\(verify.output)\(verify.error)")
        #expect(verify.output.contains("nws: "), "\(verify.output)")
        let reconcile = try await renkei(["records", "reconcile"] + locations)
        #expect(reconcile.output.contains(", 0 disagreements"), "\(reconcile.output)\(reconcile.error)")
    }

    @Test("replicas without PostgreSQL are refused at load with a sentence that says what to add")
    func replicasNeedPostgres() async throws {
        let scratch = try scratchDirectory("cli")
        let config = scratch.appendingPathComponent("config")
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("config"), to: config)
        let file = config.appendingPathComponent("topology.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try original.replacingOccurrences(
            of: "  name: nws\n  listen: 127.0.0.1:17400\n", with: "  name: nws\n  listen: 127.0.0.1:17400\n  replicas: [127.0.0.1:17410]\n"
        )
        .write(to: file, atomically: true, encoding: .utf8)
        let result = try await renkei(["up", "--config", file.path, "--data", scratch.appendingPathComponent("data").path])
        #expect(result.status == 1)
        #expect(
            result.error.contains(
                "network_system.replicas: replicas share their state through PostgreSQL; give network_system.postgres: postgres://USER@HOST:PORT/DATABASE"
            ),
            "\(result.error)")
    }
}
