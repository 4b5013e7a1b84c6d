import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

/// `renkei topology generate`: the national shape, started and driven as users would.
@Suite("renkei topology generate", .serialized, .networkShare, .queuedTimeLimit)
struct TopologyGenerateTests {
    @Test("the national counts: 1,741 municipalities each with its own 団体内統合宛名システム, 1,669 insurers, three national bodies; it loads")
    func nationalCounts() async throws {
        let out = try scratchDirectory("cli").appendingPathComponent("national")
        let made = try await renkei(["topology", "generate", "--out", out.path])
        #expect(made.status == 0, "\(made.error)")
        #expect(
            made.output.contains(
                "1750 nodes (1741 団体内統合宛名システム, 6 中間サーバー), 3413 機関, 3483 business systems, 34820 residents"), "\(made.output)")
        let topology = try Topology.load(from: out.appendingPathComponent("topology.yaml"), today: SimulationClock().today())
        let east = try #require(topology.intermediateServers.first { $0.name == "ms-platform-east" })
        let west = try #require(topology.intermediateServers.first { $0.name == "ms-platform-west" })
        #expect(east.tenants.count + west.tenants.count == 1741)
        #expect(topology.intermediateServers.first { $0.name == "ms-insurers" }?.tenants.count == 1669)
        #expect(Set(topology.organizations.compactMap(\.localGovernmentCode)).count == 1741, "distinct 地方公共団体コード that pass their check digit")
    }

    @Test("a small national topology starts, and renkei load drives inquiries between random parties under the rules without an error")
    func startAndLoad() async throws {
        let scratch = try scratchDirectory("cli")
        let out = scratch.appendingPathComponent("small")
        let made = try await renkei(
            ["topology", "generate", "--municipalities", "30", "--insurers", "20", "--national-bodies", "2", "--residents", "20", "--out", out.path])
        #expect(made.status == 0, "\(made.error)")
        let locations = [
            "--config", out.appendingPathComponent("topology.yaml").path, "--certs", scratch.appendingPathComponent("certs").path, "--data",
            scratch.appendingPathComponent("data").path,
        ]
        let up = try RunningUp(arguments: locations + ["--single-process", "--memory", "--ephemeral-ports"])
        let printed = try #require(await up.waitForReady(), "renkei up ended before it was ready")
        #expect(printed.filter { $0.hasPrefix("atena-m") }.count == 30)
        let load = try await renkei(
            ["load"] + locations + [
                "--mix", out.appendingPathComponent("load/national.yaml").path, "--duration", "2s", "--warmup", "0s", "--concurrency", "8",
                "--error-max", "0",
            ])
        #expect(load.status == 0, "\(load.output)\(load.error)")
        let pairs = Set(load.output.split(separator: "\n").filter { $0.hasPrefix("  tax-") }.map { $0.split(separator: " ")[0] })
        #expect(pairs.count > 10, "inquiries between many pairs: \(pairs.count)")
        #expect(load.output.contains("thresholds  met"), "\(load.output)")
        #expect(await up.interrupt() == 0)
    }
}
