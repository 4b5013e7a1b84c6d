public import Logging
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiStore
import RenkeiWire

/// A whole linkage network in one process: every node with its own server on loopback and
/// its own clients, so every arrow between nodes is a real mutual-TLS hop.
public final class LinkageNetwork: Sendable {
    public struct RunningNode: Sendable {
        public let name: String
        public let role: NodeRole
        public let address: Endpoint
        /// What the node is, for people: 苫小牧市, 札幌市 on a 中間サーバー and so on.
        public let summary: String
    }

    /// The node actors, for the edge and the tester's controls in the same process.
    public struct Nodes: Sendable {
        /// Every node, by name, in the order they started.
        public let all: [(name: String, node: any LinkageNode)]

        public var intermediateServers: [String: IntermediateServer] { of(IntermediateServer.self) }
        public var addressSystems: [String: AddressSystem] { of(AddressSystem.self) }

        private func of<Node: LinkageNode>(_ type: Node.Type) -> [String: Node] {
            Dictionary(uniqueKeysWithValues: all.compactMap { entry in (entry.node as? Node).map { (entry.name, $0) } })
        }
    }

    public let topology: Topology
    public let nodes: [RunningNode]
    public let actors: Nodes
    public let endpoints: EndpointTable
    public let control: ControlPlane
    public let pki: PKIDirectory
    public let clock: SimulationClock
    /// Each node's store, by node name.
    public let stores: [String: any NodeStore]
    private let servers: [RPCServer]
    private let directories: [PeerDirectory]
    private let environments: [NodeEnvironment]

    private init(
        topology: Topology, nodes: [RunningNode], actors: Nodes, endpoints: EndpointTable, control: ControlPlane, pki: PKIDirectory,
        clock: SimulationClock,
        servers: [RPCServer], directories: [PeerDirectory], environments: [NodeEnvironment]
    ) {
        self.topology = topology
        self.nodes = nodes
        self.actors = actors
        self.endpoints = endpoints
        self.control = control
        self.pki = pki
        self.clock = clock
        self.servers = servers
        self.directories = directories
        self.environments = environments
        self.stores = Dictionary(uniqueKeysWithValues: environments.map { ($0.name, $0.store) })
    }

    /// Starts the nodes of `plans` (by default every node of `topology`). Certificates come
    /// from `pki` (made when missing); `store(name, credentials)` opens each node's store.
    public static func start(
        topology: Topology,
        pki: PKIDirectory,
        store: (String, Credentials) throws(RenkeiError) -> any NodeStore,
        clock: SimulationClock = SimulationClock(),
        control: ControlPlane = ControlPlane(),
        plans: [NodePlan]? = nil,
        logger: Logger
    ) async throws(RenkeiError) -> LinkageNetwork {
        try pki.ensure(topology.certificateSubjects)
        let plans = if let plans { plans } else { try NodePlan.all(for: topology, pki: pki) }
        let endpoints = EndpointTable()
        var started = Started()
        do throws(RenkeiError) {
            for plan in plans {
                // Peers' certificates are judged on the simulation clock, as everything else is.
                let credentials = try pki.credentials(for: plan.name).on(clock)
                let peers = PeerDirectory(endpoints: endpoints, credentials: credentials, topology: topology, logger: logger)
                started.directories.append(peers)
                var nodeLogger = logger
                nodeLogger[metadataKey: "node"] = "\(plan.name)"
                let environment = NodeEnvironment(
                    name: plan.name, topology: topology, credentials: credentials, peers: peers, store: try store(plan.name, credentials),
                    clock: clock,
                    logger: nodeLogger, control: control
                )
                started.environments.append(environment)
                let node = try await plan.make(environment)
                started.nodes.append((plan.name, node))
                let server = try await serve(node, plan: plan, environment: environment, faults: control.faults)
                started.servers.append(server)
                endpoints.set(plan.name, server.address)
                started.running.append(RunningNode(name: plan.name, role: plan.role, address: server.address, summary: plan.summary))
                await node.start()
            }
        } catch {
            await started.stop()
            throw error
        }
        return LinkageNetwork(
            topology: topology, nodes: started.running, actors: Nodes(all: started.nodes), endpoints: endpoints, control: control, pki: pki,
            clock: clock,
            servers: started.servers, directories: started.directories, environments: started.environments
        )
    }

