public import ArgumentParser
import Foundation
import Logging
import RenkeiConfig
import RenkeiConsole
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import ServiceLifecycle

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a whole linkage network on loopback and keep it running.",
        discussion: """
            Runs each node in its own process (renkei node NAME) and restarts one that crashes, \
            with back-off, while the others keep serving; --single-process runs them all in this \
            one, with the admin API and the training console. Prints one line per node with its \
            address, then a line that is exactly `ready`. Each node keeps its state, 情報提供等記録 \
            and audit log in DATA/nodes/NODE.sqlite; a restart on the same data directory \
            continues where it stopped. Stop it with Ctrl-C (SIGINT) or SIGTERM.
            """
    )

    @OptionGroup var locations: LocationOptions

    @Flag(help: "Listen on ephemeral ports instead of the topology's (they are written to DATA/endpoints.json).")
    var ephemeralPorts = false

    @Flag(
        help: """
            Run every node in this process, as threads of one program, with the admin API and the training console \
            (both need every node at hand). By default each node runs in its own process.
            """)
    var singleProcess = false

    @OptionGroup var running: NodeRunOptions

    func run() async throws {
        let logger = makeLogger(level: running.logLevel)
        do {
            let clock = try locations.clock()
            var topology = try locations.topology(clock: clock)
            if ephemeralPorts { topology = topology.withEphemeralPorts() }
            let lock = try DataDirectoryLock(directory: locations.dataURL)
            let service: any Service =
                if singleProcess {
                    LinkageService(
                        topology: topology, locations: locations, clock: clock, memory: running.memory, durability: running.durability,
                        acceptAuditGap: running.acceptAuditGap, logger: logger)
                } else {
                    SupervisedNetwork(
                        topology: topology, locations: locations, clock: clock, ephemeralPorts: ephemeralPorts,
                        nodeOptions: nodeOptions, runsReplicas: !running.memory)
                }
            try await runUntilSignalled(service, logger: logger)
            lock.release()
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }

    /// What each `renkei node` of a supervised network is given besides its name and addresses.
    private var nodeOptions: [String] {
        var options = ["--config", locations.config, "--certs", locations.certs, "--data", locations.data]
        if let offset = locations.clockOffset { options += ["--clock-offset=\(offset)"] }
        options += ["--durability", running.durability.rawValue, "--log-level", running.logLevel.rawValue]
        if running.memory { options.append("--memory") }
        if running.acceptAuditGap { options.append("--accept-audit-gap") }
        return options
    }
}

/// The running network as a service of the lifecycle group: starts, seeds a fresh data
/// directory, announces `ready`, purges expired records hourly, and stops cleanly on a
/// shutdown signal. With `node` it runs that one node of the topology (`renkei node`): it
/// seeds, purges and serves the edge of that node only, and leaves endpoints.json, the admin
/// API, the console and reconciliation to the supervising `renkei up`.
struct LinkageService: Service {
    let topology: Topology
    let locations: LocationOptions
    let clock: SimulationClock
    let memory: Bool
    let durability: SQLiteStore.Durability
    let acceptAuditGap: Bool
    var node: String? = nil
    let logger: Logger

