import Crypto
import GRDB
import RenkeiCore

/// The digest of an append-only row as SQLite stores it: SHA-256 over each column's storage
/// class and bytes, length-prefixed, in a fixed column order. The writer digests the values it
/// inserts; `audit verify` digests the values it reads back, so any edit of a column shows.
enum RowDigest {
    static func of(_ values: [DatabaseValue]) -> [UInt8] {
        // Tag and big-endian length, then the bytes, gathered into one buffer and hashed once:
        // three hasher updates a column cost about 60,000 instructions per inquiry (callgrind,
        // issue 16).
        var input = [UInt8]()
        input.reserveCapacity(values.count * 16 + 128)
        func field(_ tag: UInt8, _ body: UnsafeRawBufferPointer) {
            input.append(tag)
            withUnsafeBytes(of: UInt32(body.count).bigEndian) { input.append(contentsOf: $0) }
            input.append(contentsOf: body)
        }
        for value in values {
            switch value.storage {
            case .null: field(0, UnsafeRawBufferPointer(start: nil, count: 0))
            case let .int64(number): withUnsafeBytes(of: number.bigEndian) { field(1, $0) }
            case let .double(number): withUnsafeBytes(of: number.bitPattern.bigEndian) { field(2, $0) }
            case var .string(text): text.withUTF8 { field(3, UnsafeRawBufferPointer($0)) }
            case let .blob(data): data.withUnsafeBytes { field(4, $0) }
            }
        }
        return Array(SHA256.hash(data: input))
    }

    /// A record's columns as SQLite stores them, in `recordColumns` order: what its digest
    /// covers in every store (PostgreSQL digests the same values, so `audit verify` is one check).
    static func recordValues(_ record: ProvisionRecord) -> [DatabaseValue] { StoredRecordColumns(record).digestValues }

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
        var detail = ""
        detail.reserveCapacity(96)
        for (name, value) in fields {
            detail += name
            detail += "="
            detail += value
            detail += " "
        }
        detail += "sha256="
        detail += hex(digest)
        return detail
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

extension StoredRecordColumns {
    /// The columns as SQLite values (booleans as integers), in `RowDigest.recordColumns` order.
    var digestValues: [DatabaseValue] {
        [
            party.databaseValue, receptionNumber.databaseValue, inquirer.databaseValue, provider.databaseValue, item.databaseValue,
            procedure.databaseValue, informationCodes.databaseValue, requestedAt.databaseValue, providedAt.databaseValue,
            outcome.databaseValue, errorCode.databaseValue, inquirerNondisclosure.databaseValue, providerNondisclosure.databaseValue,
            linkCode.databaseValue, providerLinkCode.databaseValue, testMode.databaseValue, ordinanceItem.databaseValue,
            operatorUser.databaseValue, operatorDepartment.databaseValue,
        ]
    }
}
