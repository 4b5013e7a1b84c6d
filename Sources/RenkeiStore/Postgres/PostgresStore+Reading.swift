import Foundation
import NIOCore
import PostgresNIO
public import RenkeiCore

extension PostgresStore {
    var table: PostgresTables { PostgresTables(schema: location.schema) }

    /// Runs a read and collects its rows; a failure names the server and what was being read.
    func rows(
        _ sql: String, _ binds: PostgresBindings = PostgresBindings(), reading what: String
    ) async throws(RenkeiError)
        -> [PostgresRow]
    {
        try await ready()
        let (client, logger) = (self.client, self.logger)
        do {
            return try await Self.bounded(timeout, node: node) {
                try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
            }
        } catch {
            throw failure(error, doing: "read \(what)")
        }
    }

    func decode<T>(_ rows: [PostgresRow], _ what: String, _ body: (PostgresRow) throws -> T) throws(RenkeiError) -> [T] {
        do { return try rows.map(body) } catch let error as RenkeiError { throw error } catch {
            throw RenkeiError(.storeDamaged, "\(what) of \(node) in PostgreSQL does not read: \(PostgresFailure.describe(error))")
        }
    }

    public func loadState() async throws(RenkeiError) -> StoredState {
        var state = StoredState()
        for row in try await rows("SELECT number, organization FROM \(table.processingNumbers)", reading: "the 処理通番") {
            do {
                let (number, organization) = try row.decode((String, String).self)
                state.writes.append(.processingNumberIssued(try ProcessingNumber(number), organization: try OrganizationCode(organization)))
            } catch {
                state.damaged.append(DamagedRow(table: table.processingNumbers, key: "a row", reason: PostgresFailure.describe(error)))
            }
        }
        for row in try await rows("SELECT reception_number, payload FROM \(table.manualExchanges)", reading: "the manual exchanges") {
            do {
                let (reception, payload) = try row.decode((String, ByteBuffer).self)
                do {
                    state.writes.append(.manualExchange(try JSONDecoder().decode(ManualExchange.self, from: Data(payload.readableBytesView))))
                } catch {
                    state.damaged.append(
                        DamagedRow(table: table.manualExchanges, key: "reception_number = '\(reception.excerpt(40))'", reason: "\(error)"))
                }
            } catch {
                state.damaged.append(DamagedRow(table: table.manualExchanges, key: "a row", reason: PostgresFailure.describe(error)))
            }
        }
        return state
    }

    /// `query`'s filter with PostgreSQL's numbered parameters; nil when it matches nothing.
    private func filter(_ query: RecordQuery) -> (clause: String, binds: PostgresBindings)? {
        guard let filter = RecordFilter(query) else { return nil }
        var binds = PostgresBindings()
        for value in filter.values {
            switch value {
            case let .text(text): binds.append(text)
            case let .integer(number): binds.append(number)
            case let .flag(flag): binds.append(flag)
            }
        }
        var clause = ""
        var number = 0
        for character in filter.clause {
            if character == "?" {
                number += 1
                clause += "$\(number)"
            } else {
                clause.append(character)
            }
        }
        return (clause, binds)
    }

    public func records(_ query: RecordQuery) async throws(RenkeiError) -> [ProvisionRecord] {
        guard var (clause, binds) = filter(query) else { return [] }
        binds.append(Int64(max(0, query.limit)))
        let found = try await rows(
            "SELECT \(RecordFilter.selectedColumns) FROM \(table.records) \(clause) ORDER BY requested_at DESC, id DESC LIMIT $\(binds.count)",
            binds, reading: "the 情報提供等記録")
        return try decode(found, "a 情報提供等記録", PostgresRows.record)
    }

    public func countRecords(_ query: RecordQuery) async throws(RenkeiError) -> Int {
        guard let (clause, binds) = filter(query) else { return 0 }
        return try await count("SELECT COUNT(*) FROM \(table.records) \(clause)", binds)
    }

