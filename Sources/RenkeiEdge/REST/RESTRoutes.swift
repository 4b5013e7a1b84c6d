import Foundation
public import Hummingbird
import HummingbirdCore
import NIOCore
public import RenkeiConfig
public import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// The REST/JSON interface of an edge: inquiries (synchronous or with a 受付番号 to poll),
/// 副本 registration and deletion, 符号取得, and the 機関's records.
struct RESTRoutes: Sendable {
    let linkage: EdgeLinkage
    let topology: Topology
    let journal: EdgeJournal

    static let defaultTimeout = 10_000
    static let maximumTimeout = 60_000

    func add(to router: Router<EdgeRequestContext>) {
        router.post("/v1/inquiries") { request, context in try await inquire(request, context) }
        router.get("/v1/inquiries/:receptionNumber") { _, context in try await result(context) }
        router.post("/v1/duplicates") { request, context in try await registerDuplicates(request, context) }
        router.get("/v1/duplicates/:addressNumber") { request, context in try await readDuplicates(request, context) }
        router.delete("/v1/duplicates/:addressNumber/:information/:dataSet/:recordKey") { request, context in
            try await deleteDuplicate(request, context)
        }
        router.post("/v1/link-codes") { request, context in try await acquire(request, context) }
        router.get("/v1/records") { request, context in try await records(request, context) }
        router.post("/v1/sessions") { request, context in try await signIn(request, context) }
        router.delete("/v1/sessions") { request, context in try await signOut(request, context) }
    }

    func deadline(timeoutMs: Int = RESTRoutes.defaultTimeout) -> NIODeadline { .now() + .milliseconds(Int64(timeoutMs)) }

    private func inquire(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await JSONBody.decode(InquiryBody.self, from: request, context: context)
        let timeout = body.timeoutMs ?? Self.defaultTimeout
        guard (1...Self.maximumTimeout).contains(timeout) else {
            throw RenkeiError(.invalidRequest, "timeoutMs must be 1 to \(Self.maximumTimeout)")
        }
        guard ["sync", "async"].contains(body.mode ?? "sync") else { throw RenkeiError(.invalidRequest, "mode is sync or async") }
        guard (body.addressNumber == nil) != (body.myNumber == nil) else {
            throw RenkeiError(.invalidRequest, "give exactly one of addressNumber and myNumber")
        }
        let summary = [
            "item": body.item, "provider": body.provider, "information": body.information, "addressNumber": body.addressNumber ?? "(個人番号)",
        ]
        let token = try request.bearerToken()
        let result = try await journal.run(context, operation: "inquire", request: summary, reception: { $0.receptionNumber }) {
            trace in
            var question = try InquiryQuestion(
                item: body.item, provider: body.provider, information: body.information, procedure: body.procedure, fiscalYear: body.fiscalYear,
                nondisclosure: body.nondisclosure ?? false, testMode: body.testMode ?? false, department: body.departmentCode, user: body.userId,
                trace: trace,
                topology: topology
            )
            question.operatorToken = token
            return try await linkage.client(for: identity).inquire(
                try body.person(), question, asynchronous: body.mode == "async", deadline: deadline(timeoutMs: timeout))
        }
        let status: HTTPResponse.Status = result.status == .processing || result.status == .awaitingManual ? .accepted : .ok
        return try JSONBody.response(InquiryReport(result, topology: topology), status: status)
    }

    private func result(_ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let reception = try context.parameters.require("receptionNumber")
        let result = try await journal.run(context, operation: "result", request: ["receptionNumber": reception]) { _ in
            try await linkage.client(for: identity).result(reception, deadline: deadline())
        }
        return try JSONBody.response(InquiryReport(result, topology: topology))
    }

    private func registerDuplicates(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await JSONBody.decode(DuplicatesBody.self, from: request, context: context)
        let token = try request.bearerToken()
        let response = try await journal.run(
            context, operation: "registerDuplicates", request: ["entries": String(body.entries.count)]
        ) { _ in
            try await linkage.client(for: identity).registerDuplicates(
                try body.entries(topology: topology), user: body.userId ?? "", department: body.departmentCode ?? "", token: token,
                deadline: deadline())
        }
        return try JSONBody.response(CountsBody(registered: Int(response.registered), deleted: Int(response.deleted)))
    }

    /// GET /v1/duplicates/{addressNumber}: what is held for the person, for the member of staff
    /// whose Bearer token comes with it.
    private func readDuplicates(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let addressNumber = try context.parameters.require("addressNumber")
        let query = request.uri.queryParameters
        let unknown = query.map { String($0.key) }.filter { $0 != "information" }
        guard unknown.isEmpty else {
            throw RenkeiError(.invalidRequest, "unknown query parameter \(unknown.sorted().joined(separator: ", ")); the one known is information")
        }
        let information = try query["information"].map { try topology.informationCode(for: String($0)).rawValue } ?? ""
        let token = try request.bearerToken()
        let records = try await journal.run(
            context, operation: "readDuplicates", request: ["addressNumber": addressNumber, "information": information]
        ) {
            _ in
            try await linkage.client(for: identity).duplicates(
                addressNumber: addressNumber, information: information, token: token, deadline: deadline())
        }
        return try JSONBody.response(DuplicateListBody(addressNumber: addressNumber, records: records))
    }

