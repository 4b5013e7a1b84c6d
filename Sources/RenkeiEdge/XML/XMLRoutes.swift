import Foundation
import Hummingbird
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiWire

/// The XML 電文 interface: POST /v1/xml with a Message (MessageHeader + MessageBody). Every
/// answer is a Message too, with MSGResult 0000 or the error code and a ResultMessage.
/// MSGMode 1 (テスト) runs the whole path and marks every record as test; a 副本 registration
/// in test mode is checked but not applied.
struct XMLRoutes: Sendable {
    let rest: RESTRoutes

    func add(to router: Router<EdgeRequestContext>) {
        router.post("/v1/xml") { request, context in try await handle(request, context) }
    }

    private func handle(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: EdgeLimits.maximumBody) } catch {
            return reply(MessageHeader(), type: "IF_ERR_00000_A01", error: RenkeiError(.bodyTooLarge, "the 電文 is over \(EdgeLimits.maximumBody) bytes"))
        }
        var header = MessageHeader()
        do {
            let tree = try XMLTreeParser.parse(Data(body.readableBytesView), what: "the 電文")
            header = try MessageHeader(tree)
            let messageBody = tree.child("MessageBody") ?? XMLTree(name: "MessageBody", attributes: [:])
            switch header.typeID {
            case MessageType.duplicateRegistration: return try await registerDuplicates(header, messageBody, identity)
            case MessageType.inquiry: return try await inquire(header, messageBody, identity)
            case MessageType.result: return try await result(header, messageBody, identity)
            default:
                throw RenkeiError(.malformedMessage, "MSGTypeID \(header.typeID) is not one this edge serves (\(MessageType.duplicateRegistration), \(MessageType.inquiry), \(MessageType.result))")
            }
        } catch let error as RenkeiError {
            return reply(header, type: MessageType.answer(to: header.typeID), error: error)
        }
    }

    private func registerDuplicates(_ header: MessageHeader, _ body: XMLTree, _ identity: PeerIdentity) async throws(RenkeiError) -> Response {
        guard let list = body.child("SPIRegistrationDeleteList") else {
            throw RenkeiError(.malformedMessage, "MessageBody.SPIRegistrationDeleteList is missing")
        }
        let segment = list.value("SegmentOfRegistrationDelete") ?? ""
        guard segment == "1" || segment == "2" else {
            throw RenkeiError(.malformedMessage, "SegmentOfRegistrationDelete must be 1 (登録) or 2 (削除), not \"\(segment)\"")
        }
        let entries = list.all("InformationOfSPIRegistrationDelete")
        guard !entries.isEmpty else { throw RenkeiError(.malformedMessage, "SPIRegistrationDeleteList has no InformationOfSPIRegistrationDelete") }
        guard entries.count <= 10_000 else { throw RenkeiError(.invalidRequest, "at most 10,000 副本 per 電文; split it") }
        var registration = Renkei_V1_DuplicateRegistration()
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            func required(_ name: String) throws(RenkeiError) -> String {
                guard let value = entry.value(name) else {
                    throw RenkeiError(.malformedMessage, "InformationOfSPIRegistrationDelete[\(index)].\(name) is required")
                }
                return value
            }
            let recordID = try required("RecordIdentificationNumber")
            guard seen.insert(recordID).inserted else {
                throw RenkeiError(.duplicateRecord, "「レコード識別番号」が既に存在しています。 (InformationOfSPIRegistrationDelete[\(index)]: \(recordID))")
            }
            var wire = Renkei_V1_DuplicateRegistration.Entry()
            wire.integratedAddressNumber = try required("IntegratedAddressNumber")
            wire.record.informationCode = try required("SpecificPersonalInformationCode")
            wire.record.dataSet = try required("DataSetIdentificationItemCode")
            wire.record.recordKey = entry.value("DataSetRecordKey") ?? "1"
            guard let version = UInt32(try required("SPIMajorVersion")), version >= 1 else {
                throw RenkeiError(.malformedMessage, "InformationOfSPIRegistrationDelete[\(index)].SPIMajorVersion must be a number from 1")
            }
            wire.record.version = version
            wire.record.publicationDate = entry.value("PublicationDate") ?? ""
            wire.record.endDate = entry.value("PublishedEndDate") ?? ""
            wire.delete = segment == "2"
            if !wire.delete {
                wire.record.items = try DuplicateCopyData.parse(try required("DuplicateCopyData"), entry: index)
            }
            registration.entries.append(wire)
        }
        if header.isTest {
            // テスト: checked, answered, not applied.
            return reply(header, type: MessageType.answer(to: header.typeID), receptionNumber: "", counts: ["Registered": "0", "Checked": String(entries.count)])
        }
        let response: Renkei_V1_DuplicateRegistrationResponse
        do {
            response = try await rest.journal.run(identity, interface: "xml", operation: "registerDuplicates", request: ["entries": String(entries.count)]) { _ in
                try await rest.front.registerDuplicates(registration, context: rest.requestContext(identity, method: "xml.registerDuplicates"))
            }
        } catch let error as RenkeiError { throw error } catch { throw RenkeiError(.internalError, "\(error)") }
        return reply(header, type: MessageType.answer(to: header.typeID), receptionNumber: "",
                     counts: ["Registered": String(response.registered), "Deleted": String(response.deleted)])
    }

    private func inquire(_ header: MessageHeader, _ body: XMLTree, _ identity: PeerIdentity) async throws(RenkeiError) -> Response {
        guard let inquiry = body.child("InquiryRequest") else { throw RenkeiError(.malformedMessage, "MessageBody.InquiryRequest is missing") }
        func required(_ name: String) throws(RenkeiError) -> String {
            guard let value = inquiry.value(name) else { throw RenkeiError(.malformedMessage, "InquiryRequest.\(name) is required") }
            return value
        }
        let addressNumber = inquiry.value("AddressNumber")
        let myNumber = inquiry.value("KojinNo")
        guard (addressNumber == nil) != (myNumber == nil) else {
            throw RenkeiError(.malformedMessage, "InquiryRequest needs exactly one of AddressNumber and KojinNo")
        }
        let item = try required("LegalItemNumber")
        let provider = try required("ProviderCode")
        let information = try required("SpecificPersonalInformationCode")
        let asynchronous = inquiry.value("Asynchronous") == "1"
        let result: Renkei_V1_InquiryResult
        do {
            result = try await rest.journal.run(identity, interface: "xml", operation: "inquire", request: ["item": item, "provider": provider, "information": information],
                                                reception: { $0.receptionNumber }) { trace in
                var wire = Renkei_V1_AddresseeInquiryRequest()
                if let addressNumber { wire.addressNumber = addressNumber }
                if let myNumber { wire.myNumber = myNumber }
                wire.asynchronous = asynchronous
                wire.query = try QueryBuilder(topology: rest.topology).query(
                    item: item, provider: provider, information: information, procedure: inquiry.value("ProcedureCode"), fiscalYear: inquiry.value("FiscalYear"),
                    nondisclosure: inquiry.value("NonDisclosure") == "1", testMode: header.isTest,
                    department: body.value("RequestSourceUnitCode"), user: body.value("RequestSourceUserID"), trace: trace
                )
                return try await rest.front.inquire(wire, context: rest.requestContext(identity, method: "xml.inquire"))
            }
        } catch let error as RenkeiError { throw error } catch { throw RenkeiError(.internalError, "\(error)") }
        return reply(header, type: MessageType.answer(to: header.typeID), result: result)
    }

    private func result(_ header: MessageHeader, _ body: XMLTree, _ identity: PeerIdentity) async throws(RenkeiError) -> Response {
        let reception = body.value("ReceptionNumber") ?? header.receptionNumber
        guard !reception.isEmpty else { throw RenkeiError(.malformedMessage, "give the ReceptionNumber to fetch, in the header or the body") }
        let result = try await rest.front.result(reception, context: rest.requestContext(identity, method: "xml.result"))
        return reply(header, type: MessageType.answer(to: header.typeID), result: result)
    }

    // MARK: answers

    private func reply(_ request: MessageHeader, type: String, error: RenkeiError) -> Response {
        var writer = XMLWriter()
        writer.open("Message")
        request.answer(type: type, receptionNumber: request.receptionNumber, result: error.code.rawValue).write(to: &writer)
        writer.open("MessageBody")
        writer.element("ResultMessage", error.message)
        writer.close("MessageBody")
        writer.close("Message")
        return xml(writer.text, status: HTTPStatusMapping.status(for: error.code))
    }

    private func reply(_ request: MessageHeader, type: String, receptionNumber: String, counts: [String: String]) -> Response {
        var writer = XMLWriter()
        writer.open("Message")
        request.answer(type: type, receptionNumber: receptionNumber, result: "0000").write(to: &writer)
        writer.open("MessageBody")
        for (name, value) in counts.sorted(by: { $0.key < $1.key }) { writer.element(name, value) }
        writer.element("ResultMessage", request.isTest ? "テスト: 検査のみ、登録していません" : "正常終了")
        writer.close("MessageBody")
        writer.close("Message")
        return xml(writer.text, status: .ok)
    }

    private func reply(_ request: MessageHeader, type: String, result: Renkei_V1_InquiryResult) -> Response {
        let report = InquiryReport(result, topology: rest.topology)
        var writer = XMLWriter()
        writer.open("Message", [("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")])
        request.answer(type: type, receptionNumber: result.receptionNumber, result: report.error?.code ?? "0000").write(to: &writer)
        writer.open("MessageBody")
        writer.open("InquiryResult")
        writer.element("Status", report.status)
        writer.element("Outcome", report.outcome)
        writer.element("DetailStatus", report.statusCodes.detail)
        writer.element("SPIStatus", report.statusCodes.information)
        writer.element("ResultMessage", report.error?.message ?? (report.status == "awaiting_manual" ? "手動応答待ち" : report.status == "processing" ? "処理中" : "正常終了"))
        writer.element("ProviderCode", result.provider)
        writer.element("SpecificPersonalInformationCode", result.query.informationCode)
        writer.element("TestMode", report.testMode ? "1" : "0")
        writer.open("ProvidedData")
        for record in result.records { DuplicateCopyData.write(record, to: &writer) }
        writer.close("ProvidedData")
        writer.close("InquiryResult")
        writer.close("MessageBody")
        writer.close("Message")
        let status: HTTPResponse.Status = result.status == .processing || result.status == .awaitingManual ? .accepted : .ok
        return xml(writer.text, status: status)
    }

    private func xml(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
