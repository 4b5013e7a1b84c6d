public import ArgumentParser
import Foundation
import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiStore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

struct Node: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one node of the topology in this process.",
        discussion: """
            Listens where the topology says (or where --endpoints says, as a supervising renkei up \
            writes it) and reaches the other nodes at their addresses, over mutual TLS. Prints the \
            node's line, the population, then a line that is exactly `ready`. Its store is \
            DATA/nodes/NODE.sqlite; a fresh one is seeded with the node's part of the seed \
            scenario. `renkei up` starts one of these per node and restarts any that crash.
            """
    )

    @Argument(help: "The node's name in the topology (nws, ms-municipal, atena-tomakomai, …), or a replica of the network system (nws#2, …).")
    var name: String

    @OptionGroup var locations: LocationOptions

    @Option(help: "A JSON file of addresses (NODE, NODE.edge) that replace the topology's, as renkei up writes DATA/endpoints.json.")
    var endpoints: String?

    @OptionGroup var running: NodeRunOptions

    @Option(help: .hidden)
    var supervisor: Int32?

    func run() async throws {
        let logger = makeLogger(level: running.logLevel)
        if let supervisor { Self.stop(whenGone: supervisor) }
        do {
            let clock = try locations.clock()
            var topology = try locations.topology(clock: clock)
            if let endpoints { topology = topology.withAddresses(try EndpointsFile.read(URL(fileURLWithPath: endpoints))) }
            let lock = try DataDirectoryLock(directory: locations.dataURL, node: name)
            var service = LinkageService(
                topology: topology, locations: locations, clock: clock, memory: running.memory, durability: running.durability,
                acceptAuditGap: running.acceptAuditGap, logger: logger)
            service.node = name
            try await runUntilSignalled(service, logger: logger)
            lock.release()
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }
}

extension Node {
    /// A node whose supervising renkei up died (even by SIGKILL, which it cannot pass on) stops
    /// as on Ctrl-C rather than serving on unwatched: once a second it checks that its parent
    /// is still the supervisor.
    static func stop(whenGone supervisor: Int32) {
        Task.detached {
            while getppid() == supervisor { try? await Task.sleep(for: .seconds(1)) }
            kill(getpid(), SIGTERM)
        }
    }
}

/// DATA/endpoints.json: where every node, edge, the admin API and the console listen.
enum EndpointsFile {
    static func read(_ url: URL) throws(RenkeiError) -> [String: Endpoint] {
        guard let data = try? Data(contentsOf: url) else {
            throw RenkeiError(.invalidConfiguration, "cannot read the endpoints file \(url.path)")
        }
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw RenkeiError(.invalidConfiguration, "\(url.path) is not a JSON object of names and host:port addresses")
        }
        var addresses = [String: Endpoint]()
        for (name, text) in entries { addresses[name] = try Endpoint(text) }
        return addresses
    }

    static func write(_ addresses: [String: Endpoint], to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: addresses.mapValues(\.description), options: [.sortedKeys, .prettyPrinted])
        try data.write(to: url, options: .atomic)
    }
}
