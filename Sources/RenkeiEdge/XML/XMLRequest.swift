import RenkeiCore

/// A 電文 read into what it asks, with every field checked: a pure function of the bytes,
/// so the fuzz target and the route run the same code.
enum XMLRequest {
    case registration(DuplicateRegistration)
    /// IF_SKI_10101_R01, read into the same body a REST inquiry has.
    case inquiry(InquiryBody)
    case result(reception: String)

    /// Parses the 電文; `header` is set as soon as it is read, so that a refusal of the
    /// body still answers with the caller's MSGID.
    static func parse(_ bytes: some Sequence<UInt8>, header: inout MessageHeader) throws(RenkeiError) -> XMLRequest {
        let tree = try XMLTreeParser.parse(bytes, what: "the 電文")
        guard tree.name == "Message" else {
            throw RenkeiError(.malformedMessage, "the root element is <\(tree.name.excerpt(32))>; a 電文 is a <Message>")
        }
        header = try MessageHeader(tree)
        // Checked once the header is read, so that the refusal still echoes the caller's MSGID.
        try tree.child("MessageHeader")?.requireOnly(MessageHeader.elements, at: "MessageHeader")
        try tree.requireOnly(["MessageHeader", "MessageBody"], at: "Message")
        let body = tree.child("MessageBody") ?? XMLTree(name: "MessageBody", attributes: [:])
        switch header.typeID {
        case MessageType.duplicateRegistration:
            try body.requireOnly(Known.registrationBody, at: "MessageBody")
            return .registration(try registration(body))
        case MessageType.inquiry:
            try body.requireOnly(Known.inquiryBody, at: "MessageBody")
            return .inquiry(try inquiry(body))
        case MessageType.result:
            try body.requireOnly(["ReceptionNumber"], at: "MessageBody")
            let reception = body.value("ReceptionNumber") ?? header.receptionNumber
            guard !reception.isEmpty else { throw RenkeiError(.malformedMessage, "give the ReceptionNumber to fetch, in the header or the body") }
            return .result(reception: reception)
        default:
            throw RenkeiError(
                .malformedMessage,
                "MSGTypeID \(header.typeID) is not one this edge serves (\(MessageType.duplicateRegistration), \(MessageType.inquiry), \(MessageType.result))"
            )
        }
    }

