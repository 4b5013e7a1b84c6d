import Crypto
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
        public let networkSystem: NetworkSystem
        public let residentRegistry: ResidentRegistry
        public let intermediateServers: [String: IntermediateServer]
        public let addressSystems: [String: AddressSystem]
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
        topology: Topology, nodes: [RunningNode], actors: Nodes, endpoints: EndpointTable, control: ControlPlane, pki: PKIDirectory, clock: SimulationClock,
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

    /// Starts every node of `topology`. Certificates come from `pki` (made when missing);
    /// `store(name, credentials)` opens each node's store.
    public static func start(
        topology: Topology,
        pki: PKIDirectory,
        store: (String, Credentials) throws(RenkeiError) -> any NodeStore,
        clock: SimulationClock = SimulationClock(),
        control: ControlPlane = ControlPlane(),
        logger: Logger
    ) async throws(RenkeiError) -> LinkageNetwork {
        try pki.ensure(topology.certificateSubjects)
        let endpoints = EndpointTable()
        var servers = [RPCServer]()
        var directories = [PeerDirectory]()
        var nodes = [RunningNode]()
        var environments = [NodeEnvironment]()
        let networkSystemKey = try PeerIdentity.signingKey(of: pki.certificate(for: topology.networkSystem.name))

        func environment(_ name: String) throws(RenkeiError) -> NodeEnvironment {
            let credentials = try pki.credentials(for: name)
            let peers = PeerDirectory(endpoints: endpoints, credentials: credentials, wire: topology.wire, logger: logger)
            directories.append(peers)
            var nodeLogger = logger
            nodeLogger[metadataKey: "node"] = "\(name)"
            let environment = NodeEnvironment(
                name: name, topology: topology, credentials: credentials, peers: peers, store: try store(name, credentials), clock: clock, logger: nodeLogger,
                control: control
            )
            environments.append(environment)
            return environment
        }

        func serve(_ name: String, role: NodeRole, listen: Endpoint, router: RPCRouter, summary: String, environment: NodeEnvironment) async throws(RenkeiError) {
            let faults = control.faults
            let server = try await RPCServer.start(
                configuration: .init(listen: listen, maximumFrameBytes: topology.wire.maximumFrameBytes),
                credentials: environment.credentials,
                router: router.intercepted { context in try await faults.applyAtNode(name, peer: context.peer.name, deadline: context.deadline) },
                observer: AuditingObserver(environment: environment),
                logger: environment.logger
            )
            servers.append(server)
            endpoints.set(name, server.address)
            nodes.append(RunningNode(name: name, role: role, address: server.address, summary: summary))
        }

        var intermediateServers = [String: IntermediateServer]()
        do throws(RenkeiError) {
            let nws = try environment(topology.networkSystem.name)
            var serverKeys = [String: P256.Signing.PublicKey]()
            for spec in topology.intermediateServers {
                serverKeys[spec.name] = try PeerIdentity.signingKey(of: pki.certificate(for: spec.name))
            }
            let networkSystem = try await NetworkSystem(environment: nws, intermediateServerKeys: serverKeys)
            try await serve(nws.name, role: .networkSystem, listen: topology.networkSystem.listen, router: networkSystem.router,
                            summary: "情報提供ネットワークシステム", environment: nws)

            let jlis = try environment(topology.residentRegistry.name)
            let residentRegistry = try await ResidentRegistry(environment: jlis)
            try await serve(jlis.name, role: .residentRegistry, listen: topology.residentRegistry.listen, router: residentRegistry.router,
                            summary: "住基ネット (J-LIS)", environment: jlis)

            for spec in topology.intermediateServers {
                let node = try environment(spec.name)
                let server = try await IntermediateServer(environment: node, tenantIDs: spec.tenants, networkSystemKey: networkSystemKey)
                intermediateServers[spec.name] = server
                let tenants = spec.tenants.compactMap { topology.organization(id: $0)?.name }.joined(separator: ", ")
                try await serve(spec.name, role: .intermediateServer, listen: spec.listen, router: server.router,
                                summary: "中間サーバー \(spec.description) — \(tenants)", environment: node)
                await server.startTimers()
            }
            var addressSystems = [String: AddressSystem]()
            for spec in topology.addressSystems {
                let node = try environment(spec.name)
                let system = try await AddressSystem(environment: node, organizationID: spec.organization)
                addressSystems[spec.name] = system
                try await serve(spec.name, role: .addressSystem, listen: spec.listen, router: system.router,
                                summary: "団体内統合宛名システム — \(system.organization.name)", environment: node)
            }
            return LinkageNetwork(
                topology: topology, nodes: nodes,
                actors: Nodes(networkSystem: networkSystem, residentRegistry: residentRegistry, intermediateServers: intermediateServers, addressSystems: addressSystems),
                endpoints: endpoints, control: control, pki: pki, clock: clock, servers: servers, directories: directories, environments: environments
            )
        } catch {
            for server in intermediateServers.values { await server.stop() }
            for server in servers { await server.stop() }
            for directory in directories { await directory.shutdown() }
            for environment in environments { await environment.store.close() }
            throw error
        }
    }

    /// Stops every node: servers first, so no new work arrives, then the clients, then the
    /// stores (each signs a last audit checkpoint).
    public func stop() async {
        for server in actors.intermediateServers.values { await server.stop() }
        for server in servers.reversed() { await server.stop() }
        for directory in directories { await directory.shutdown() }
        for environment in environments { await environment.store.close() }
    }

    /// Loads a scenario's population into every node's store and into the nodes' memory.
    public func seed(_ scenario: Scenario, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws(RenkeiError) -> DataSeeder.Summary {
        let summary = try await DataSeeder(topology: topology, networkSystem: pki.credentials(for: topology.networkSystem.name))
            .seed(scenario, into: stores, clock: clock, progress: progress)
        try await reload()
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
        try await actors.networkSystem.reload()
        try await actors.residentRegistry.reload()
        for server in actors.intermediateServers.values { try await server.reload() }
        for system in actors.addressSystems.values { try await system.reload() }
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
    public func edgeLinkage(of node: String) -> EdgeLinkage? {
        if let addressSystem = actors.addressSystems[node] { return EdgeLinkage(router: addressSystem.router, servesTenants: false) }
        if let server = actors.intermediateServers[node] { return EdgeLinkage(router: server.router, servesTenants: true) }
        return nil
    }
}
