public import Foundation
import GRDB
public import RenkeiCore

/// Reads a node's audit log and checkpoints.
enum AuditReader {
    static func entries(_ db: Database) throws -> [AuditEntry] {
        var entries = [AuditEntry]()
        try forEachEntry(db) { entries.append($0) }
        return entries
    }

    /// Streams the entries in stored (sequence) order without holding them all.
    static func forEachEntry(_ db: Database, _ body: (AuditEntry) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, at, kind, actor, detail, leaf, chain FROM audit ORDER BY seq")
        while let row = try rows.next() {
            let kindText: String = row[2]
            // An unknown kind is kept as the closest kind with its text in the detail, so that
            // the leaf hash check (over the stored text) still decides whether it was changed.
            let kind = AuditEvent.Kind(rawValue: kindText)
            let leaf: Data = row[5]
            let chain: Data = row[6]
            let event = AuditEvent(kind: kind ?? .administration, at: row[1], actor: row[3], detail: kind == nil ? "\u{0}\(kindText)" : row[4])
            try body(AuditEntry(sequence: row[0], event: event, leaf: Array(leaf), chain: Array(chain)))
        }
    }

    /// The append-only rows, each with its digest as stored now and the entry it names.
    static func appendOnlyRows(_ db: Database) throws -> AppendOnlyRows {
        func rows(_ table: String, key: String, _ columns: [String]) throws -> [AppendOnlyRows.Row] {
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(key), audit_seq, \(columns.joined(separator: ", ")) FROM \(table) ORDER BY audit_seq")
            var rows = [AppendOnlyRows.Row]()
            while let row = try cursor.next() {
                let keyText = (row[0] as DatabaseValue).description.excerpt(40)
                let values = (0..<columns.count).map { row[$0 + 2] as DatabaseValue }
                rows.append(AppendOnlyRows.Row(auditSequence: row[1], digest: RowDigest.of(values), label: "\(table) row \(key) = \(keyText)"))
            }
            return rows
        }
        var rowsOfTables = AppendOnlyRows()
        rowsOfTables.records = try rows("records", key: "id", RowDigest.recordColumns)
        rowsOfTables.permits = try rows("used_permits", key: "hex(permit_id)", RowDigest.permitColumns)
        rowsOfTables.staff = try rows("staff", key: "tenant || '/' || user_id", RowDigest.staffColumns)
        return rowsOfTables
    }

    /// The time-stamping authority's stamps for `node` (or every node's newest), oldest first.
    static func stamps(_ db: Database, node: String? = nil, newestOnly: Bool = false) throws -> [WitnessedCheckpoint] {
        let columns = "serial, node, size, root, chain, checkpoint_at, signature, stamped_at, response"
        let rows =
            if newestOnly {
                try Row.fetchAll(
                    db, sql: "SELECT \(columns) FROM stamps WHERE serial IN (SELECT MAX(serial) FROM stamps GROUP BY node) ORDER BY serial")
            } else {
                try Row.fetchAll(db, sql: "SELECT \(columns) FROM stamps WHERE node = ? ORDER BY serial", arguments: [node ?? ""])
            }
        // Read without trusting the file: a column of the wrong type reads as empty, and the
        // stamp then fails its verification instead of trapping here.
        return rows.map { row in
            var stamp = WitnessedCheckpoint()
            stamp.serial = UInt64(bitPattern: integer(row, 0))
            stamp.checkpoint = SignedCheckpoint(
                node: String.fromDatabaseValue(row[1]) ?? "", size: Int(integer(row, 2)), root: bytes(row, 3), chain: bytes(row, 4),
                at: integer(row, 5), signature: bytes(row, 6))
            stamp.stampedAt = integer(row, 7)
            stamp.response = bytes(row, 8)
            return stamp
        }
    }

    static func integer(_ row: Row, _ index: Int) -> Int64 { Int64.fromDatabaseValue(row[index]) ?? 0 }
    static func bytes(_ row: Row, _ index: Int) -> [UInt8] { Data.fromDatabaseValue(row[index]).map(Array.init) ?? [] }

    /// The stamps a node keeps of its own checkpoints, by size.
    static func ownStamps(_ db: Database) throws -> [(size: Int, serial: UInt64, response: [UInt8])] {
        try Row.fetchAll(db, sql: "SELECT size, serial, response FROM audit_stamps ORDER BY size").map { row in
            (Int(integer(row, 0)), UInt64(bitPattern: integer(row, 1)), bytes(row, 2))
        }
    }

    static func checkpoints(_ db: Database) throws -> [AuditCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT size, root, chain, at, signature, frontier FROM audit_checkpoints ORDER BY size").map { row in
            let root: Data = row[1]
            let chain: Data = row[2]
            let signature: Data = row[4]
            let frontier = (row[5] as DatabaseValue?).flatMap(Data.fromDatabaseValue).map(Array.init)
            return AuditCheckpoint(size: row[0], root: Array(root), chain: Array(chain), at: row[3], signature: Array(signature), frontier: frontier)
        }
    }
}

/// Read-only access to a node's store file, for the commands that inspect a data directory
/// (audit verify, audit proof, records) while a `renkei up` may be writing to it.
public struct StoreReader: Sendable {
    public let url: URL
    private let queue: DatabaseQueue

    public init(url: URL) throws(RenkeiError) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RenkeiError(.invalidConfiguration, "no store at \(url.path); has `renkei up --data` run with this directory?")
        }
        self.url = url
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
        } catch {
            throw RenkeiError(.internalError, "cannot open \(url.path): \(StoreFailure.describe(error))")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(RenkeiError) -> T {
        do { return try queue.read(body) } catch let error as RenkeiError { throw error } catch {
            throw RenkeiError(.internalError, "cannot read \(url.path): \(StoreFailure.describe(error))")
        }
    }

    /// Verifies the whole audit log, its checkpoints and witness, and the append-only rows.
    public func verifyAudit(with verifier: AuditVerifier) throws(RenkeiError) -> Result<AuditVerifier.Report, AuditVerifier.Failure> {
        try read { db in
            let checkpoints = try AuditReader.checkpoints(db)
            var entries = [AuditEntry]()
            try AuditReader.forEachEntry(db) { entries.append($0) }
            let rows = try AuditReader.appendOnlyRows(db)
            return Result { () throws(AuditVerifier.Failure) in try verifier.verify(entries, checkpoints: checkpoints, rows: rows) }
        }
    }

    /// The checkpoints a time-stamping authority (this store is its) stamped for `node`.
    public func stamps(for node: String) throws(RenkeiError) -> [WitnessedCheckpoint] { try read { try AuditReader.stamps($0, node: node) } }

    /// The stamps this node keeps of its own checkpoints.
    public func ownStamps() throws(RenkeiError) -> [(size: Int, serial: UInt64, response: [UInt8])] { try read { try AuditReader.ownStamps($0) } }

    public func auditEntries() throws(RenkeiError) -> [AuditEntry] { try read { try AuditReader.entries($0) } }
    public func auditCheckpoints() throws(RenkeiError) -> [AuditCheckpoint] { try read { try AuditReader.checkpoints($0) } }
    public func records(_ query: RecordQuery) throws(RenkeiError) -> [ProvisionRecord] { try read { try RecordReader.fetch(query, db: $0) } }

    /// J-LIS: the 住民票コード of a 個人番号, for the マイナポータル view.
    public func residentCode(for myNumber: MyNumber) throws(RenkeiError) -> ResidentCode? {
        try read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT resident_code FROM residents WHERE my_number = ?", arguments: [myNumber]) else {
                return nil
            }
            return try ResidentCode(text)
        }
    }
}
