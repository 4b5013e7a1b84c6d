import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiWire
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// `renkei up` by default: each node of the topology in its own `renkei node` process, all
/// told the same addresses (DATA/endpoints.json), watched and restarted by a NodeSupervisor.
/// Prints the nodes' lines and `ready` once every node is ready; stops them all on a
/// shutdown signal.
struct SupervisedNetwork: Service {
    let topology: Topology
    let locations: LocationOptions
    let clock: SimulationClock
    let ephemeralPorts: Bool
    /// The options every `renkei node` gets besides its name and --endpoints.
    let nodeOptions: [String]
    /// Whether the network system's further replicas run (they need its shared store, not memory).
    let runsReplicas: Bool

    func run() async throws {
        // Made once here, before any node reads them: several processes must not race to make a CA.
        try PKIDirectory(url: locations.certsURL).ensure(topology.certificateSubjects, tenants: topology.tenantIDs, now: clock.now)
        var addresses = topology.addresses
        // The admin API and the console reach every node's actors in one process.
        addresses["admin"] = nil
        addresses["console"] = nil
        var reserved = [Endpoint]()
        defer { FreePorts.release(reserved) }
        if ephemeralPorts {
            let keys = addresses.keys.sorted()
            reserved = try FreePorts.take(keys.count)
            addresses = Dictionary(uniqueKeysWithValues: zip(keys, reserved))
        }
        try PrivateFiles.directory(locations.dataURL)
        let endpointsFile = locations.dataURL.appendingPathComponent("endpoints.json")
        try EndpointsFile.write(addresses, to: endpointsFile)
        defer { try? FileManager.default.removeItem(at: endpointsFile) }

        let supervisor = NodeSupervisor(executable: Self.executable) { line in emit(line) }
        // Replicas share the network system's PostgreSQL store; kept in memory they would not.
        let instances = topology.nodes.map(\.name) + (runsReplicas ? topology.replicaInstances.map(\.name) : [])
        let launches = instances.map { name in
            NodeSupervisor.Launch(
                name: name, arguments: ["node", name, "--endpoints", endpointsFile.path, "--supervisor", "\(getpid())"] + nodeOptions)
        }
        let witness = topology.timeStampAuthority?.name
        let bar = launches.count > ProgressBar.worthShowing ? ProgressBar(label: "node processes ready") : nil
        let printed = try await supervisor.start(
            first: launches.filter { $0.name == witness }, rest: launches.filter { $0.name != witness },
            progress: { done, total in bar?.update(done, of: total) })
        // The nodes' lines in the topology's order; the population (the same at every node) and
        // the records purged are said once for the network.
        var population: String?
        var purged = 0
        for name in instances {
            for line in printed[name] ?? [] {
                if line.hasPrefix(NodeLines.population) {
                    population = population ?? line
                } else if let count = NodeLines.purgedCount(line) {
                    purged += count
                } else {
                    emit(line)
                }
            }
        }
        if !runsReplicas, !topology.replicaInstances.isEmpty {
            emit(NodeLines.replicasNotStarted(topology, reason: "--memory keeps each process's state apart, and replicas must share theirs"))
        }
        if topology.admin != nil || topology.console != nil {
            emit("admin, console   not served when each node has its own process; renkei up --single-process serves them")
        }
        if let population { emit(population) }
        if purged > 0 { emit(NodeLines.purged(purged)) }
        // Every node has seeded its part: from now on the data directory counts as seeded.
        let marker = SeedMarker(directory: locations.dataURL)
        if marker.read() == nil, let seeded = SeedMarker(directory: locations.dataURL, node: topology.networkSystem.name).read() {
            try marker.write(seeded)
        }
        emit("ready")
        try? await gracefulShutdown()
        await supervisor.stop()
    }

    /// This program, to start the nodes with.
    private static var executable: URL {
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if FileManager.default.isExecutableFile(atPath: running.path), running.lastPathComponent != "exe" { return running }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }
}
