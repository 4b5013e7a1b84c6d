import Foundation
import Hummingbird
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

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
            let error = RenkeiError(.bodyTooLarge, "the 電文 is over \(EdgeLimits.maximumBody) bytes")
            rest.journal.failed(context, error)
            return reply(MessageHeader(), type: "IF_ERR_00000_A01", error: error)
        }
        var header = MessageHeader()
        let message: XMLRequest
        do { message = try XMLRequest.parse(body.readableBytesView, header: &header) } catch {
            // A 電文 that does not parse is journaled with an excerpt of its bytes: what a vendor debugs first.
            rest.journal.unparsed(context, operation: header.typeID.isEmpty ? nil : header.typeID, bytes: body.readableBytesView, error: error)
            return reply(header, type: MessageType.answer(to: header.typeID), error: error)
        }
        do {
            let token = try request.bearerToken()
            switch message {
            case let .registration(registration): return try await registerDuplicates(header, registration, token: token, identity, context)
            case let .inquiry(inquiry): return try await inquire(header, inquiry, token: token, identity, context)
            case let .result(reception): return try await result(header, reception, identity, context)
            }
        } catch {
            rest.journal.failed(context, error)
            return reply(header, type: MessageType.answer(to: header.typeID), error: error)
        }
    }

    private func registerDuplicates(
        _ header: MessageHeader, _ registration: DuplicateRegistration, token: String, _ identity: PeerIdentity, _ context: EdgeRequestContext
    ) async throws(RenkeiError) -> Response {
        let entries = registration.entries
        if header.isTest {
            // テスト: checked, answered, not applied.
            rest.journal.journal.annotate(
                context.trace, operation: "\(header.typeID) (テスト, not applied)", request: ["entries": String(entries.count)])
            return reply(
                header, type: MessageType.answer(to: header.typeID), receptionNumber: "",
                counts: ["Registered": "0", "Checked": String(entries.count)])
        }
        let response: DuplicateRegistrationResponse
        do {
            response = try await rest.journal.run(
                context, operation: header.typeID, request: ["entries": String(entries.count)]
            ) { _ in
                try await rest.linkage.client(for: identity).registerDuplicates(
                    registration.entries, user: registration.userID, department: registration.departmentCode, token: token, deadline: rest.deadline())
            }
        } catch let error as RenkeiError { throw error } catch { throw RenkeiError(.internalError, "\(error)") }
        return reply(
            header, type: MessageType.answer(to: header.typeID), receptionNumber: "",
            counts: ["Registered": String(response.registered), "Deleted": String(response.deleted)])
    }

    private func inquire(
        _ header: MessageHeader, _ inquiry: InquiryBody, token: String, _ identity: PeerIdentity, _ context: EdgeRequestContext
    ) async throws(RenkeiError) -> Response {
        let result: InquiryResult
        do {
            result = try await rest.journal.run(
                context, operation: header.typeID,
                request: ["item": inquiry.item, "provider": inquiry.provider, "information": inquiry.information],
                reception: { $0.receptionNumber }
            ) { trace in
                var question = try InquiryQuestion(
                    item: inquiry.item, provider: inquiry.provider, information: inquiry.information, procedure: inquiry.procedure,
                    fiscalYear: inquiry.fiscalYear,
                    nondisclosure: inquiry.nondisclosure ?? false, testMode: header.isTest, department: inquiry.departmentCode, user: inquiry.userId,
                    trace: trace,
                    topology: rest.topology
                )
                question.operatorToken = token
                return try await rest.linkage.client(for: identity).inquire(
                    try inquiry.person(), question, asynchronous: inquiry.mode == "async", deadline: rest.deadline())
            }
        } catch let error as RenkeiError { throw error } catch { throw RenkeiError(.internalError, "\(error)") }
        return reply(header, type: MessageType.answer(to: header.typeID), result: result)
    }

    private func result(
        _ header: MessageHeader, _ reception: String, _ identity: PeerIdentity, _ context: EdgeRequestContext
    ) async throws(RenkeiError) -> Response {
        let result: InquiryResult
        do {
            result = try await rest.journal.run(context, operation: header.typeID, request: ["receptionNumber": reception]) { _ in
                try await rest.linkage.client(for: identity).result(reception, deadline: rest.deadline())
            }
        } catch let error as RenkeiError { throw error } catch { throw RenkeiError(.internalError, "\(error)") }
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

    private func reply(_ request: MessageHeader, type: String, result: InquiryResult) -> Response {
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
        writer.element(
            "ResultMessage", report.error?.message ?? (report.status == "awaiting_manual" ? "手動応答待ち" : report.status == "processing" ? "処理中" : "正常終了")
        )
        writer.element("ProviderCode", result.provider)
        writer.element("SpecificPersonalInformationCode", result.question.informationCode)
        writer.element("TestMode", report.testMode ? "1" : "0")
        writer.open("ProvidedData")
        for record in result.recordSet.records { DuplicateCopyData.write(record, to: &writer) }
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