    /// What has started so far, to stop it all if a later node fails to start.
    private struct Started {
        var nodes = [(name: String, node: any LinkageNode)]()
        var running = [RunningNode]()
        var servers = [RPCServer]()
        var directories = [PeerDirectory]()
        var environments = [NodeEnvironment]()

        func stop() async {
            for entry in nodes { await entry.node.stop() }
            for server in servers { await server.stop() }
            for directory in directories { await directory.shutdown() }
            for environment in environments { await environment.store.close() }
        }
    }

    /// The node's RPC server on its address, with the injected faults in front of its routes.
    private static func serve(
        _ node: any LinkageNode, plan: NodePlan, environment: NodeEnvironment, faults: FaultInjector
    ) async throws(RenkeiError) -> RPCServer {
        let name = plan.name
        return try await RPCServer.start(
            configuration: .init(
                listen: plan.listen, maximumFrameBytes: environment.topology.wire.maximumFrameBytes,
                admitted: environment.topology.certificateHolders),
            credentials: environment.credentials,
            router: node.router.intercepted { context in try await faults.applyAtNode(name, peer: context.peer.name, deadline: context.deadline) },
            observer: AuditingObserver(environment: environment),
            logger: environment.logger
        )
    }

    /// Stops every node: servers first, so no new work arrives, then the clients, then the
    /// stores (each signs a last audit checkpoint).
    public func stop() async {
        for entry in actors.all { await entry.node.stop() }
        for server in servers.reversed() { await server.stop() }
        for directory in directories { await directory.shutdown() }
        for environment in environments { await environment.store.close() }
    }

    /// Loads a scenario's population into every node's store and into the nodes' memory.
    public func seed(_ scenario: Scenario, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws(RenkeiError) -> DataSeeder.Summary {
        let summary = try await DataSeeder(topology: topology, networkSystem: pki.credentials(for: topology.networkSystem.name))
            .seed(scenario, into: stores, clock: clock, progress: progress)
        try await reload()
        control.scenario.set(summary)
        return summary
    }

    /// Empties every node (state and records; the audit logs record the reset and go on),
    /// clears the journal and the faults, and seeds `scenario`.
    public func reset(to scenario: Scenario, by actor: String) async throws(RenkeiError) -> DataSeeder.Summary {
        for environment in environments {
            try await environment.store.commit([.stateReset, environment.audit(.administration, actor: actor, "reset to scenario \(scenario.name)")])
        }
        control.journal.clear()
        control.faults.clear()
        return try await seed(scenario)
    }

    private func reload() async throws(RenkeiError) {
        for entry in actors.all { try await entry.node.reload() }
    }

    /// Deletes, at every node, the 情報提供等記録 past the retention period, and records that
    /// in each node's audit log. Returns the count per node.
    public func purgeExpiredRecords() async throws(RenkeiError) -> [String: Int] {
        var purged = [String: Int]()
        for environment in environments {
            purged[environment.name] = try await Retention.purge(environment)
        }
        return purged
    }
}

extension LinkageNetwork {
    /// How the HTTPS edge of `node` reaches the linkage: an AddressSystem's for its
    /// municipality's systems, a 中間サーバー's for the systems of its tenants without one.
    package func edgeLinkage(of node: String) -> EdgeLinkage? {
        switch actors.all.first(where: { $0.name == node })?.node {
        case let addressSystem as AddressSystem: EdgeLinkage(router: addressSystem.router, servesTenants: false)
        case let server as IntermediateServer: EdgeLinkage(router: server.router, servesTenants: true)
        default: nil
        }
    }
}
