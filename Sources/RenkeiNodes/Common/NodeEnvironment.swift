public import Logging
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiStore

/// What every node is made of besides its own state.
public struct NodeEnvironment: Sendable {
    public let name: String
    public let topology: Topology
    public let credentials: Credentials
    public let peers: PeerDirectory
    public let store: any NodeStore
    public let clock: SimulationClock
    public let logger: Logger

    public init(name: String, topology: Topology, credentials: Credentials, peers: PeerDirectory, store: any NodeStore, clock: SimulationClock, logger: Logger) {
        self.name = name
        self.topology = topology
        self.credentials = credentials
        self.peers = peers
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public func audit(_ kind: AuditEvent.Kind, actor: String?, _ detail: String) -> StoreWrite {
        .audit(AuditEvent(kind: kind, at: clock.nowMicros(), actor: actor, detail: detail))
    }
}
