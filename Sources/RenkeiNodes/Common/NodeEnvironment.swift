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
    public let control: ControlPlane

    public init(
        name: String, topology: Topology, credentials: Credentials, peers: PeerDirectory, store: any NodeStore, clock: SimulationClock, logger: Logger,
        control: ControlPlane = ControlPlane()
    ) {
        self.name = name
        self.topology = topology
        self.credentials = credentials
        self.peers = peers
        self.store = store
        self.clock = clock
        self.logger = logger
        self.control = control
    }

    /// Adds a step to the decision trace of the request the query belongs to. Requests from
    /// outside the edge have no trace, and then the detail is never built.
    func trace(_ traceID: String, _ check: String, _ result: String, field: String? = nil, _ detail: @autoclosure () -> String) {
        guard !traceID.isEmpty else { return }
        control.journal.step(traceID, node: name, check: check, result: result, field: field, detail: detail(), at: clock.nowMicros())
    }

    public func audit(_ kind: AuditEvent.Kind, actor: String?, _ detail: String) -> StoreWrite {
        .audit(AuditEvent(kind: kind, at: clock.nowMicros(), actor: actor, detail: detail))
    }
}
