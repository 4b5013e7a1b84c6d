import ArgumentParser
import Foundation
import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import ServiceLifecycle

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a whole linkage network on loopback and keep it running.",
        discussion: """
        Prints one line per node with its address, then a line that is exactly `ready`. \
        Stop it with Ctrl-C (SIGINT) or SIGTERM.
        """
    )

    @OptionGroup var locations: LocationOptions

    @Flag(help: "Listen on ephemeral ports instead of the topology's (they are written to DATA/endpoints.json).")
    var ephemeralPorts = false

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let logger = makeLogger(level: logLevel)
        do {
            let clock = try locations.clock()
            var topology = try locations.topology(clock: clock)
            if ephemeralPorts { topology = topology.withEphemeralPorts() }
            let service = LinkageService(topology: topology, locations: locations, clock: clock, logger: logger)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ))
            try await group.run()
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }
}

/// The running network as a service of the lifecycle group: starts, seeds, announces
/// `ready`, and stops cleanly on a shutdown signal.
struct LinkageService: Service {
    let topology: Topology
    let locations: LocationOptions
    let clock: SimulationClock
    let logger: Logger

    func run() async throws {
        let pki = PKIDirectory(url: locations.certsURL)
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki, store: { _ in MemoryStore() }, clock: clock, logger: logger
        )
        do {
            let seeder = try PopulationSeeder(topology: topology, endpoints: network.endpoints, pki: pki, logger: logger)
            let summary = try await seeder.seed()
            try writeEndpoints(network)
            for node in network.nodes {
                emit("\(node.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(node.role.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(node.address)  \(node.summary)")
            }
            emit("population       \(summary.persons) persons, \(summary.linkCodes) 符号, \(summary.duplicates) 副本 (seed \(topology.population.seed))")
            emit("ready")
            try? await gracefulShutdown()
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
        try? FileManager.default.removeItem(at: locations.dataURL.appendingPathComponent("endpoints.json"))
    }

    /// Lets `renkei inquire` find the nodes when the ports were ephemeral.
    private func writeEndpoints(_ network: LinkageNetwork) throws {
        try FileManager.default.createDirectory(at: locations.dataURL, withIntermediateDirectories: true)
        let entries = network.endpoints.all.mapValues(\.description)
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .prettyPrinted])
        try data.write(to: locations.dataURL.appendingPathComponent("endpoints.json"), options: .atomic)
    }
}
