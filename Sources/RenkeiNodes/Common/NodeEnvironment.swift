public import Logging
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiStore
import RenkeiWire

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
    /// Who may call what, for every request this node serves.
    public let policy: AccessPolicy
    /// What the node counts, for its /metrics.
    public let metrics: NodeMetrics

    public init(
        name: String, topology: Topology, credentials: Credentials, peers: PeerDirectory, store: any NodeStore, clock: SimulationClock,
        logger: Logger,
        control: ControlPlane = ControlPlane(),
        metrics: NodeMetrics? = nil
    ) {
        self.name = name
        self.topology = topology
        self.credentials = credentials
        self.peers = peers
        self.store = store
        self.clock = clock
        self.logger = logger
        self.control = control
        policy = AccessPolicy(topology: topology)
        let metrics = metrics ?? NodeMetrics(node: name, enabled: topology.metrics != nil)
        self.metrics = metrics
        if metrics.isEnabled { store.observe(metrics) }
    }

    /// Adds a step to the decision trace of the request the query belongs to. Requests from
    /// outside the edge have no trace, and then the detail is never built.
    func trace(_ traceID: String, _ check: String, _ result: String, field: String? = nil, _ detail: @autoclosure () -> String) {
        guard !traceID.isEmpty else { return }
        control.journal.step(traceID, node: name, check: check, result: result, field: field, detail: detail(), at: clock.nowMicros())
    }

    /// Runs a business system's request inside a request-journal entry when it came over the
    /// wire (`renkei inquire`, `renkei load`, a vendor's own client): an edge opened one already
    /// for what it relays in process, and requests between nodes are not business requests.
    /// `trace` is the request's own trace id, if it carries one; `body` gets the entry's.
    func journaled<T>(
        _ context: RequestContext, _ operation: String, _ request: @autoclosure () -> [String: String], trace: String = "",
        reception: (T) -> String? = { _ in nil },
        _ body: (String) async throws(RenkeiError) -> T
    ) async throws(RenkeiError) -> T {
        guard context.peer.role == .businessSystem, !context.journaled, trace.isEmpty else { return try await body(trace) }
        return try await control.journal.run(
            interface: .wire, identity: context.peer.name, operation: operation, request: request(), clock: clock, reception: reception, body)
    }

    /// The node's stored state. A row that cannot be read back is skipped and named (node,
    /// table, rowid, why), and the node serves the rest.
    func loadState() async throws(RenkeiError) -> [StoreWrite] {
        let state = try await store.loadState()
        for row in state.damaged {
            logger.error(
                "a stored row cannot be read back and is skipped; the node serves the rest",
                metadata: [
                    "node": "\(name)", "table": "\(row.table)", "row": "\(row.key)", "reason": "\(row.reason)",
                ])
        }
        return state.writes
    }

    /// Refuses new work while the disk is full (the store on its reserve).
    func requireSpace() throws(RenkeiError) {
        guard store.isOnReserve else { return }
        throw RenkeiError(
            .storeFull, "the disk of \(name) is full: it records what it has seen and takes no new exchange until space is freed")
    }

    public func audit(_ kind: AuditEvent.Kind, actor: String?, _ detail: String) -> StoreWrite {
        .audit(AuditEvent(kind: kind, at: clock.nowMicros(), actor: actor, detail: detail))
    }
}
