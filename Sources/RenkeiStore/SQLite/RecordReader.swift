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
                SELECT \(RecordFilter.selectedColumns)
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
        guard let filter = RecordFilter(query) else { return nil }
        let values: [DatabaseValue] = filter.values.map { value in
            switch value {
            case let .text(text): text.databaseValue
            case let .integer(number): number.databaseValue
            case let .flag(flag): flag.databaseValue
            }
        }
        return (filter.clause, StatementArguments(converted: values))
    }

    static func record(_ row: Row) throws -> ProvisionRecord {
        try columns(row).record()
    }

    /// The columns of `RecordFilter.selectedColumns`, each read as its type (one at a time: the
    /// type checker gives up on nineteen generic subscripts in one expression).
    static func columns(_ row: Row) -> StoredRecordColumns {
        let party: String = row[0], reception: String = row[1], inquirer: String = row[2], provider: String = row[3]
        let item: String = row[4], procedure: String = row[5], codes: String = row[6]
        let requestedAt: Int64 = row[7], providedAt: Int64? = row[8], outcome: String = row[9], errorCode: String? = row[10]
        let inquirerNondisclosure: Bool = row[11], providerNondisclosure: Bool = row[12]
        let linkCode: String? = row[13], providerLinkCode: String? = row[14], testMode: Bool = row[15]
        let ordinance: String? = row[16], user: String? = row[17], department: String? = row[18]
        return StoredRecordColumns(
            party: party, receptionNumber: reception, inquirer: inquirer, provider: provider, item: item, procedure: procedure,
            informationCodes: codes, requestedAt: requestedAt, providedAt: providedAt, outcome: outcome, errorCode: errorCode,
            inquirerNondisclosure: inquirerNondisclosure, providerNondisclosure: providerNondisclosure, linkCode: linkCode,
            providerLinkCode: providerLinkCode, testMode: testMode, ordinanceItem: ordinance, operatorUser: user, operatorDepartment: department)
    }
}
