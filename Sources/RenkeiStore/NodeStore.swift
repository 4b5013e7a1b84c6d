public import RenkeiCore

/// Where a node makes its changes durable.
public protocol NodeStore: Sendable {
    /// Applies the writes atomically; returns only once they are durable.
    func commit(_ writes: [StoreWrite]) async throws(RenkeiError)

    /// Every state write committed so far, in order, to rebuild the node's memory at start.
    func stateWrites() async throws(RenkeiError) -> [StoreWrite]

    /// The 情報提供等記録 committed so far, oldest first.
    func records() async throws(RenkeiError) -> [ProvisionRecord]

    /// The audit events committed so far, oldest first.
    func auditEvents() async throws(RenkeiError) -> [AuditEvent]
}
