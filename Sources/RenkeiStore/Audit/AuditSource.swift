public import RenkeiCore

/// A node's audit log and records as `audit verify` and reconciliation read them, from
/// whichever store keeps them: its SQLite file (`StoreReader`) or PostgreSQL (`PostgresStore`).
public protocol AuditSource: Sendable {
    /// Verifies the whole audit log, its checkpoints and witness, and the append-only rows.
    func verifyAudit(with verifier: AuditVerifier) async throws(RenkeiError) -> Result<AuditVerifier.Report, AuditVerifier.Failure>
    /// The stamps the node keeps of its own checkpoints.
    func ownStamps() async throws(RenkeiError) -> [(size: Int, serial: UInt64, response: [UInt8])]
    func auditEntries() async throws(RenkeiError) -> [AuditEntry]
    func auditCheckpoints() async throws(RenkeiError) -> [AuditCheckpoint]
    func records(_ query: RecordQuery) async throws(RenkeiError) -> [ProvisionRecord]
    /// Lets go of the store (a no-op for a file).
    func close() async
}

extension StoreReader: AuditSource {
    public func close() async {}
}