    func run() async throws {
        let pki = PKIDirectory(url: locations.certsURL)
        var plans: [NodePlan]?
        var topology = topology
        let endpoints = EndpointTable()
        if let node {
            // A replica (nws#2) runs the network system at its own addresses.
            guard let instance = topology.instance(node) else {
                let names = topology.nodes.map(\.name) + topology.replicaInstances.map(\.name)
                throw RenkeiError(.invalidConfiguration, "no node \(node) in \(locations.config); its nodes are \(names.joined(separator: ", "))")
            }
            topology = instance.topology
            // A supervising renkei up made them already; a node started alone makes what is missing.
            try pki.ensure(topology.certificateSubjects, tenants: topology.tenantIDs, now: clock.now)
            guard let plan = try NodePlan.all(for: topology, pki: pki).first(where: { $0.name == instance.node }) else {
                throw RenkeiError(.internalError, "node \(node) is in the topology but has no plan")
            }
            plans = [plan]
            // The others listen where the topology (or the supervisor's endpoints file) says.
            for other in topology.nodes where other.name != instance.node { endpoints.set(other.name, other.listen) }
            for replica in topology.replicaInstances where replica.name != node { endpoints.set(replica.name, replica.listen) }
            topology.admin = nil
            topology.console = nil
        }
        let count = plans?.count ?? topology.nodes.count
        try FileLimit.require(nodes: count, durable: !memory)
        // A national topology takes a minute or more to start: say how far it is.
        let bar = count > ProgressBar.worthShowing ? ProgressBar(label: "nodes started") : nil
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki,
            store: { name, checkpointKey throws(RenkeiError) in
                if memory { return MemoryStore() }
                if name == topology.networkSystem.name, let location = topology.networkSystem.postgres {
                    return PostgresStore(location: location, node: name, signingKey: checkpointKey, clock: clock, logger: logger)
                }
                var options = SQLiteStore.Options()
                options.durability = durability
                return try SQLiteStore(
                    url: NodeFiles.store(name, in: locations.dataURL), node: name, signingKey: checkpointKey, options: options, clock: clock)
            },
            clock: clock, plans: plans, endpoints: endpoints, acceptAuditGap: acceptAuditGap, logger: logger,
            progress: { done, total in bar?.update(done, of: total) }
        )
        do {
            let marker = SeedMarker(directory: locations.dataURL, node: node)
            let population: String
            if !memory, let seeded = marker.read() ?? SeedMarker(directory: locations.dataURL).read() {
                network.control.scenario.set(seeded)
                population = "\(seeded.line), loaded from \(locations.data)"
            } else {
                let scenario = try Scenario.load(named: "seed", in: Scenario.directory(besides: locations.configURL), topology: topology)
                let summary = try await network.seed(scenario)
                if !memory { try marker.write(summary) }
                population = summary.line
            }
            let purged = try await network.purgeExpiredRecords().values.reduce(0, +)
            // Reconciling compares the three parties' records, so it needs every store in this process.
            let reconciled = node == nil ? try await network.reconcileRecords() : RecordReconciler.Report()
            let scenarios = Scenario.directory(besides: locations.configURL)
            let edges = try EdgeServer.all(for: network, scenarios: scenarios, logger: logger)
            let metricsServers = MetricsServer.all(for: network, logger: logger)
            var console: ConsoleServer?
            if let settings = topology.console {
                console = try await ConsoleServer.make(
                    network: network, settings: settings,
                    exercises: locations.configURL.deletingLastPathComponent().appendingPathComponent(settings.exercises), scenarios: scenarios,
                    dataDirectory: memory ? nil : locations.dataURL, logger: logger)
            }
            let startedConsole = console
            try await withThrowingTaskGroup(of: Void.self) { group in
                let console = startedConsole
                for edge in edges { group.addTask { try await edge.run() } }
                for server in metricsServers { group.addTask { try await server.run() } }
                if let console { group.addTask { try await console.run() } }
                var edgeAddresses = [String: Endpoint]()
                for edge in edges {
                    guard let address = await edge.address() else {
                        throw RenkeiError(.unavailable, "the HTTPS edge of \(edge.node) could not listen; is the port in use?")
                    }
                    edgeAddresses[edge.node] = address
                }
                if let console {
                    guard let address = await console.address() else {
                        throw RenkeiError(.unavailable, "the training console could not listen; is the port in use?")
                    }
                    edgeAddresses["console"] = address
                }
                var metricsAddresses = [String: Endpoint]()
                for server in metricsServers {
                    guard let address = await server.address() else {
                        throw RenkeiError(.unavailable, "the /metrics of \(server.node) could not listen; is the port in use?")
                    }
                    metricsAddresses[server.node] = address
                }
                if node == nil { try writeEndpoints(network, edges: edgeAddresses, metrics: metricsAddresses) }
                for line in NodeLines.lines(network.nodes, edges: edgeAddresses, metrics: metricsAddresses, instance: node) { emit(line) }
                if node == nil, !topology.replicaInstances.isEmpty {
                    emit(
                        NodeLines.replicasNotStarted(
                            topology, reason: "one process runs one replica; renkei up without --single-process runs them all"))
                }
                if let admin = edgeAddresses["admin"] {
                    emit("admin            https://\(admin)  (operator certificate: \(locations.certs)/admin.crt)")
                }
                if let console = edgeAddresses["console"] {
                    emit(
                        "console          https://\(console)  (training console: staff sign in with their passwords; renkei staff reset-password sets one)"
                    )
                }
                emit("\(NodeLines.population)\(population)")
                if purged > 0 { emit(NodeLines.purged(purged)) }
                for line in reconciled.settled { emit("reconciled       \(line)") }
                if !reconciled.disagreements.isEmpty {
                    emit("reconciled       \(reconciled.disagreements.count) exchanges disagree between the parties; see renkei records reconcile")
                }
                emit("ready")
                // Until shutdown: retention runs hourly (the first run was above).
                group.addTask {
                    try? await cancelWhenGracefulShutdown {
                        while true {
                            try await Task.sleep(for: .seconds(3600))
                            _ = try await network.purgeExpiredRecords()
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
        if node == nil { try? FileManager.default.removeItem(at: locations.dataURL.appendingPathComponent("endpoints.json")) }
    }

    /// Lets `renkei inquire` and `renkei admin` find the nodes when the ports were ephemeral.
    private func writeEndpoints(_ network: LinkageNetwork, edges: [String: Endpoint], metrics: [String: Endpoint]) throws {
        try FileManager.default.createDirectory(at: locations.dataURL, withIntermediateDirectories: true)
        var entries = network.endpoints.all
        for (node, address) in edges { entries[["admin", "console"].contains(node) ? node : "\(node).edge"] = address }
        for (node, address) in metrics { entries["\(node).metrics"] = address }
        try EndpointsFile.write(entries, to: locations.dataURL.appendingPathComponent("endpoints.json"))
    }
}