    private func deleteDuplicate(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let addressNumber = try context.parameters.require("addressNumber")
        let record = try DuplicateRecord.key(
            informationCode: try topology.informationCode(for: try context.parameters.require("information")),
            dataSet: try context.parameters.require("dataSet"), recordKey: try context.parameters.require("recordKey")
        )
        let token = try request.bearerToken()
        let query = request.uri.queryParameters
        let response = try await journal.run(context, operation: "deleteDuplicate", request: ["addressNumber": addressNumber]) {
            _ in
            try await linkage.client(for: identity).registerDuplicates(
                [.init(record: record, addressNumber: addressNumber, delete: true)], user: query["userId"].map(String.init) ?? "",
                department: query["departmentCode"].map(String.init) ?? "", token: token, deadline: deadline())
        }
        return try JSONBody.response(CountsBody(deleted: Int(response.deleted)))
    }

    /// POST /v1/sessions: a member of staff signs in with their password and gets a session token.
    private func signIn(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await JSONBody.decode(SignInBody.self, from: request, context: context)
        var signIn = SignInRequest()
        signIn.userID = body.userId
        signIn.password = body.password
        let response = try await journal.run(context, operation: "signIn", request: ["userId": body.userId]) { _ in
            try await linkage.client(for: identity).signIn(signIn, deadline: deadline())
        }
        return try JSONBody.response(
            SessionBody(token: response.token, expiresAt: JSTTime.iso8601(response.expiresAtMicros), account: StaffBody(response.account)),
            status: .created)
    }

    /// DELETE /v1/sessions: signs the session of the Bearer token out.
    private func signOut(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        var signOut = SignInRequest()
        signOut.signOutToken = try request.bearerToken()
        guard !signOut.signOutToken.isEmpty else { throw RenkeiError(.tokenInvalid, "sign-out needs the session's Authorization: Bearer token") }
        _ = try await journal.run(context, operation: "signOut", request: [:]) { _ in
            try await linkage.client(for: identity).signIn(signOut, deadline: deadline())
        }
        return Response(status: .noContent)
    }

    private func acquire(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await JSONBody.decode(LinkCodeBody.self, from: request, context: context)
        guard (body.addressNumber == nil) != (body.myNumber == nil) else {
            throw RenkeiError(.invalidRequest, "give exactly one of addressNumber and myNumber")
        }
        let person: PersonReference = body.addressNumber.map { .addressNumber($0) } ?? .myNumber(body.myNumber ?? "")
        try await journal.run(context, operation: "acquireLinkCode", request: ["addressNumber": body.addressNumber ?? "(個人番号)"]) {
            _ in
            try await linkage.client(for: identity).acquireLinkCode(person, deadline: deadline())
        }
        return try JSONBody.response(CountsBody(status: "acquired"))
    }

    private func records(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        let search = try RecordSearchQuery.parse(request.uri.queryParameters, topology: topology)
        let list = try await journal.run(context, operation: "records", request: [:]) { _ in
            try await linkage.client(for: identity).records(search, deadline: deadline())
        }
        let name: (OrganizationCode) -> String = { code in topology.organization(code: code)?.name ?? code.rawValue }
        let records = list.records.map { record in
            RecordBody(
                party: record.party.rawValue, receptionNumber: record.receptionNumber.rawValue, inquirer: name(record.inquirer),
                provider: name(record.provider),
                item: record.item.legacy?.description, ordinanceItem: record.item.ordinance?.description, procedure: record.procedure.rawValue,
                information: record.informationCodes.map(\.rawValue),
                requestedAt: JSTTime.iso8601(record.requestedAt), providedAt: record.providedAt.map(JSTTime.iso8601),
                outcome: record.outcome.rawValue, errorCode: record.errorCode,
                nondisclosure: record.inquirerNondisclosure || record.providerNondisclosure, testMode: record.testMode,
                operatorUser: record.operatorUser, operatorDepartment: record.operatorDepartment
            )
        }
        return try JSONBody.response(["records": records])
    }
}

/// GET /v1/records' query, also the console's record search: one reading of it.
public enum RecordSearchQuery {
    /// GET /v1/records' query (since, item, information, counterpart, test, limit) as a search.
    public static func parse(_ query: FlatDictionary<Substring, Substring>, topology: Topology) throws(RenkeiError) -> RecordSearch {
        var search = RecordSearch()
        if let since = query["since"] {
            search.sinceMicros = (Int64(try CivilDate(String(since)).daysSinceEpoch) * 86_400 - 9 * 3_600) * 1_000_000
        }
        if let item = query["item"] { search.item = try ItemCitation(String(item)).description }
        if let information = query["information"] { search.informationCode = try topology.informationCode(for: String(information)).rawValue }
        if let counterpart = query["counterpart"] {
            search.counterpart = try topology.requireOrganization(String(counterpart), role: "organization").code.rawValue
        }
        search.testMode = query["test"].map { $0 == "true" || $0 == "1" } ?? false
        let limit = Int(query["limit"].map(String.init) ?? "100") ?? -1
        guard (1...10_000).contains(limit) else { throw RenkeiError(.invalidRequest, "limit must be 1 to 10000") }
        search.limit = UInt32(limit)
        return search
    }
}
