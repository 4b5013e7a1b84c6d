import RenkeiCore

/// A 情報提供等記録 as any store keeps it, column by column (`RecordFilter.selectedColumns`):
/// each reader fills these from its rows, and one place turns them back into a record, checking
/// every identifier again (a stored row is input too).
struct StoredRecordColumns: Encodable {
    let party: String
    let receptionNumber: String
    let inquirer: String
    let provider: String
    let item: String
    let procedure: String
    let informationCodes: String
    let requestedAt: Int64
    let providedAt: Int64?
    let outcome: String
    let errorCode: String?
    let inquirerNondisclosure: Bool
    let providerNondisclosure: Bool
    let linkCode: String?
    let providerLinkCode: String?
    let testMode: Bool
    let ordinanceItem: String?
    let operatorUser: String?
    let operatorDepartment: String?

    /// The columns' names in the records table, as PostgreSQL's store inserts them (JSON keys).
    private enum CodingKeys: String, CodingKey {
        case party, receptionNumber = "reception_number", inquirer, provider, item, procedure, informationCodes = "information_codes"
        case requestedAt = "requested_at", providedAt = "provided_at", outcome, errorCode = "error_code"
        case inquirerNondisclosure = "inquirer_nondisclosure", providerNondisclosure = "provider_nondisclosure", linkCode = "link_code"
        case providerLinkCode = "provider_link_code", testMode = "test", ordinanceItem = "ordinance_item", operatorUser = "operator_user"
        case operatorDepartment = "operator_department"
    }
}

extension StoredRecordColumns {
    /// The columns a record is stored as.
    init(_ record: ProvisionRecord) {
        self.init(
            party: record.party.rawValue, receptionNumber: record.receptionNumber.rawValue, inquirer: record.inquirer.rawValue,
            provider: record.provider.rawValue, item: record.item.legacy?.description ?? "", procedure: record.procedure.rawValue,
            informationCodes: record.informationCodes.map(\.rawValue).joined(separator: ","), requestedAt: record.requestedAt,
            providedAt: record.providedAt, outcome: record.outcome.rawValue, errorCode: record.errorCode,
            inquirerNondisclosure: record.inquirerNondisclosure, providerNondisclosure: record.providerNondisclosure,
            linkCode: record.linkCode?.rawValue, providerLinkCode: record.providerLinkCode?.rawValue, testMode: record.testMode,
            ordinanceItem: record.item.ordinance?.description, operatorUser: record.operatorUser, operatorDepartment: record.operatorDepartment)
    }

    func record() throws(RenkeiError) -> ProvisionRecord {
        func value<T: ValidatedIdentifier>(_ text: String) throws(RenkeiError) -> T {
            do { return try T(text) } catch { throw RenkeiError(.internalError, "a stored record is invalid: \(error)") }
        }
        guard let party = ProvisionRecord.Party(rawValue: party), let outcome = InquiryOutcome(rawValue: outcome) else {
            throw RenkeiError(.internalError, "a stored record has an unknown party or outcome")
        }
        let itemReference: ItemReference?
        do { itemReference = try ItemReference(legacyText: item, ordinanceText: ordinanceItem) } catch {
            throw RenkeiError(.internalError, "a stored record names an item that does not read: \(error)")
        }
        guard let itemReference else { throw RenkeiError(.internalError, "a stored record names no item") }
        var codes = [InformationCode]()
        for code in informationCodes.split(separator: ",") { codes.append(try value(String(code))) }
        return ProvisionRecord(
            party: party,
            receptionNumber: try value(receptionNumber),
            inquirer: try value(inquirer),
            provider: try value(provider),
            item: itemReference,
            procedure: try value(procedure),
            informationCodes: codes,
            requestedAt: requestedAt, providedAt: providedAt, outcome: outcome, errorCode: errorCode,
            inquirerNondisclosure: inquirerNondisclosure, providerNondisclosure: providerNondisclosure,
            linkCode: try linkCode.map { text throws(RenkeiError) in try value(text) },
            providerLinkCode: try providerLinkCode.map { text throws(RenkeiError) in try value(text) },
            testMode: testMode, operatorUser: operatorUser, operatorDepartment: operatorDepartment
        )
    }
}
