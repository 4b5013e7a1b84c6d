public import Crypto
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
    /// Each node's metrics, by node name.
    public let metrics: [String: NodeMetrics]
    private let servers: [RPCServer]
    private let directories: [PeerDirectory]
    private let environments: [NodeEnvironment]
    private let witnesses: [CheckpointWitness]

    private init(
        topology: Topology, nodes: [RunningNode], actors: Nodes, endpoints: EndpointTable, control: ControlPlane, pki: PKIDirectory,
        clock: SimulationClock,
        servers: [RPCServer], directories: [PeerDirectory], environments: [NodeEnvironment], witnesses: [CheckpointWitness]
    ) {
        self.witnesses = witnesses
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
        self.metrics = Dictionary(uniqueKeysWithValues: environments.map { ($0.name, $0.metrics) })
    }

    /// Starts the nodes of `plans` (by default every node of `topology`). Certificates come
    /// from `pki` (made when missing); `store(name, checkpointKey)` opens each node's store, whose
    /// checkpoints it signs with the node's checkpoint key. `endpoints` holds where the nodes
    /// started elsewhere listen (other processes or hosts); each node started here adds its own.
    /// `progress(started, total)` hears of each node that serves.
    public static func start(
        topology: Topology,
        pki: PKIDirectory,
        store: (String, P256.Signing.PrivateKey) throws(RenkeiError) -> any NodeStore,
        clock: SimulationClock = SimulationClock(),
        control: ControlPlane = ControlPlane(),
        plans: [NodePlan]? = nil,
        endpoints: EndpointTable = EndpointTable(),
        acceptAuditGap: Bool = false,
        logger: Logger,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws(RenkeiError) -> LinkageNetwork {
        // Issued on the simulation clock: a trainer who moves time past a certificate's expiry
        // gets it renewed here, as an operator would (the purpose keys stay).
        try pki.ensure(topology.certificateSubjects, tenants: topology.tenantIDs, now: clock.now)
        let plans = if let plans { plans } else { try NodePlan.all(for: topology, pki: pki) }
        // Once for all nodes: at national scale the holders are thousands, and every server admits the same.
        let admitted = topology.certificateHolders
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
                    name: plan.name, topology: topology, credentials: credentials, peers: peers,
                    store: try store(plan.name, pki.keys.signingKey(plan.name, .checkpoint)),
                    clock: clock,
                    logger: nodeLogger, control: control
                )
                started.environments.append(environment)
                // Before the node reads or writes anything: its log must extend what its
                // witness last stamped.
                var witness: CheckpointWitness?
                if let authority = topology.timeStampAuthority, plan.role != .timeStampAuthority, environment.store.keepsSignedLog {
                    let made = CheckpointWitness(
                        node: plan.name, authority: authority.name, store: environment.store, peers: peers,
                        authorityPEM: try NodePlan.text(pki.authorityURL), clock: clock, logger: nodeLogger)
                    try await made.checkAtStart(acceptGap: acceptAuditGap, storeFile: "the store of \(plan.name)")
                    witness = made
                }
                let node = try await plan.make(environment)
                started.nodes.append((plan.name, node))
                let server = try await serve(node, plan: plan, environment: environment, admitted: admitted, faults: control.faults)
                started.servers.append(server)
                endpoints.set(plan.name, server.address)
                started.running.append(RunningNode(name: plan.name, role: plan.role, address: server.address, summary: plan.summary))
                if let witness {
                    try await witness.start()
                    started.witnesses.append(witness)
                }
                await node.start()
                progress(started.nodes.count, plans.count)
            }
        } catch {
            await started.stop()
            throw error
        }
        return LinkageNetwork(
            topology: topology, nodes: started.running, actors: Nodes(all: started.nodes), endpoints: endpoints, control: control, pki: pki,
            clock: clock,
            servers: started.servers, directories: started.directories, environments: started.environments, witnesses: started.witnesses
        )
    }

    /// What has started so far, to stop it all if a later node fails to start.
    private struct Started {
        var nodes = [(name: String, node: any LinkageNode)]()
        var running = [RunningNode]()
        var servers = [RPCServer]()
        var directories = [PeerDirectory]()
        var environments = [NodeEnvironment]()
        var witnesses = [CheckpointWitness]()

        func stop() async {
            for entry in nodes { await entry.node.stop() }
            for witness in witnesses { await witness.finish() }
            for server in servers { await server.stop() }
            for directory in directories { await directory.shutdown() }
            for environment in environments { await environment.store.close() }
        }
    }

    /// The node's RPC server on its address, with the injected faults in front of its routes.
    private static func serve(
        _ node: any LinkageNode, plan: NodePlan, environment: NodeEnvironment, admitted: Set<PeerIdentity>, faults: FaultInjector
    ) async throws(RenkeiError) -> RPCServer {
        let name = plan.name
        return try await RPCServer.start(
            configuration: .init(
                listen: plan.listen, maximumFrameBytes: environment.topology.wire.maximumFrameBytes,
                admitted: admitted),
            credentials: environment.credentials,
            router: node.router.intercepted { context in try await faults.applyAtNode(name, peer: context.peer.name, deadline: context.deadline) },
            observer: AuditingObserver(environment: environment),
            logger: environment.logger
        )
    }

    /// Stops every node: servers first, so no new work arrives (the witness's last), then the
    /// clients, then the stores. Each node has a last checkpoint stamped while the witness still
    /// runs; a store signs one more at close only if something was written after it.
    public func stop() async {
        for entry in actors.all { await entry.node.stop() }
        let witnessServers = Set(nodes.filter { $0.role == .timeStampAuthority }.map(\.address))
        for server in servers.reversed() where !witnessServers.contains(server.address) { await server.stop() }
        for witness in witnesses { await witness.finish() }
        for server in servers where witnessServers.contains(server.address) { await server.stop() }
        for directory in directories { await directory.shutdown() }
        for environment in environments { await environment.store.close() }
    }

    /// Whether some of the topology's nodes run elsewhere (`renkei node`): then this process
    /// seeds, reconciles and administers its own nodes only.
    public var isPartial: Bool { nodes.count < topology.nodes.count }

    /// Loads a scenario's population into every node's store and into the nodes' memory.
    public func seed(_ scenario: Scenario, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws(RenkeiError) -> DataSeeder.Summary {
        let summary = try await DataSeeder(topology: topology, pki: pki)
            .seed(scenario, into: stores, partial: isPartial, clock: clock, progress: progress)
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
