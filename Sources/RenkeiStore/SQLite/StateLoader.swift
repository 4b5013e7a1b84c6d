import Foundation
import GRDB
import RenkeiCore

/// Reads a node's state tables back as writes, to rebuild the node's memory at start.
enum StateLoader {
    static func load(_ db: Database) throws -> [StoreWrite] {
        var writes = [StoreWrite]()
        func value<T>(_ field: String, _ make: () throws(IdentifierError) -> T) throws -> T {
            do { return try make() } catch { throw RenkeiError(.internalError, "a stored \(field) is invalid: \(error)") }
        }
        try each(db, sql: "SELECT tenant, person, link_code FROM link_codes") { row in
            writes.append(.linkCode(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                person: try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(row[1]) },
                linkCode: try value("符号") { () throws(IdentifierError) in try LinkCode(row[2]) }
            ))
        }
        try each(db, sql: "SELECT processing_number, tenant, person FROM acquisitions") { row in
            writes.append(.acquisitionStarted(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[1]) },
                processingNumber: try value("処理通番") { () throws(IdentifierError) in try ProcessingNumber(row[0]) },
                person: try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(row[2]) }
            ))
        }
        try each(db, sql: """
            SELECT tenant, person, information_code, data_set, record_key, version, publication_date, end_date, items FROM duplicates
            """) { row in
            guard let items = DuplicateItemsCoding.decode(row[8]) else { throw RenkeiError(.internalError, "a stored 副本 has damaged items") }
            let publication: String? = row[6]
            let end: String? = row[7]
            writes.append(.duplicate(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                person: try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(row[1]) },
                record: DuplicateRecord(
                    informationCode: try value("TM") { () throws(IdentifierError) in try InformationCode(row[2]) },
                    dataSet: row[3], recordKey: row[4], version: row[5],
                    publicationDate: try publication.map { try CivilDate($0) }, endDate: try end.map { try CivilDate($0) }, items: items
                )
            ))
        }
        try each(db, sql: "SELECT tenant, address_number, person FROM tenant_addressees") { row in
            writes.append(.tenantAddressee(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                addressNumber: try value("宛名番号") { () throws(IdentifierError) in try AddressNumber(row[1]) },
                person: try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(row[2]) }
            ))
        }
        let now = SimulationClock().nowMicros()
        try each(db, sql: "SELECT permit_id, tenant, expires_at FROM used_permits WHERE expires_at >= ?", arguments: [now - 3_600_000_000]) { row in
            let id: Data = row[0]
            writes.append(.permitUsed(tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[1]) }, id: Array(id), expiresAt: row[2]))
        }
        try each(db, sql: "SELECT address_number, integrated, my_number, name FROM addressees") { row in
            let myNumber: String? = row[2]
            writes.append(.addressee(Addressee(
                addressNumber: try value("宛名番号") { () throws(IdentifierError) in try AddressNumber(row[0]) },
                integratedAddressNumber: try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(row[1]) },
                myNumber: try myNumber.map { text in try value("個人番号") { () throws(IdentifierError) in try MyNumber(text) } },
                name: row[3]
            )))
        }
        try each(db, sql: "SELECT my_number, resident_code FROM residents") { row in
            writes.append(.resident(
                myNumber: try value("個人番号") { () throws(IdentifierError) in try MyNumber(row[0]) },
                residentCode: try value("住民票コード") { () throws(IdentifierError) in try ResidentCode(row[1]) }
            ))
        }
        try each(db, sql: "SELECT number, organization FROM processing_numbers") { row in
            writes.append(.processingNumberIssued(
                try value("処理通番") { () throws(IdentifierError) in try ProcessingNumber(row[0]) },
                organization: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[1]) }
            ))
        }
        try each(db, sql: "SELECT tenant, reception_number, status, payload, updated_at FROM inquiries WHERE status IN ('processing', 'awaiting_manual')") { row in
            let payload: Data = row[3]
            writes.append(.inquiryState(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                reception: try value("受付番号") { () throws(IdentifierError) in try ReceptionNumber(row[1]) },
                status: row[2], payload: Array(payload), updatedAt: row[4]
            ))
        }
        try each(db, sql: "SELECT tenant, reception_number, payload, deadline FROM manual_queue") { row in
            let payload: Data = row[2]
            writes.append(.manualQueued(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                reception: try value("受付番号") { () throws(IdentifierError) in try ReceptionNumber(row[1]) },
                payload: Array(payload), deadline: row[3]
            ))
        }
        try each(db, sql: "SELECT tenant, person, information_code, kind FROM flags") { row in
            let person: String = row[1]
            let information: String = row[2]
            writes.append(.flag(
                tenant: try value("機関コード") { () throws(IdentifierError) in try OrganizationCode(row[0]) },
                person: person.isEmpty ? nil : try value("統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(person) },
                information: information.isEmpty ? nil : try value("TM") { () throws(IdentifierError) in try InformationCode(information) },
                kind: row[3], enabled: true
            ))
        }
        return writes
    }
}

/// Runs `body` for each row without loading them all first.
func each(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments(), _ body: (Row) throws -> Void) throws {
    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
    while let row = try rows.next() { try body(row) }
}
