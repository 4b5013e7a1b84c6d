import Foundation
import GRDB
import RenkeiCore

/// Reads a node's state tables back as writes, to rebuild the node's memory at start.
///
/// A row that no longer reads as what it should be (an identifier that fails its check, a
/// 副本 that fails validation, bytes that were edited by hand) is skipped and reported with
/// its table and rowid, so one bad row never stops the node and never hides the rest.
enum StateLoader {
    static func load(_ db: Database) throws -> StoredState {
        var state = StoredState()
        /// `key` names the columns that identify a row in the report (most tables have no rowid).
        func rows(
            _ table: String, key: [String], _ sql: String, arguments: StatementArguments = StatementArguments(), _ make: (Row) throws -> StoreWrite
        ) throws {
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                do {
                    state.writes.append(try make(row))
                } catch {
                    let reason = (error as? RenkeiError)?.message ?? "the row does not read as a \(table) row"
                    let identity: String = key.map { column -> String in
                        let shown = (value(row, column) as String?).map { column == "my_number" ? "…" + $0.suffix(4) : $0.excerpt(40) } ?? "?"
                        return column + " = '" + shown + "'"
                    }.joined(separator: " AND ")
                    state.damaged.append(DamagedRow(table: table, key: identity, reason: reason))
                }
            }
        }
        try rows("link_codes", key: ["tenant", "person"], "SELECT tenant, person, link_code FROM link_codes") { row in
            .linkCode(tenant: try identifier(row, "tenant"), person: try identifier(row, "person"), linkCode: try identifier(row, "link_code"))
        }
        try rows("acquisitions", key: ["processing_number"], "SELECT processing_number, tenant, person FROM acquisitions") { row in
            .acquisitionStarted(
                tenant: try identifier(row, "tenant"), processingNumber: try identifier(row, "processing_number"),
                person: try identifier(row, "person"))
        }
        try rows(
            "duplicates", key: ["tenant", "person", "information_code", "data_set", "record_key"],
            """
            SELECT tenant, person, information_code, data_set, record_key, version, publication_date, end_date, items FROM duplicates
            """
        ) { row in
            guard let items = DuplicateItemsCoding.decode(try text(row, "items")) else { throw RenkeiError(.internalError, "its items are damaged") }
            let record = DuplicateRecord(
                informationCode: try identifier(row, "information_code"),
                dataSet: try text(row, "data_set"), recordKey: try text(row, "record_key"), version: try integer(row, "version"),
                publicationDate: try date(row, "publication_date"), endDate: try date(row, "end_date"), items: items
            )
            try record.validate()
            return .duplicate(tenant: try identifier(row, "tenant"), person: try identifier(row, "person"), record: record)
        }
        try rows("tenant_addressees", key: ["tenant", "address_number"], "SELECT tenant, address_number, person FROM tenant_addressees") { row in
            .tenantAddressee(
                tenant: try identifier(row, "tenant"), addressNumber: try identifier(row, "address_number"), person: try identifier(row, "person"))
        }
        let now = SimulationClock().nowMicros()
        try rows(
            "used_permits", key: ["tenant", "expires_at"], "SELECT permit_id, tenant, expires_at FROM used_permits WHERE expires_at >= ?",
            arguments: [now - 3_600_000_000]
        ) { row in
            guard let id: Data = value(row, "permit_id") else { throw RenkeiError(.internalError, "its permit_id is not bytes") }
            return .permitUsed(tenant: try identifier(row, "tenant"), id: Array(id), expiresAt: try integer(row, "expires_at"))
        }
        try rows("addressees", key: ["address_number"], "SELECT address_number, integrated, my_number, name FROM addressees") { row in
            let myNumber: String? = value(row, "my_number")
            return .addressee(
                Addressee(
                    addressNumber: try identifier(row, "address_number"), integratedAddressNumber: try identifier(row, "integrated"),
                    myNumber: try myNumber.map { text in try identifier(text) }, name: try text(row, "name")
                ))
        }
        try rows("residents", key: ["my_number"], "SELECT my_number, resident_code FROM residents") { row in
            .resident(myNumber: try identifier(row, "my_number"), residentCode: try identifier(row, "resident_code"))
        }
        try rows("processing_numbers", key: ["number"], "SELECT number, organization FROM processing_numbers") { row in
            .processingNumberIssued(try identifier(row, "number"), organization: try identifier(row, "organization"))
        }
        try rows(
            "inquiries", key: ["tenant", "reception_number"],
            "SELECT tenant, reception_number, status, payload, updated_at FROM inquiries WHERE status IN ('processing', 'awaiting_manual')"
        ) { row in
            guard let payload: Data = value(row, "payload") else { throw RenkeiError(.internalError, "its payload is not bytes") }
            return .inquiryState(
                tenant: try identifier(row, "tenant"), reception: try identifier(row, "reception_number"), status: try text(row, "status"),
                payload: Array(payload), updatedAt: try integer(row, "updated_at"))
        }
        try rows("manual_queue", key: ["tenant", "reception_number"], "SELECT tenant, reception_number, payload, deadline FROM manual_queue") { row in
            guard let payload: Data = value(row, "payload") else { throw RenkeiError(.internalError, "its payload is not bytes") }
            return .manualQueued(
                tenant: try identifier(row, "tenant"), reception: try identifier(row, "reception_number"), payload: Array(payload),
                deadline: try integer(row, "deadline"))
        }
        try rows("flags", key: ["tenant", "person", "information_code", "kind"], "SELECT tenant, person, information_code, kind FROM flags") { row in
            let person = try text(row, "person")
            let information = try text(row, "information_code")
            return .flag(
                tenant: try identifier(row, "tenant"),
                person: person.isEmpty ? nil : try identifier(person),
                information: information.isEmpty ? nil : try identifier(information),
                kind: try text(row, "kind"), enabled: true
            )
        }
        try rows("staff", key: ["tenant", "user_id"], "SELECT tenant, user_id, payload FROM staff") { row in
            guard let payload: Data = value(row, "payload") else { throw RenkeiError(.internalError, "its payload is not bytes") }
            let account: StaffAccount
            do { account = try JSONDecoder().decode(StaffAccount.self, from: payload) } catch {
                throw RenkeiError(.internalError, "its account does not read: \(error)")
            }
            return .staff(tenant: try identifier(row, "tenant"), account: account)
        }
        try rows("manual_exchanges", key: ["reception_number"], "SELECT reception_number, payload FROM manual_exchanges") { row in
            guard let payload: Data = value(row, "payload") else { throw RenkeiError(.internalError, "its payload is not bytes") }
            do { return .manualExchange(try JSONDecoder().decode(ManualExchange.self, from: payload)) } catch {
                throw RenkeiError(.internalError, "its exchange does not read: \(error)")
            }
        }
        try rows("manual_outbox", key: ["tenant", "reception_number"], "SELECT tenant, reception_number, payload FROM manual_outbox") { row in
            guard let payload: Data = value(row, "payload") else { throw RenkeiError(.internalError, "its payload is not bytes") }
            return .manualAnswerPending(
                tenant: try identifier(row, "tenant"), reception: try identifier(row, "reception_number"), payload: Array(payload))
        }
        // The time-stamping authority's newest stamp of each node (its serials go on from them).
        for stamp in try AuditReader.stamps(db, newestOnly: true) { state.writes.append(.stamp(stamp)) }
        return state
    }

    // MARK: columns, read without trusting them

    /// A column converted when it holds what it should; nil otherwise. (GRDB's typed
    /// subscript traps on a value it cannot convert, and a hand-edited file may hold any.)
    private static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String) -> T? {
        guard let stored = row[column] as DatabaseValue? else { return nil }
        return T.fromDatabaseValue(stored)
    }

    private static func text(_ row: Row, _ column: String) throws(RenkeiError) -> String {
        guard let text: String = value(row, column) else { throw RenkeiError(.internalError, "its \(column) is not text") }
        return text
    }

    private static func integer<T: FixedWidthInteger & DatabaseValueConvertible>(_ row: Row, _ column: String) throws(RenkeiError) -> T {
        guard let number: T = value(row, column) else { throw RenkeiError(.internalError, "its \(column) is not a number in range") }
        return number
    }

    private static func date(_ row: Row, _ column: String) throws(RenkeiError) -> CivilDate? {
        guard let text: String = value(row, column) else { return nil }
        do { return try CivilDate(text) } catch { throw RenkeiError(.internalError, "its \(column) is not a date") }
    }

    /// An identifier column, checked as it was where it came in.
    private static func identifier<T: ValidatedIdentifier>(_ row: Row, _ column: String) throws(RenkeiError) -> T {
        try identifier(try text(row, column))
    }

    private static func identifier<T: ValidatedIdentifier>(_ value: String) throws(RenkeiError) -> T {
        do { return try T(value) } catch { throw RenkeiError(.internalError, "its \(T.kind) is invalid: \(error)") }
    }
}
