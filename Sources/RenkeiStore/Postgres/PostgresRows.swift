import NIOCore
import PostgresNIO
import RenkeiCore

/// Rows of the store's tables decoded into renkei's values (checked again: a row is input too).
enum PostgresRows {
    static func checkpoint(_ row: PostgresRow) throws -> AuditCheckpoint {
        let (size, root, chain, at, signature, frontier) = try row.decode((Int64, ByteBuffer, ByteBuffer, Int64, ByteBuffer, ByteBuffer).self)
        return AuditCheckpoint(
            size: Int(size), root: bytes(root), chain: bytes(chain), at: at, signature: bytes(signature), frontier: bytes(frontier))
    }

    static func entry(_ row: PostgresRow) throws -> AuditEntry {
        let (seq, at, kind, actor, detail, leaf, chain) = try row.decode((Int64, Int64, String, String?, String, ByteBuffer, ByteBuffer).self)
        guard let kind = AuditEvent.Kind(rawValue: kind) else {
            throw RenkeiError(.storeDamaged, "audit entry \(seq) has an unknown kind \"\(kind.excerpt(40))\"; run renkei audit verify")
        }
        return AuditEntry(
            sequence: Int(seq), event: AuditEvent(kind: kind, at: at, actor: actor, detail: detail), leaf: bytes(leaf), chain: bytes(chain))
    }

    static func record(_ row: PostgresRow) throws -> ProvisionRecord {
        try recordColumns(row, from: 0).record()
    }

    /// The record columns (`RecordFilter.selectedColumns`) starting at column `first`.
    static func recordColumns(_ row: PostgresRow, from first: Int) throws -> StoredRecordColumns {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ offset: Int, _ type: T.Type = T.self) throws -> T { try cells[first + offset].decode(T.self) }
        return StoredRecordColumns(
            party: try cell(0), receptionNumber: try cell(1), inquirer: try cell(2), provider: try cell(3), item: try cell(4),
            procedure: try cell(5), informationCodes: try cell(6), requestedAt: try cell(7), providedAt: try cell(8, Int64?.self),
            outcome: try cell(9), errorCode: try cell(10, String?.self), inquirerNondisclosure: try cell(11), providerNondisclosure: try cell(12),
            linkCode: try cell(13, String?.self), providerLinkCode: try cell(14, String?.self), testMode: try cell(15),
            ordinanceItem: try cell(16, String?.self), operatorUser: try cell(17, String?.self), operatorDepartment: try cell(18, String?.self))
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }
}
