import Crypto
import GRDB
import RenkeiCore

/// The digest of an append-only row as SQLite stores it: SHA-256 over each column's storage
/// class and bytes, length-prefixed, in a fixed column order. The writer digests the values it
/// inserts; `audit verify` digests the values it reads back, so any edit of a column shows.
enum RowDigest {
    static func of(_ values: [DatabaseValue]) -> [UInt8] {
        var hasher = SHA256()
        func field(_ tag: UInt8, _ bytes: [UInt8]) {
            hasher.update(data: [tag])
            hasher.update(data: withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init))
            hasher.update(data: bytes)
        }
        for value in values {
            switch value.storage {
            case .null: field(0, [])
            case let .int64(number): field(1, withUnsafeBytes(of: number.bigEndian, Array.init))
            case let .double(number): field(2, withUnsafeBytes(of: number.bitPattern.bigEndian, Array.init))
            case let .string(text): field(3, Array(text.utf8))
            case let .blob(data): field(4, Array(data))
            }
        }
        return Array(hasher.finalize())
    }

    /// The columns of each append-only table, in digest order.
    static let recordColumns = [
        "party", "reception_number", "inquirer", "provider", "item", "procedure", "information_codes", "requested_at", "provided_at",
        "outcome", "error_code", "inquirer_nondisclosure", "provider_nondisclosure", "link_code", "provider_link_code", "test",
        "ordinance_item", "operator_user", "operator_department",
    ]
    static let permitColumns = ["permit_id", "tenant", "expires_at"]
    static let staffColumns = ["tenant", "user_id", "payload"]
}

/// What an append-only row's audit entry says, in its detail: `requested_at=… sha256=…`.
/// Parsed back by `audit verify`, so the format is fixed.
enum RowEntryDetail {
    static func make(_ fields: [(String, String)], digest: [UInt8]) -> String {
        (fields + [("sha256", hex(digest))]).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    static func parse(_ detail: String) -> [String: String] {
        var fields = [String: String]()
        for part in detail.split(separator: " ") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        return fields
    }
}
