public import RenkeiCore

/// Where a node makes its changes durable.
public protocol NodeStore: Sendable {
    /// Applies the writes atomically; returns only once they are durable.
    func commit(_ writes: [StoreWrite]) async throws(RenkeiError)

    /// The node's current state as writes, to rebuild its memory at start, with the rows
    /// that could not be read back.
    func loadState() async throws(RenkeiError) -> StoredState

    /// The 情報提供等記録 that match, newest first.
    func records(_ query: RecordQuery) async throws(RenkeiError) -> [ProvisionRecord]

    /// How many records match (the limit is ignored).
    func countRecords(_ query: RecordQuery) async throws(RenkeiError) -> Int

    /// How many records were requested before `micros` (what a purge would delete).
    func countRecords(requestedBefore micros: Int64) async throws(RenkeiError) -> Int

    /// The stored state of one inquiry, for polling results that are no longer in memory.
    func inquiryPayload(tenant: OrganizationCode, reception: ReceptionNumber) async throws(RenkeiError) -> [UInt8]?

    /// The audit log, oldest first.
    func auditEvents() async throws(RenkeiError) -> [AuditEvent]

    /// Makes everything durable and releases the store.
    func close() async

    /// Tells `observer` of every commit from now on (one observer; a second replaces it).
    func observe(_ observer: any StoreObserver)

    // MARK: the witness

    /// Whether the disk is full and the store runs on its reserve: the node records what it has
    /// seen and takes nothing new.
    var isOnReserve: Bool { get }

    /// Whether other replicas of the node write the same store: then what a node keeps in memory
    /// may be behind it, and a miss is looked up again (`reload`) before it is refused.
    var isShared: Bool { get }

    /// Whether the store keeps a signed audit log that a witness can stamp (SQLite does; the
    /// memory store keeps events only).
    var keepsSignedLog: Bool { get }

    /// Each checkpoint the store signs, as it is committed, for the witness to stamp.
    var signedCheckpoints: AsyncStream<AuditCheckpoint> { get }

    /// Signs a checkpoint over everything written so far (when anything is new) and returns the
    /// newest checkpoint; nil when the log is empty.
    func checkpointNow() async throws(RenkeiError) -> AuditCheckpoint?

    /// The Merkle root and chain hash of the log's first `size` entries, from the stored leaf
    /// hashes; nil when the log has fewer.
    func auditState(at size: Int) async throws(RenkeiError) -> (root: [UInt8], chain: [UInt8])?
}

extension NodeStore {
    public var isOnReserve: Bool { false }
    public var isShared: Bool { false }
    public var keepsSignedLog: Bool { false }
    public var signedCheckpoints: AsyncStream<AuditCheckpoint> { AsyncStream { $0.finish() } }
    public func checkpointNow() async throws(RenkeiError) -> AuditCheckpoint? { nil }
    public func auditState(at size: Int) async throws(RenkeiError) -> (root: [UInt8], chain: [UInt8])? { nil }
}
