import Foundation
import Logging
import PostgresNIO
import RenkeiCore

/// The audit entries and records of one transaction, inserted together at its end (or before a
/// statement that must see them): one statement per table however many rows, as a JSON array
/// the server unpacks (`jsonb_to_recordset`), because a bind array cannot carry SQL NULLs.
struct PendingRows {
    /// A record's columns and the audit entry that carries its digest.
    struct RecordRow: Encodable {
        let columns: StoredRecordColumns
        let auditSequence: Int64

        private enum Key: String, CodingKey { case audit_seq }

        func encode(to encoder: any Encoder) throws {
            try columns.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(auditSequence, forKey: .audit_seq)
        }
    }

    var audit: [AuditExport.Line] = []
    var records: [RecordRow] = []

    mutating func flush(_ table: PostgresTables, _ connection: PostgresConnection, logger: Logger) async throws {
        if !audit.isEmpty {
            try await insert(
                audit,
                sql: """
                    INSERT INTO \(table.audit) (seq, at, kind, actor, detail, leaf, chain)
                    SELECT seq, at, kind, actor, detail, decode(leaf, 'hex'), decode(chain, 'hex')
                    FROM jsonb_to_recordset($1::text::jsonb)
                        AS r(seq bigint, at bigint, kind text, actor text, detail text, leaf text, chain text)
                    """, connection, logger: logger)
            audit.removeAll(keepingCapacity: true)
        }
        if !records.isEmpty {
            let columns = Self.recordColumns.map(\.name).joined(separator: ", ")
            let typed = Self.recordColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            try await insert(
                records,
                sql: "INSERT INTO \(table.records) (\(columns)) SELECT \(columns) FROM jsonb_to_recordset($1::text::jsonb) AS r(\(typed))",
                connection, logger: logger)
            records.removeAll(keepingCapacity: true)
        }
    }

    private func insert(_ rows: some Encodable, sql: String, _ connection: PostgresConnection, logger: Logger) async throws {
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self) } catch {
            throw RenkeiError(.internalError, "rows for the PostgreSQL store do not encode: \(error)")
        }
        var binds = PostgresBindings()
        binds.append(json)
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    static let recordColumns: [(name: String, type: String)] = [
        ("party", "text"), ("reception_number", "text"), ("inquirer", "text"), ("provider", "text"), ("item", "text"),
        ("procedure", "text"), ("information_codes", "text"), ("requested_at", "bigint"), ("provided_at", "bigint"), ("outcome", "text"),
        ("error_code", "text"), ("inquirer_nondisclosure", "boolean"), ("provider_nondisclosure", "boolean"), ("link_code", "text"),
        ("provider_link_code", "text"), ("test", "boolean"), ("ordinance_item", "text"), ("operator_user", "text"),
        ("operator_department", "text"), ("audit_seq", "bigint"),
    ]
}
