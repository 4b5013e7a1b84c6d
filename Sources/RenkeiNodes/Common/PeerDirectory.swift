public import Logging
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiWire
import Synchronization

/// One node's clients to the other nodes, made on first use and kept.
public final class PeerDirectory: Sendable {
    private let endpoints: EndpointTable
    private let credentials: Credentials
    private let wire: Topology.WireSettings
    /// The role each named holder's certificate carries, checked in the handshake with its name.
    private let roles: [String: NodeRole]
    private let logger: Logger
    private let clients = Mutex<[String: RPCClient]>([:])

    public init(endpoints: EndpointTable, credentials: Credentials, topology: Topology, logger: Logger) {
        self.endpoints = endpoints
        self.credentials = credentials
        self.wire = topology.wire
        roles = Dictionary(topology.certificateSubjects.map { ($0.name, $0.role) }) { first, _ in first }
        self.logger = logger
    }

    /// The client for the node named `name`; its certificate must carry that name.
    public func client(_ name: String) throws(RenkeiError) -> RPCClient {
        if let existing = clients.withLock({ $0[name] }) { return existing }
        let addresses = endpoints.replicas(of: name)
        guard let endpoint = addresses.first else {
            throw RenkeiError(.unknownOrganization, "no address is known for node \(name); check the topology")
        }
        var configuration = RPCClient.Configuration(
            target: endpoint, expectedPeer: name, expectedRole: roles[name], connections: wire.connectionsPerPeer,
            maximumFrameBytes: wire.maximumFrameBytes)
        configuration.replicas = Array(addresses.dropFirst())
        let client = try RPCClient(
            configuration: configuration,
            credentials: credentials,
            logger: logger
        )
        return clients.withLock { clients in
            if let raced = clients[name] { return raced }
            clients[name] = client
            return client
        }
    }

    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { await client.shutdown() }
    }
}
