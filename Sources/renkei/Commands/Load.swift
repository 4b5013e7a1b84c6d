import ArgumentParser
import Foundation
import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiLoad
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive real inquiries through a linkage network and measure it.",
        discussion: """
            Targets a running `renkei up` (found through --data and --config), or with --embedded \
            starts one in this process (durable stores in a temporary directory). Open model: \
            --rate R for a fixed schedule, latency counted from each request's scheduled start \
            (coordinated omission corrected). Closed model: --concurrency C. A line a second on a \
            terminal; thresholds set the exit status (1 when one is broken).
            Example: renkei load --embedded --rate 2500 --duration 60s --p99-max 20ms --error-max 0.1% --report out/
            """
    )

    @OptionGroup var locations: LocationOptions

    @Flag(help: "Start a network in this process instead of targeting a running `renkei up`.")
    var embedded = false

    @Option(help: "Open model: requests per second.")
    var rate: Double?

    @Option(help: "Closed model: concurrent callers.")
    var concurrency: Int?

    @Option(help: "How long to measure, e.g. 60s or 10m.")
    var duration: String = "30s"

    @Option(help: "Unmeasured run first, e.g. 5s.")
    var warmup: String = "3s"

    @Option(help: "The mix of operations.")
    var mix: String = "config/load/default.yaml"

    @Option(help: "Fail when p99 is above this, e.g. 20ms.")
    var p99Max: String?

    @Option(help: "Fail when the error rate is above this, e.g. 0.1%.")
    var errorMax: String?

    @Option(
        help:
            "Fail when the throughput achieved (answers over the time they took, the drain included) is below this many per second, or the open model's rate was not sustained."
    )
    var throughputMin: Double?

    @Flag(help: "Open model: fail when the answers fall behind the schedule (more than a second's worth unanswered as it ends).")
    var sustained = false

    @Option(help: "Write report.json and report.html into this directory.")
    var report: String?

    @Flag(help: "Also run the same traffic through a chain of no-op relays (4 mTLS hops) and print renkei / baseline.")
    var baseline = false

    @Option(help: "Connections to each node the load goes to.")
    var connections: Int = 4

    @Option(help: "Open model: at most this many in flight (beyond, the schedule slips and the slip counts).")
    var maxInFlight: Int = 10_000

    @Option(help: "Closed model: stop after this many requests in all, however long they take (for counting instructions, not timing).")
    var requests: Int?

    @Option(help: "Seed for picking operations.")
    var seed: UInt64 = 1

    @Option(help: "With --embedded: how permits are protected, signature or mac (default: the topology's network_system.permit_protection).")
    var permitProtection: Topology.PermitProtection?

    @Option(help: "With --embedded: store durability, full (fsync at every group commit) or normal.")
    var durability: SQLiteStore.Durability = .full

    @Option(
        help:
            "With --embedded: stretch the stores' timers (a signed audit checkpoint every 5 s, the WAL copied every 100 ms) this many times, for a run under a profiler as many times slower; checkpoints every 1,000 entries are kept."
    )
    var storeTimerScale: Double = 1

    func validate() throws {
        guard (rate == nil) != (concurrency == nil) else {
            throw ValidationError("give exactly one of --rate (open model) and --concurrency (closed model)")
        }
        if let rate, !(rate > 0 && rate <= 1_000_000) { throw ValidationError("--rate must be above 0 and at most 1,000,000") }
        if let concurrency, !(1...100_000).contains(concurrency) { throw ValidationError("--concurrency must be 1 to 100,000") }
        if !embedded, permitProtection != nil || durability != .full || storeTimerScale != 1 {
            throw ValidationError(
                "--permit-protection, --durability and --store-timer-scale set up an embedded network; a running `renkei up` takes them from its own configuration"
            )
        }
        guard storeTimerScale >= 1, storeTimerScale <= 10_000 else {
            throw ValidationError("--store-timer-scale must be 1 to 10,000")
        }
        if let requests {
            guard concurrency != nil else {
                throw ValidationError("--requests is a number of requests for the closed model; give it with --concurrency")
            }
            guard (1...100_000_000).contains(requests) else { throw ValidationError("--requests must be 1 to 100,000,000") }
        }
        guard (1...64).contains(connections) else { throw ValidationError("--connections must be 1 to 64") }
    }

    func run() async throws {
        var logger = Logger(label: "renkei.load")
        logger.logLevel = .error
        do {
            let clock = try locations.clock()
            let plan = LoadPlan(
                model: rate.map { .open(rate: $0) } ?? .closed(concurrency: concurrency ?? 1),
                duration: try DurationText.parse(duration), warmup: try DurationText.parse(warmup), maxInFlight: maxInFlight, seed: seed,
                requests: requests
            )
            guard plan.duration > .zero else { throw ValidationError("--duration must be more than 0") }
            let thresholds = Thresholds(
                p99MaxMicros: try p99Max.map { text throws(RenkeiError) in try Thresholds.duration(text) },
                errorMax: try errorMax.map { text throws(RenkeiError) in try Thresholds.fraction(text) }, throughputMin: throughputMin,
                sustained: sustained
            )
            let loadMix = try LoadMix.load(from: URL(fileURLWithPath: mix))
            let startedAt = JSTTime.iso8601(clock.nowMicros())

            var options = SQLiteStore.Options()
            options.durability = durability
            options.checkpointInterval = options.checkpointInterval * storeTimerScale
            options.walCheckpointInterval = options.walCheckpointInterval.map { $0 * storeTimerScale }
            let session = try await LoadSession.open(
                embedded: embedded, locations: locations, permitProtection: permitProtection, store: options,
                clock: clock, logger: logger
            )
            let target = try LoadTarget(
                topology: session.topology, population: session.population, pki: session.pki, addresses: session.addresses, mix: loadMix,
                connections: connections, logger: logger
            )
            let warnings = embedded ? [] : await Self.warnings(locations)
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            let sampler = ProcessSampler(pid: session.pid)
            let live = LiveLine(label: "renkei")
            FileHandle.standardError.write(Data("load: \(session.description); \(LoadReport.describe(plan))\n".utf8))
            let statistics = LoadStatistics()
            let summary = await LoadRunner(plan: plan, mix: loadMix).run(
                statistics: statistics,
                execute: { name, sequence in
                    await target.execute(name, sequence: sequence)
                },
                onSecond: { second in
                    sampler.sample(completed: second.completed)
                    live.show(second)
                })
            let seconds = statistics.seconds
            await target.shutdown()

            var baselineReport: LoadReport.Baseline?
            if baseline {
                try session.pki.ensure((1...4).map { CertificateSubject(name: "relay\($0)", role: .intermediateServer) })
                let chain = try await RelayChain.start(
                    hops: 4, credentials: { name throws(RenkeiError) in try session.pki.credentials(for: name) },
                    client: try session.pki.credentials(for: "tomakomai/kokuho"), requestBytes: 96, responseBytes: 900, connections: connections,
                    logger: logger
                )
                let baselineStatistics = LoadStatistics()
                let baselineLive = LiveLine(label: "baseline")
                let baselineSampler = ProcessSampler(pid: getpid())
                let relayMix = try LoadMix(operations: [
                    LoadMix.Operation(name: "relay", weight: 1, kind: .update, system: "", information: "")
                ])
                let baselineSummary = await LoadRunner(plan: plan, mix: relayMix).run(
                    statistics: baselineStatistics,
                    execute: { _, _ in
                        await chain.execute().map { OperationOutcome(error: $0.code.rawValue, expectedRefusal: false) } ?? .success
                    },
                    onSecond: { second in
                        baselineSampler.sample(completed: second.completed)
                        baselineLive.show(second)
                    })
                await chain.stop()
                baselineReport = LoadReport.Baseline(
                    summary: baselineSummary, seconds: baselineStatistics.seconds,
                    ratio: baselineSummary.throughput > 0 ? summary.throughput / baselineSummary.throughput : 0,
                    cpuMicrosPerOperation: baselineSampler.cpuMicrosPerOperation
                )
            }
            await session.close()

            let violations = thresholds.violations(of: summary)
            var result = LoadReport(
                startedAt: startedAt, target: session.description, plan: plan, mix: loadMix, summary: summary, seconds: seconds,
                baseline: baselineReport,
                violations: violations, residentMemory: sampler.residentBytes, cpuMicrosPerOperation: sampler.cpuMicrosPerOperation
            )
            result.warnings = warnings
            result.build = [
                "version": RenkeiVersion.number, "commit": RenkeiVersion.commit, "machine": ProcessInfo.processInfo.hostName,
                "cores": String(ProcessInfo.processInfo.activeProcessorCount), "options": CommandLine.arguments.dropFirst().joined(separator: " "),
                "allocator": AllocatorTuning.described,
            ]
            print(
                "build       \(RenkeiVersion.line) on \(ProcessInfo.processInfo.hostName), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(AllocatorTuning.described)"
            )
            print("options     \(CommandLine.arguments.dropFirst().joined(separator: " "))")
            print(Self.text(result))
            if let report { try result.write(to: URL(fileURLWithPath: report)) }
            if !violations.isEmpty { throw ExitCode.failure }
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }

    /// What the running network holds that would make the figures misleading (a training
    /// scenario's flags, a manual queue, faults); a network whose status cannot be read is run
    /// anyway, with that said.
    static func warnings(_ locations: LocationOptions) async -> [String] {
        do {
            let text = try await Admin.request(locations, .GET, "/admin/status")
            return try JSONDecoder().decode(AdminStatus.self, from: Data(text.utf8)).loadWarnings
        } catch {
            return ["the network's status could not be read from its admin API (\(error)); a training scenario or a manual queue would go unnoticed"]
        }
    }

    /// What was asked beside what was achieved, and when the last answer came.
    static func asked(_ report: LoadReport) -> String {
        guard let schedule = report.summary.schedule else { return "" }
        let scheduled = String(format: "%.1f", schedule.scheduledSeconds)
        let drain = String(format: "%.1f", schedule.drainSeconds)
        switch report.plan.model {
        case let .open(rate):
            return " (asked \(Int(rate)) /s for \(scheduled) s: \(schedule.offered) requests; the last answer \(drain) s after the schedule ended)"
        case .closed:
            if let requests = report.plan.requests { return " (\(requests) requests asked)" }
            return " (\(scheduled) s of calls; the last answer \(drain) s after)"
        }
    }

    static func backlog(_ report: LoadReport) -> String {
        let peak = report.seconds.filter { !$0.draining }.map(\.backlog).max() ?? 0
        guard let schedule = report.summary.schedule else { return "backlog     \(peak) at most" }
        let verdict: String
        switch schedule.sustained {
        case true?: verdict = "sustained"
        case false?: verdict = "NOT SUSTAINED: the answers fell behind the schedule"
        case nil: verdict = "closed model: callers wait for their answers"
        }
        return "backlog     \(schedule.backlogAtEnd) unanswered as the schedule ended, \(peak) at most at a second's end: \(verdict)"
    }

    static func text(_ report: LoadReport) -> String {
        let summary = report.summary
        var lines = [
            "completed   \(summary.completed) in \(String(format: "%.1f", summary.seconds)) s = \(Int(summary.throughput)) /s" + Self.asked(report),
            "latency     p50 \(Thresholds.format(summary.p50Micros))  p90 \(Thresholds.format(summary.p90Micros))  p99 \(Thresholds.format(summary.p99Micros))  p99.9 \(Thresholds.format(summary.p999Micros))  max \(Thresholds.format(summary.maxMicros))",
            Self.backlog(report),
            "errors      \(summary.errors) (\(Thresholds.percent(summary.errorRate)))"
                + (summary.errorsByCode.isEmpty
                    ? "" : "  " + summary.errorsByCode.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            "refusals    \(summary.expectedRefusals) expected by the mix",
            "operations  (completed, latency, errors)",
        ]
        for (name, operation) in summary.operations.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(operation.completed)  p50 \(Thresholds.format(operation.p50Micros))  p99 \(Thresholds.format(operation.p99Micros))  max \(Thresholds.format(operation.maxMicros))  errors \(operation.errors)"
                    + (operation.expectedRefusals > 0 ? "  expected refusals \(operation.expectedRefusals)" : ""))
        }
        if let memory = report.residentMemory.first, let last = report.residentMemory.last, let peak = report.residentMemory.max() {
            lines.append(
                "memory      resident \(memory / 1_048_576) MB at the first second, \(last / 1_048_576) MB at the last, \(peak / 1_048_576) MB at most"
            )
        }
        if let cpu = report.cpuMicrosPerOperation {
            lines.append(
                "cpu         \(Int(cpu)) µs of CPU per operation (\(report.target.hasPrefix("an embedded") ? "the whole network and the generator" : "the renkei up process"))"
            )
        }
        if let baseline = report.baseline {
            lines.append(
                "baseline    \(Int(baseline.summary.throughput)) /s through 4 no-op mTLS relays, p50 \(Thresholds.format(baseline.summary.p50Micros)), p99 \(Thresholds.format(baseline.summary.p99Micros))"
                    + (baseline.cpuMicrosPerOperation.map { ", \(Int($0)) µs of CPU per operation" } ?? ""))
            lines.append("ratio       renkei / baseline = \(String(format: "%.2f", baseline.ratio))")
        }
        for warning in report.warnings { lines.append("warning     \(warning)") }
        lines.append(report.violations.isEmpty ? "thresholds  met" : "thresholds  BROKEN: " + report.violations.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}

/// The network a load run drives: a running `renkei up`, or one started here.
struct LoadSession: Sendable {
    let topology: Topology
    let population: RenkeiCore.Population
    let pki: PKIDirectory
    let addresses: LoadTarget.Addresses
    let network: LinkageNetwork?
    let edges: EdgeGroup?
    /// The process whose memory is sampled.
    let pid: Int32
    let description: String
    /// What an embedded run made and removes when it closes.
    let scratch: URL?

    static func open(
        embedded: Bool, locations: LocationOptions, permitProtection: Topology.PermitProtection?, store options: SQLiteStore.Options,
        clock: SimulationClock,
        logger: Logger
    ) async throws -> LoadSession {
        let configured = try locations.topology(clock: clock)
        if !embedded {
            let endpoints = try EndpointDirectory(locations: locations, topology: configured)
            var wire = [String: Endpoint]()
            var edges = [String: Endpoint]()
            for node in configured.nodes { wire[node.name] = try endpoints.endpoint(node.name) }
            for edge in configured.edges { edges[edge.node] = (try? endpoints.endpoint("\(edge.node).edge")) ?? edge.listen }
            let plan = SeedMarker(directory: locations.dataURL).read()?.plan(configured) ?? configured.population
            let pid = (try? String(contentsOf: locations.dataURL.appendingPathComponent("renkei.lock"), encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return LoadSession(
                topology: configured, population: RenkeiCore.Population(plan: plan), pki: PKIDirectory(url: locations.certsURL),
                addresses: LoadTarget.Addresses(wire: wire, edges: edges), network: nil, edges: nil, pid: pid ?? getpid(),
                description: "the renkei up of \(locations.data)", scratch: nil
            )
        }
        var topology = configured.withEphemeralPorts()
        if let permitProtection { topology.networkSystem.permitProtection = permitProtection }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-load-\(UUID().uuidString)")
        let pki = PKIDirectory(url: scratch.appendingPathComponent("certs"))
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki,
            store: { name, checkpointKey throws(RenkeiError) in
                try SQLiteStore(
                    url: NodeFiles.store(name, in: scratch.appendingPathComponent("data")), node: name, signingKey: checkpointKey,
                    options: options, clock: clock)
            },
            clock: clock, logger: logger
        )
        _ = try await network.seed(Scenario.load(named: "seed", in: Scenario.directory(besides: locations.configURL), topology: topology))
        let group = EdgeGroup(
            try EdgeServer.all(for: network, scenarios: Scenario.directory(besides: locations.configURL), logger: logger), logger: logger)
        return LoadSession(
            topology: topology, population: RenkeiCore.Population(plan: topology.population), pki: pki,
            addresses: LoadTarget.Addresses(wire: network.endpoints.all, edges: await group.addresses()), network: network, edges: group,
            pid: getpid(),
            description:
                "an embedded network (\(options.durability.rawValue)-durability stores in \(scratch.path), permits sealed by \(topology.networkSystem.permitProtection.rawValue))",
            scratch: scratch
        )
    }

    func close() async {
        await edges?.shutdown()
        await network?.stop()
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }
}

/// The line a second a run prints on standard error: on a terminal and in CI logs alike.
struct LiveLine: Sendable {
    let label: String

    func show(_ second: LoadStatistics.Second) {
        let line =
            "[\(label) \(second.second + 1)s] \(second.completed)/s of \(second.started) started  p50 \(Thresholds.format(second.p50Micros))  p99 \(Thresholds.format(second.p99Micros))  errors \(second.errors)  in flight \(second.inFlight)  backlog \(second.backlog)\(second.draining ? "  (draining)" : "")\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
