import RenkeiCore

/// A `RecordQuery` as SQL conditions over the records table, with `?` for each value in
/// order: one translation for every store (SQLite binds them as they are, PostgreSQL numbers them).
struct RecordFilter {
    enum Value {
        case text(String)
        case integer(Int64)
        case flag(Bool)
    }

    var conditions: [String] = []
    var values: [Value] = []

    /// The WHERE clause, or "" for a query with no condition (every record).
    var clause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// The filter of `query`; nil when it can match nothing.
    init?(_ query: RecordQuery) {
        if let party = query.party {
            conditions.append("party = ?")
            values.append(.text(party.rawValue))
        }
        if let keptBy = query.keptBy {
            conditions.append("((party = 'inquirer' AND inquirer = ?) OR (party = 'provider' AND provider = ?) OR party = 'network')")
            values += [.text(keptBy.rawValue), .text(keptBy.rawValue)]
        }
        if let linkCodes = query.linkCodes {
            guard !linkCodes.isEmpty else { return nil }
            let marks = Array(repeating: "?", count: linkCodes.count).joined(separator: ",")
            conditions.append("(link_code IN (\(marks)) OR provider_link_code IN (\(marks)))")
            let codes = linkCodes.map { Value.text($0.rawValue) }
            values += codes + codes
        }
        if let reception = query.receptionNumber {
            conditions.append("reception_number = ?")
            values.append(.text(reception.rawValue))
        }
        if let since = query.since {
            conditions.append("requested_at >= ?")
            values.append(.integer(since))
        }
        for (column, value) in [
            ("inquirer", query.inquirer?.rawValue), ("provider", query.provider?.rawValue), ("outcome", query.outcome?.rawValue),
        ] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            values.append(.text(value))
        }
        if let item = query.item {
            // Either numbering names the item; a record keeps both where both exist.
            let columns = [("item", item.legacy), ("ordinance_item", item.ordinance)].compactMap { column, number in number.map { (column, $0) } }
            conditions.append("(" + columns.map { "\($0.0) = ?" }.joined(separator: " OR ") + ")")
            values += columns.map { .text($0.1.description) }
        }
        if let information = query.information {
            conditions.append("(',' || information_codes || ',') LIKE ?")
            values.append(.text("%,\(information.rawValue),%"))
        }
        if let testMode = query.testMode {
            conditions.append("test = ?")
            values.append(.flag(testMode))
        }
    }

    /// The record columns every reader selects, in `ProvisionRecord` order.
    static let selectedColumns = """
        party, reception_number, inquirer, provider, item, procedure, information_codes, requested_at, provided_at,
        outcome, error_code, inquirer_nondisclosure, provider_nondisclosure, link_code, provider_link_code, test,
        ordinance_item, operator_user, operator_department
        """
}
