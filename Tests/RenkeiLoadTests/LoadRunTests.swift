import Foundation
import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiLoad
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("A short load run end to end", .wholeMachine, .queuedTimeLimit)
struct LoadRunTests {
    @Test("the default mix runs for a few seconds without errors and writes a report that parses")
    func shortRun() async throws {
        var logger = Logger(label: "renkei.test.load")
        logger.logLevel = .critical
        let topology = try Repository.defaultTopology().withEphemeralPorts()
        let scratch = try scratchDirectory("loadtest")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pki = PKIDirectory(url: scratch.appendingPathComponent("certs"))
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki,
            store: { name, checkpointKey throws(RenkeiError) in
                try SQLiteStore(
                    url: NodeFiles.store(name, in: scratch.appendingPathComponent("data")), node: name, signingKey: checkpointKey)
            },
            logger: logger
        )
        let edges: EdgeGroup
        let mixFile: LoadMix
        let target: LoadTarget
        do {
            _ = try await network.seed(Scenario.load(named: "seed", in: Repository.scenarios, topology: topology))
            edges = EdgeGroup(try EdgeServer.all(for: network, scenarios: Repository.scenarios, logger: logger), logger: logger)
            let defaultMix = try LoadMix.load(from: Repository.file("config/load/default.yaml"))
            // Make sure the batch path runs within a short test.
            mixFile = try LoadMix(
                operations: defaultMix.operations.map { operation in
                    operation.kind == .batch
                        ? LoadMix.Operation(name: operation.name, weight: 2, kind: .batch, system: operation.system, rows: 20, user: operation.user)
                        : operation
                })
            target = try LoadTarget(
                topology: topology, population: Population(plan: topology.population), pki: pki,
                addresses: .init(wire: network.endpoints.all, edges: await edges.addresses()), mix: mixFile, logger: logger
            )
        } catch {
            await network.stop()
            throw error
        }
        let plan = LoadPlan(model: .open(rate: 100), duration: .seconds(3), warmup: .seconds(1))
        let statistics = LoadStatistics()
        let sampler = ProcessSampler(pid: getpid())
        let summary = await LoadRunner(plan: plan, mix: mixFile).run(
            statistics: statistics,
            execute: { name, sequence in
                await target.execute(name, sequence: sequence)
            }, onSecond: { second in sampler.sample(completed: second.completed) })
        await target.shutdown()
        await edges.shutdown()
        await network.stop()

        #expect(summary.errors == 0, "\(summary.errorsByCode)")
        #expect(summary.completed >= 250 && summary.completed <= 310, "about 100/s for 3 s: \(summary.completed)")
        #expect(summary.expectedRefusals > 0, "the mix's denials were refused as expected")
        #expect(summary.operations["batch-file"]?.completed ?? 0 > 0)
        #expect(Set(summary.operations.keys) == Set(mixFile.operations.filter { $0.weight > 0 }.map(\.name)), "every operation of the mix ran")
        let seconds = statistics.seconds
        // A busy machine bunches the schedule from one second into the next; over the run about 300 start.
        let started = seconds.map(\.started).reduce(0, +)
        #expect(seconds.filter { !$0.draining }.count == 3 && (250...330).contains(started), "about 100 started a second: \(seconds.map(\.started))")
        #expect(seconds.count <= 4 && seconds.dropFirst(3).allSatisfy { $0.draining && $0.started == 0 }, "at most a part-second of drain")
        let schedule = try #require(summary.schedule)
        #expect(schedule.offered == 300 && schedule.sustained == true, "\(schedule)")
        #expect(summary.seconds >= 3 && summary.seconds == 3 + schedule.drainSeconds || schedule.drainSeconds == 0, "over the time the answers took")
        let report = LoadReport(
            startedAt: "now", target: "test", plan: plan, mix: mixFile, summary: summary, seconds: statistics.seconds, baseline: nil,
            violations: Thresholds(errorMax: 0.001).violations(of: summary), residentMemory: sampler.residentBytes,
            cpuMicrosPerOperation: sampler.cpuMicrosPerOperation
        )
        #expect(sampler.residentBytes.count == seconds.count && sampler.residentBytes.allSatisfy { $0 > 1_000_000 }, "a memory sample each second")
        #expect((sampler.cpuMicrosPerOperation ?? 0) > 0, "the run used CPU")
        let directory = scratch.appendingPathComponent("report")
        try report.write(to: directory)
        let decoded = try JSONDecoder().decode(LoadReport.self, from: Data(contentsOf: directory.appendingPathComponent("report.json")))
        #expect(decoded.summary.completed == summary.completed)
        #expect(decoded.seconds == seconds && decoded.summary.schedule == schedule)
        #expect(decoded.violations.isEmpty)
        #expect(decoded.cpuMicrosPerOperation == report.cpuMicrosPerOperation)
        // Durations are seconds a person reads, not Swift's (seconds, attoseconds) pair.
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as? [String: Any]
        let writtenPlan = try #require(raw?["plan"] as? [String: Any])
        #expect(writtenPlan["durationSeconds"] as? Double == 3)
        #expect(writtenPlan["warmupSeconds"] as? Double == 1)
        #expect(decoded.plan.duration == .seconds(3))
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(
            html.components(separatedBy: "<svg").count - 1 == 5, "rate, in flight, latency, percentile and memory charts (no errors, no error chart)")
        #expect(html.contains("requested (started)") && html.contains("achieved (completed)") && html.contains("target rate"))
        #expect(html.contains("<th>sustained</th><td>yes</td>") && html.contains(">backlog<"), "the verdict and the backlog series")
        #expect(html.contains("seconds of the measured run") && html.contains("requests per second"), "the axes are labelled")
        #expect(html.contains("<th>batch-file</th>") && html.contains("<th>tax-inquiry</th>"), "a row per operation")
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href="), "the page fetches nothing")
        try? FileManager.default.removeItem(at: scratch)
    }
}