    static func registration(_ body: XMLTree) throws(RenkeiError) -> DuplicateRegistration {
        guard let list = body.child("SPIRegistrationDeleteList") else {
            throw RenkeiError(.malformedMessage, "MessageBody.SPIRegistrationDeleteList is missing")
        }
        try list.requireOnly(
            ["SegmentOfRegistrationDelete", "InformationOfSPIRegistrationDelete"], repeatable: ["InformationOfSPIRegistrationDelete"],
            at: "SPIRegistrationDeleteList")
        let segment = list.value("SegmentOfRegistrationDelete") ?? ""
        guard segment == "1" || segment == "2" else {
            throw RenkeiError(.malformedMessage, "SegmentOfRegistrationDelete must be 1 (登録) or 2 (削除), not \"\(segment.excerpt(8))\"")
        }
        let entries = list.all("InformationOfSPIRegistrationDelete")
        guard !entries.isEmpty else { throw RenkeiError(.malformedMessage, "SPIRegistrationDeleteList has no InformationOfSPIRegistrationDelete") }
        guard entries.count <= 10_000 else { throw RenkeiError(.invalidRequest, "at most 10,000 副本 per 電文; split it") }
        var registration = DuplicateRegistration()
        registration.userID = body.value("RequestSourceUserID") ?? ""
        registration.departmentCode = body.value("RequestSourceUnitCode") ?? ""
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            try entry.requireOnly(Known.registrationEntry, at: "InformationOfSPIRegistrationDelete[\(index)]")
            func required(_ name: String) throws(RenkeiError) -> String {
                guard let value = entry.value(name) else {
                    throw RenkeiError(.malformedMessage, "InformationOfSPIRegistrationDelete[\(index)].\(name) is required")
                }
                return value
            }
            let recordID = try required("RecordIdentificationNumber")
            guard seen.insert(recordID).inserted else {
                throw RenkeiError(.duplicateRecord, "「レコード識別番号」が既に存在しています。 (InformationOfSPIRegistrationDelete[\(index)]: \(recordID.excerpt(32)))")
            }
            let integratedAddressNumber = try required("IntegratedAddressNumber")
            let informationCode = try required("SpecificPersonalInformationCode")
            let dataSet = try required("DataSetIdentificationItemCode")
            guard let version = Int(try required("SPIMajorVersion")), version >= 1 else {
                throw RenkeiError(.malformedMessage, "InformationOfSPIRegistrationDelete[\(index)].SPIMajorVersion must be a number from 1")
            }
            let delete = segment == "2"
            let items = delete ? [] : try DuplicateCopyData.parse(try required("DuplicateCopyData"), entry: index)
            // The same checks as registration at the 中間サーバー, here so that a テスト 電文, which is not applied, is checked too.
            do throws(RenkeiError) {
                let record = DuplicateRecord(
                    informationCode: try Parse.identifier("特定個人情報名コード", informationCode, InformationCode.init), dataSet: dataSet,
                    recordKey: entry.value("DataSetRecordKey") ?? "1", version: version,
                    publicationDate: try CivilDate.field(entry.value("PublicationDate"), "公開開始日"),
                    endDate: try CivilDate.field(entry.value("PublishedEndDate"), "公開終了日"), items: items
                )
                try record.validate()
                registration.entries.append(
                    DuplicateRegistration.Entry(record: record, integratedAddressNumber: integratedAddressNumber, delete: delete))
            } catch {
                throw RenkeiError(error.code, "InformationOfSPIRegistrationDelete[\(index)]: \(error.message)")
            }
        }
        return registration
    }

    static func inquiry(_ body: XMLTree) throws(RenkeiError) -> InquiryBody {
        guard let inquiry = body.child("InquiryRequest") else { throw RenkeiError(.malformedMessage, "MessageBody.InquiryRequest is missing") }
        try inquiry.requireOnly(Known.inquiryRequest, at: "InquiryRequest")
        func required(_ name: String) throws(RenkeiError) -> String {
            guard let value = inquiry.value(name) else { throw RenkeiError(.malformedMessage, "InquiryRequest.\(name) is required") }
            return value
        }
        let addressNumber = inquiry.value("AddressNumber")
        let myNumber = inquiry.value("KojinNo")
        guard (addressNumber == nil) != (myNumber == nil) else {
            throw RenkeiError(.malformedMessage, "InquiryRequest needs exactly one of AddressNumber and KojinNo")
        }
        return InquiryBody(
            addressNumber: addressNumber, myNumber: myNumber, item: try required("LegalItemNumber"), provider: try required("ProviderCode"),
            information: try required("SpecificPersonalInformationCode"), procedure: inquiry.value("ProcedureCode"),
            fiscalYear: inquiry.value("FiscalYear"),
            nondisclosure: inquiry.value("NonDisclosure") == "1", mode: inquiry.value("Asynchronous") == "1" ? "async" : "sync",
            departmentCode: body.value("RequestSourceUnitCode"), userId: body.value("RequestSourceUserID")
        )
    }
}

extension XMLRequest {
    /// The elements each part of a 電文 may hold (docs/xsd): any other is refused, not skipped.
    enum Known {
        static let registrationBody = ["RequestSourceUnitCode", "RequestSourceUserID", "SPIRegistrationDeleteList"]
        /// As observed (domain.md §6.2); renkei reads the 統合宛名番号, not the first three or the last two before the data.
        static let registrationEntry = [
            "SystemShikibetsuCode", "ShikibetsuCode", "KojinNo", "RecordIdentificationNumber", "IntegratedAddressNumber",
            "SpecificPersonalInformationCode", "DataSetIdentificationItemCode", "DataSetRecordKey", "SPIMajorVersion",
            "ParentDataSetRecordKey", "PublicationDate", "PublishedEndDate", "AdministrativeRegionCode", "DuplicateCopyData",
        ]
        static let inquiryBody = ["RequestSourceUnitCode", "RequestSourceUserID", "InquiryRequest"]
        static let inquiryRequest = [
            "AddressNumber", "KojinNo", "LegalItemNumber", "ProviderCode", "SpecificPersonalInformationCode", "ProcedureCode", "FiscalYear",
            "NonDisclosure", "Asynchronous",
        ]
    }
}
