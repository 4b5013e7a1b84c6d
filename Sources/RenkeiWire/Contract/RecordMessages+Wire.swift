public import RenkeiCore

extension RecordSearch: WireConvertible {
    public init(wire: Renkei_V1_RecordSearch) {
        self.init()
        tenant = wire.tenant
        sinceMicros = wire.sinceMicros
        item = wire.item
        informationCode = wire.informationCode
        counterpart = wire.counterpart
        testMode = wire.testMode
        limit = wire.limit
        businessSystem = wire.businessSystem
    }

    public var wire: Renkei_V1_RecordSearch {
        var wire = Renkei_V1_RecordSearch()
        wire.tenant = tenant
        wire.sinceMicros = sinceMicros
        wire.item = item
        wire.informationCode = informationCode
        wire.counterpart = counterpart
        wire.testMode = testMode
        wire.limit = limit
        wire.businessSystem = businessSystem
        return wire
    }
}

extension RecordList: WireConvertible {
    /// Each record is read back into its typed form; one that does not read is refused.
    public init(wire: Renkei_V1_RecordList) throws(RenkeiError) {
        var records = [ProvisionRecord]()
        records.reserveCapacity(wire.records.count)
        for (index, message) in wire.records.enumerated() {
            records.append(try ProvisionRecord(wire: message, index: index))
        }
        self.init(records: records)
    }

    public var wire: Renkei_V1_RecordList {
        var wire = Renkei_V1_RecordList()
        wire.records = records.map { record in
            var message = Renkei_V1_ProvisionRecordMessage()
            message.party = record.party.rawValue
            message.receptionNumber = record.receptionNumber.rawValue
            message.inquirer = record.inquirer.rawValue
            message.provider = record.provider.rawValue
            message.item = record.item.legacy?.description ?? ""
            message.ordinanceItem = record.item.ordinance?.description ?? ""
            message.operatorUser = record.operatorUser ?? ""
            message.operatorDepartment = record.operatorDepartment ?? ""
            message.procedureCode = record.procedure.rawValue
            message.informationCodes = record.informationCodes.map(\.rawValue)
            message.requestedAtMicros = record.requestedAt
            message.providedAtMicros = record.providedAt ?? 0
            message.outcome = record.outcome.rawValue
            message.errorCode = record.errorCode ?? ""
            message.inquirerNondisclosure = record.inquirerNondisclosure
            message.providerNondisclosure = record.providerNondisclosure
            message.testMode = record.testMode
            return message
        }
        return wire
    }
}

extension ProvisionRecord {
    /// A record from the wire. The 符号 do not travel: a tenant's records list leaves them out.
    init(wire: Renkei_V1_ProvisionRecordMessage, index: Int) throws(RenkeiError) {
        func parse<T>(_ field: String, _ text: String, _ make: (String) throws(IdentifierError) -> T) throws(RenkeiError) -> T {
            do { return try make(text) } catch { throw RenkeiError(.malformedMessage, "records[\(index)].\(field): \(error.description)") }
        }
        guard let party = Party(rawValue: wire.party), let outcome = InquiryOutcome(rawValue: wire.outcome) else {
            throw RenkeiError(
                .malformedMessage,
                "records[\(index)]: party \"\(wire.party.excerpt(20))\" or outcome \"\(wire.outcome.excerpt(20))\" is not one this build knows")
        }
        let read: ItemReference?
        do { read = try ItemReference(legacyText: wire.item, ordinanceText: wire.ordinanceItem) } catch {
            throw RenkeiError(.malformedMessage, "records[\(index)].item: \(error.message)")
        }
        guard let item = read else { throw RenkeiError(.malformedMessage, "records[\(index)] names no item") }
        var codes = [InformationCode]()
        for code in wire.informationCodes { codes.append(try parse("information_codes", code, InformationCode.init)) }
        self.init(
            party: party, receptionNumber: try parse("reception_number", wire.receptionNumber, ReceptionNumber.init),
            inquirer: try parse("inquirer", wire.inquirer, OrganizationCode.init),
            provider: try parse("provider", wire.provider, OrganizationCode.init), item: item,
            procedure: try parse("procedure_code", wire.procedureCode, ProcedureCode.init), informationCodes: codes,
            requestedAt: wire.requestedAtMicros, providedAt: wire.providedAtMicros == 0 ? nil : wire.providedAtMicros, outcome: outcome,
            errorCode: wire.errorCode.isEmpty ? nil : wire.errorCode, inquirerNondisclosure: wire.inquirerNondisclosure,
            providerNondisclosure: wire.providerNondisclosure, linkCode: nil, providerLinkCode: nil, testMode: wire.testMode,
            operatorUser: wire.operatorUser.isEmpty ? nil : wire.operatorUser,
            operatorDepartment: wire.operatorDepartment.isEmpty ? nil : wire.operatorDepartment
        )
    }
}
