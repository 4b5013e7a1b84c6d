import GRDB
import RenkeiCore

/// Queries the 情報提供等記録 table.
enum RecordReader {
    static func fetch(_ query: RecordQuery, db: Database) throws -> [ProvisionRecord] {
        guard var (filter, arguments) = try where_(query) else { return [] }
        arguments += [max(0, query.limit)]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT party, reception_number, inquirer, provider, item, procedure, information_codes, requested_at, provided_at,
                       outcome, error_code, inquirer_nondisclosure, provider_nondisclosure, link_code, provider_link_code, test,
                       ordinance_item, operator_user, operator_department
                FROM records \(filter) ORDER BY requested_at DESC, id DESC LIMIT ?
                """, arguments: arguments)
        var records = [ProvisionRecord]()
        while let row = try rows.next() {
            records.append(try record(row))
        }
        return records
    }

    static func count(_ query: RecordQuery, db: Database) throws -> Int {
        guard let (filter, arguments) = try where_(query) else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records \(filter)", arguments: arguments) ?? 0
    }

    /// The WHERE clause of a query; nil when it can match nothing.
    private static func where_(_ query: RecordQuery) throws -> (String, StatementArguments)? {
        var conditions = [String]()
        var arguments = StatementArguments()
        if let party = query.party {
            conditions.append("party = ?")
            arguments += [party.rawValue]
        }
        if let keptBy = query.keptBy {
            conditions.append("((party = 'inquirer' AND inquirer = ?) OR (party = 'provider' AND provider = ?) OR party = 'network')")
            arguments += [keptBy, keptBy]
        }
        if let linkCodes = query.linkCodes {
            guard !linkCodes.isEmpty else { return nil }
            let marks = Array(repeating: "?", count: linkCodes.count).joined(separator: ",")
            conditions.append("(link_code IN (\(marks)) OR provider_link_code IN (\(marks)))")
            let values = linkCodes.map(\.rawValue)
            arguments += StatementArguments(values + values)
        }
        if let reception = query.receptionNumber {
            conditions.append("reception_number = ?")
            arguments += [reception]
        }
        if let since = query.since {
            conditions.append("requested_at >= ?")
            arguments += [since]
        }
        for (column, value) in [
            ("inquirer", query.inquirer?.rawValue), ("provider", query.provider?.rawValue), ("outcome", query.outcome?.rawValue),
        ] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        if let item = query.item {
            // Either numbering names the item; a record keeps both where both exist.
            let columns = [("item", item.legacy), ("ordinance_item", item.ordinance)].compactMap { column, number in number.map { (column, $0) } }
            conditions.append("(" + columns.map { "\($0.0) = ?" }.joined(separator: " OR ") + ")")
            arguments += StatementArguments(columns.map(\.1.description))
        }
        if let information = query.information {
            conditions.append("(',' || information_codes || ',') LIKE ?")
            arguments += ["%,\(information.rawValue),%"]
        }
        if let testMode = query.testMode {
            conditions.append("test = ?")
            arguments += [testMode]
        }
        // A query with no condition at all (every record) has no WHERE clause.
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    private static func item(legacy: String, ordinance: String?) throws -> ItemReference {
        guard let item = try ItemReference(legacyText: legacy, ordinanceText: ordinance) else {
            throw RenkeiError(.internalError, "a stored record names no item")
        }
        return item
    }

    static func record(_ row: Row) throws -> ProvisionRecord {
        func value<T: ValidatedIdentifier>(_ text: String) throws -> T {
            do { return try T(text) } catch { throw RenkeiError(.internalError, "a stored record is invalid: \(error)") }
        }
        guard let party = ProvisionRecord.Party(rawValue: row[0]), let outcome = InquiryOutcome(rawValue: row[9]) else {
            throw RenkeiError(.internalError, "a stored record has an unknown party or outcome")
        }
        let codes: String = row[6]
        let linkCode: String? = row[13]
        let providerLinkCode: String? = row[14]
        return ProvisionRecord(
            party: party,
            receptionNumber: try value(row[1]) as ReceptionNumber,
            inquirer: try value(row[2]) as OrganizationCode,
            provider: try value(row[3]) as OrganizationCode,
            item: try item(legacy: row[4], ordinance: row[16]),
            procedure: try value(row[5]) as ProcedureCode,
            informationCodes: try codes.split(separator: ",").map { code in
                try value(String(code)) as InformationCode
            },
            requestedAt: row[7], providedAt: row[8], outcome: outcome, errorCode: row[10],
            inquirerNondisclosure: row[11], providerNondisclosure: row[12],
            linkCode: try linkCode.map { text in try value(text) as LinkCode },
            providerLinkCode: try providerLinkCode.map { text in try value(text) as LinkCode },
            testMode: row[15], operatorUser: row[17], operatorDepartment: row[18]
        )
    }
}