    public func countRecords(requestedBefore micros: Int64) async throws(RenkeiError) -> Int {
        var binds = PostgresBindings()
        binds.append(micros)
        return try await count("SELECT COUNT(*) FROM \(table.records) WHERE requested_at < $1", binds)
    }

    private func count(_ sql: String, _ binds: PostgresBindings) async throws(RenkeiError) -> Int {
        let found = try await rows(sql, binds, reading: "the 情報提供等記録")
        return try decode(found, "a count") { row in Int(try row.decode(Int64.self)) }.first ?? 0
    }

    /// The network system keeps no inquiry state for polling (a 中間サーバー does).
    public func inquiryPayload(tenant: OrganizationCode, reception: ReceptionNumber) async throws(RenkeiError) -> [UInt8]? { nil }

    public func auditEvents() async throws(RenkeiError) -> [AuditEvent] {
        try await auditEntries().map(\.event)
    }

    /// The whole log, oldest first.
    public func auditEntries() async throws(RenkeiError) -> [AuditEntry] {
        let found = try await rows("SELECT seq, at, kind, actor, detail, leaf, chain FROM \(table.audit) ORDER BY seq", reading: "the audit log")
        return try decode(found, "an audit entry", PostgresRows.entry)
    }

    public func auditState(at size: Int) async throws(RenkeiError) -> (root: [UInt8], chain: [UInt8])? {
        guard size > 0 else { return (MerkleTree.Frontier().root, AuditEntry.genesis) }
        var binds = PostgresBindings()
        binds.append(Int64(size))
        let found = try await rows("SELECT seq, leaf, chain FROM \(table.audit) WHERE seq < $1 ORDER BY seq", binds, reading: "the audit log")
        var frontier = MerkleTree.Frontier()
        var chain = AuditEntry.genesis
        for row in found {
            guard let (seq, leaf, next) = try? row.decode((Int64, ByteBuffer, ByteBuffer).self), Int(seq) == frontier.size else { return nil }
            frontier.append(PostgresRows.bytes(leaf))
            chain = PostgresRows.bytes(next)
        }
        return frontier.size == size ? (frontier.root, chain) : nil
    }
}

extension PostgresStore: AuditSource {
    public func auditCheckpoints() async throws(RenkeiError) -> [AuditCheckpoint] {
        let found = try await rows(
            "SELECT size, root, chain, at, signature, frontier FROM \(table.checkpoints) ORDER BY size", reading: "the audit checkpoints")
        return try decode(found, "an audit checkpoint", PostgresRows.checkpoint)
    }

    public func ownStamps() async throws(RenkeiError) -> [(size: Int, serial: UInt64, response: [UInt8])] {
        let found = try await rows("SELECT size, serial, response FROM \(table.stamps) ORDER BY size", reading: "the audit stamps")
        return try decode(found, "an audit stamp") { row in
            let (size, serial, response) = try row.decode((Int64, Int64, ByteBuffer).self)
            return (Int(size), UInt64(bitPattern: serial), PostgresRows.bytes(response))
        }
    }

    public func verifyAudit(with verifier: AuditVerifier) async throws(RenkeiError) -> Result<AuditVerifier.Report, AuditVerifier.Failure> {
        let checkpoints = try await auditCheckpoints()
        let entries = try await auditEntries()
        var appendOnly = AppendOnlyRows()
        let found = try await rows(
            "SELECT id, audit_seq, \(RecordFilter.selectedColumns) FROM \(table.records) ORDER BY id", reading: "the 情報提供等記録")
        appendOnly.records = try decode(found, "a 情報提供等記録") { row in
            let (id, sequence) = try row.decode((Int64, Int64?).self)
            let columns = try PostgresRows.recordColumns(row, from: 2)
            return AppendOnlyRows.Row(
                auditSequence: sequence.map(Int.init), digest: RowDigest.of(columns.digestValues), label: "\(table.records) row id = \(id)")
        }
        return Result { () throws(AuditVerifier.Failure) in try verifier.verify(entries, checkpoints: checkpoints, rows: appendOnly) }
    }
}
