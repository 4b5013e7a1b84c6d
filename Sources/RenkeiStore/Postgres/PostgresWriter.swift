import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO
import RenkeiCore

/// One replica's writer: queues commits and runs whatever has queued up as one transaction,
/// which locks the shared audit head first (see PostgresStore).
actor PostgresWriter {
    /// What one transaction carried, told to the first caller of the group (for the metrics).
    struct Group: Sendable {
        let commits: Int
        let writes: Int
    }

    private struct Job {
        let writes: [StoreWrite]
        let continuation: CheckedContinuation<Group?, any Error>
    }

    let client: PostgresClient
    let node: String
    private let table: PostgresTables
    private let signingKey: P256.Signing.PrivateKey
    private let options: PostgresStore.Options
    private let clock: SimulationClock
    private let logger: Logger
    private let checkpoints: AsyncStream<AuditCheckpoint>.Continuation
    private var waiting: [Job] = []
    private var draining = false
    private var drained: [CheckedContinuation<Void, Never>] = []

    init(
        client: PostgresClient, schema: String, node: String, signingKey: P256.Signing.PrivateKey, options: PostgresStore.Options,
        clock: SimulationClock, logger: Logger, checkpoints: AsyncStream<AuditCheckpoint>.Continuation
    ) {
        self.client = client
        self.table = PostgresTables(schema: schema)
        self.node = node
        self.signingKey = signingKey
        self.options = options
        self.clock = clock
        self.logger = logger
        self.checkpoints = checkpoints
    }

    func commit(_ writes: [StoreWrite]) async throws(RenkeiError) -> Group? {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Group?, any Error>) in
                waiting.append(Job(writes: writes, continuation: continuation))
                guard !draining else { return }
                draining = true
                Task { await self.drain() }
            }
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw failure(error)
        }
    }

    /// Commits every queued job, group by group, until none is left.
    private func drain() async {
        while !waiting.isEmpty {
            let jobs = waiting
            waiting.removeAll(keepingCapacity: true)
            let writes = jobs.flatMap(\.writes)
            do {
                try await transaction(writes)
                for (index, job) in jobs.enumerated() {
                    job.continuation.resume(returning: index == 0 ? Group(commits: jobs.count, writes: writes.count) : nil)
                }
            } catch {
                guard jobs.count > 1 else {
                    jobs[0].continuation.resume(throwing: failure(error))
                    continue
                }
                // One job's bad write must not fail the others: retry each on its own.
                for job in jobs {
                    do {
                        try await transaction(job.writes)
                        job.continuation.resume(returning: Group(commits: 1, writes: job.writes.count))
                    } catch {
                        job.continuation.resume(throwing: failure(error))
                    }
                }
            }
        }
        draining = false
        for waiter in drained { waiter.resume() }
        drained.removeAll()
    }

    /// Returns once nothing is queued or being written, and ends the checkpoint stream.
    func finish() async {
        if draining { await withCheckedContinuation { drained.append($0) } }
        checkpoints.finish()
    }

    private func failure(_ error: any Error) -> RenkeiError {
        if let error = PostgresFailure.cause(error) as? RenkeiError { return error }
        if let timeout = error as? PostgresTimeout {
            // The transaction may still commit after this: its outcome is not known here.
            return RenkeiError(
                .unavailable,
                "the PostgreSQL store of \(node) did not finish a write within \(timeout.seconds) s; it may yet be kept (renkei records reconcile compares the parties' records)"
            )
        }
        return RenkeiError(
            .unavailable, "the PostgreSQL store of \(node) refused a write (nothing of it was kept): \(PostgresFailure.describe(error))")
    }

    // MARK: one transaction

    /// One transaction, bounded by the store's timeout.
    private func transaction(_ writes: [StoreWrite]) async throws {
        var attempt = 0
        while true {
            do {
                let signed = try await PostgresStore.bounded(options.timeout, node: node) { try await self.unboundedTransaction(writes) }
                if let signed { checkpoints.yield(signed) }
                return
            } catch  where PostgresFailure.isTransient(error) && attempt < 3 {
                // Rolled back whole by the server: nothing of it was kept, so it is safe to run again.
                attempt += 1
            }
        }
    }

    private func unboundedTransaction(_ writes: [StoreWrite]) async throws -> AuditCheckpoint? {
        try await client.withTransaction(logger: logger) { connection -> AuditCheckpoint? in
            var head = try await lockHead(connection)
            var pending = PendingRows()
            for write in writes { try await apply(write, head: &head, pending: &pending, connection) }
            try await pending.flush(table, connection, logger: logger)
            let now = clock.nowMicros()
            let due =
                head.size - head.checkpointedSize >= options.checkpointEvery
                || (head.size > head.checkpointedSize && now - head.checkpointedAt >= options.checkpointInterval.microsecondsValue)
            let signed = due ? try await checkpoint(&head, at: now, connection) : nil
            try await storeHead(head, connection)
            return signed
        }
    }

    /// Signs a checkpoint over everything written (when anything is new, by either replica) and
    /// returns the newest.
    func checkpointNow() async throws(RenkeiError) -> AuditCheckpoint? {
        do {
            let signed = try await client.withTransaction(logger: logger) { connection -> AuditCheckpoint? in
                var head = try await lockHead(connection)
                guard head.size > head.checkpointedSize else { return nil }
                let signed = try await checkpoint(&head, at: clock.nowMicros(), connection)
                try await storeHead(head, connection)
                return signed
            }
            if let signed { return signed }
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT size, root, chain, at, signature, frontier FROM \(table.checkpoints) ORDER BY size DESC LIMIT 1"),
                logger: logger
            ).collect()
            return try rows.first.map(PostgresRows.checkpoint)
        } catch {
            throw failure(error)
        }
    }

    private func lockHead(_ connection: PostgresConnection) async throws -> AuditHead {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT size, chain, frontier, checkpointed_size, checkpointed_at FROM \(table.head) WHERE id = 1 FOR UPDATE"),
            logger: logger
        ).collect()
        guard let row = rows.first else {
            throw RenkeiError(.storeDamaged, "the audit head of \(node) is missing from \(table.head); run renkei audit verify")
        }
        let (size, chain, frontierBytes, checkpointedSize, checkpointedAt) = try row.decode((Int64, ByteBuffer, ByteBuffer, Int64, Int64).self)
        guard let frontier = MerkleTree.Frontier(serialized: Array(frontierBytes.readableBytesView)), frontier.size == Int(size),
            chain.readableBytes == 32
        else {
            throw RenkeiError(.storeDamaged, "the audit head of \(node) in \(table.head) is damaged; run renkei audit verify")
        }
        return AuditHead(
            size: Int(size), chain: Array(chain.readableBytesView), frontier: frontier, checkpointedSize: Int(checkpointedSize),
            checkpointedAt: checkpointedAt)
    }

    private func storeHead(_ head: AuditHead, _ connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        binds.append(Int64(head.size))
        binds.append(ByteBuffer(bytes: head.chain))
        binds.append(ByteBuffer(bytes: head.frontier.serialized))
        binds.append(Int64(head.checkpointedSize))
        binds.append(head.checkpointedAt)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: "UPDATE \(table.head) SET size = $1, chain = $2, frontier = $3, checkpointed_size = $4, checkpointed_at = $5 WHERE id = 1",
                binds: binds),
            logger: logger)
    }

    private func checkpoint(_ head: inout AuditHead, at now: Int64, _ connection: PostgresConnection) async throws -> AuditCheckpoint {
        let checkpoint = try AuditCheckpoint.make(node: node, size: head.size, root: head.frontier.root, chain: head.chain, at: now, key: signingKey)
        var binds = PostgresBindings()
        binds.append(Int64(checkpoint.size))
        binds.append(ByteBuffer(bytes: checkpoint.root))
        binds.append(ByteBuffer(bytes: checkpoint.chain))
        binds.append(checkpoint.at)
        binds.append(ByteBuffer(bytes: checkpoint.signature))
        binds.append(ByteBuffer(bytes: head.frontier.serialized))
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(table.checkpoints) (size, root, chain, at, signature, frontier) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (size) DO NOTHING
                    """, binds: binds),
            logger: logger)
        head.checkpointedSize = head.size
        head.checkpointedAt = now
        return checkpoint
    }

    /// Appends `event` to the log (buffered until the transaction's flush); returns its position.
    @discardableResult
    private func append(_ event: AuditEvent, head: inout AuditHead, pending: inout PendingRows) -> Int {
        let sequence = head.size
        let leaf = MerkleTree.leafHash(AuditEntry.canonicalBytes(sequence: sequence, event: event))
        let chain = AuditEntry.chain(previous: head.chain, leaf: leaf)
        pending.audit.append(AuditExport.Line(AuditEntry(sequence: sequence, event: event, leaf: leaf, chain: chain)))
        head.size += 1
        head.chain = chain
        head.frontier.append(leaf)
        return sequence
    }

    private func apply(_ write: StoreWrite, head: inout AuditHead, pending: inout PendingRows, _ connection: PostgresConnection) async throws {
        func run(_ sql: String, _ values: String...) async throws {
            var binds = PostgresBindings()
            for value in values { binds.append(value) }
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
        /// Deletes inside the transaction with the append-only triggers released for it alone.
        func released(_ statements: [String]) async throws {
            try await pending.flush(table, connection, logger: logger)
            try await connection.query("SELECT set_config('renkei.release', 'on', true)", logger: logger)
            for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            try await connection.query("SELECT set_config('renkei.release', 'off', true)", logger: logger)
        }
        switch write {
        case let .processingNumberIssued(number, organization):
            try await run(
                "INSERT INTO \(table.processingNumbers) (number, organization) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET organization = EXCLUDED.organization",
                number.rawValue, organization.rawValue)
        case let .processingNumberUsed(number):
            try await run("DELETE FROM \(table.processingNumbers) WHERE number = $1", number.rawValue)
        case let .manualExchange(exchange):
            let payload: Data
            do { payload = try JSONEncoder().encode(exchange) } catch {
                throw RenkeiError(.internalError, "manual exchange \(exchange.reception) does not encode: \(error)")
            }
            var binds = PostgresBindings()
            binds.append(exchange.reception)
            binds.append(ByteBuffer(bytes: payload))
            try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "INSERT INTO \(table.manualExchanges) (reception_number, payload) VALUES ($1, $2) ON CONFLICT (reception_number) DO UPDATE SET payload = EXCLUDED.payload",
                    binds: binds),
                logger: logger)
        case let .record(record):
            // Each record enters the audit log by its digest (the same as SQLite's), and names its entry.
            let columns = StoredRecordColumns(record)
            let digest = RowDigest.of(columns.digestValues)
            let sequence = append(
                AuditEvent(
                    kind: .recordWritten, at: clock.nowMicros(), actor: nil,
                    detail: RowEntryDetail.make([("requested_at", "\(record.requestedAt)")], digest: digest)),
                head: &head, pending: &pending)
            pending.records.append(PendingRows.RecordRow(columns: columns, auditSequence: Int64(sequence)))
        case let .recordsPurged(before):
            append(
                AuditEvent(kind: .rowsRemoved, at: clock.nowMicros(), actor: nil, detail: "records requested_before=\(before)"), head: &head,
                pending: &pending)
            try await released(["DELETE FROM \(table.records) WHERE requested_at < \(before)"])
        case .stateReset:
            append(
                AuditEvent(kind: .rowsRemoved, at: clock.nowMicros(), actor: nil, detail: "all records and used_permits (reset)"), head: &head,
                pending: &pending)
            try await released([
                "DELETE FROM \(table.processingNumbers)", "DELETE FROM \(table.manualExchanges)", "DELETE FROM \(table.records)",
            ])
        case .usedPermitsPruned:
            // The network system keeps no used permits (the provider's 中間サーバー does).
            break
        case let .audit(event):
            append(event, head: &head, pending: &pending)
        case let .checkpointStamped(witnessed):
            var binds = PostgresBindings()
            binds.append(Int64(witnessed.checkpoint.size))
            binds.append(Int64(bitPattern: witnessed.serial))
            binds.append(witnessed.checkpoint.at)
            binds.append(witnessed.stampedAt)
            binds.append(ByteBuffer(bytes: witnessed.response))
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(table.stamps) (size, serial, checkpoint_at, stamped_at, response) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (size) DO NOTHING
                        """, binds: binds),
                logger: logger)
        default:
            throw RenkeiError(
                .invalidConfiguration,
                "the PostgreSQL store keeps the network system's state only; \(node) wrote \(write.caseName), which belongs to another kind of node: give that node a SQLite store"
            )
        }
    }
}

extension StoreWrite {
    /// The case's name alone (its values may be personal data): for messages.
    var caseName: String { Mirror(reflecting: self).children.first?.label ?? "\(self)".prefix(while: { $0 != "(" }).description }
}
