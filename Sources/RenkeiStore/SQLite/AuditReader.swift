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

    /// Verifies the whole audit log, streaming it.
    public func verifyAudit(with verifier: AuditVerifier) throws(RenkeiError) -> Result<AuditVerifier.Report, AuditVerifier.Failure> {
        try read { db in
            let checkpoints = try AuditReader.checkpoints(db)
            var entries = [AuditEntry]()
            try AuditReader.forEachEntry(db) { entries.append($0) }
            return Result { () throws(AuditVerifier.Failure) in try verifier.verify(entries, checkpoints: checkpoints) }
        }
    }

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
