public import RenkeiCore

extension InquiryQuestion: WireConvertible {
    public init(wire: Renkei_V1_InquiryQuery) {
        self.init()
        item = wire.item
        procedureCode = wire.procedureCode
        informationCode = wire.informationCode
        provider = wire.provider
        fiscalYear = wire.fiscalYear
        inquirerNondisclosure = wire.inquirerNondisclosure
        departmentCode = wire.departmentCode
        userID = wire.userID
        operatorToken = wire.operatorToken
        testMode = wire.testMode
        traceID = wire.traceID
    }

    public var wire: Renkei_V1_InquiryQuery {
        var wire = Renkei_V1_InquiryQuery()
        wire.item = item
        wire.procedureCode = procedureCode
        wire.informationCode = informationCode
        wire.provider = provider
        wire.fiscalYear = fiscalYear
        wire.inquirerNondisclosure = inquirerNondisclosure
        wire.departmentCode = departmentCode
        wire.userID = userID
        wire.operatorToken = operatorToken
        wire.testMode = testMode
        wire.traceID = traceID
        return wire
    }
}
