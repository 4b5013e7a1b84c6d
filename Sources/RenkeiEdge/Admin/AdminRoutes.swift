import Foundation
import Hummingbird
import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore

/// The tester's controls: reset to a scenario, the request journal, fault injection,
/// verification of what reached a provider, and the manual-response queue.
struct AdminRoutes: Sendable {
    let network: LinkageNetwork
    let scenarios: URL
    let linkageOperator: LinkageOperator

    init(network: LinkageNetwork, scenarios: URL, credentials: Credentials, logger: Logger) {
        self.network = network
        self.scenarios = scenarios
        linkageOperator = LinkageOperator(topology: network.topology, endpoints: network.endpoints, credentials: credentials, logger: logger)
    }

    private var topology: Topology { network.topology }
    private func deadline() -> NIODeadline { .now() + .seconds(30) }

    func add(to router: Router<EdgeRequestContext>) {
        router.get("/admin/scenarios") { _, context in
            try allow(context, .runExercise("list scenarios"))
            return try scenarioList()
        }
        router.post("/admin/reset") { request, context in
            try allow(context, .runExercise("reset the network to a scenario"))
            return try await reset(request, context)
        }
        router.post("/admin/scenarios") { request, context in
            try allow(context, .runExercise("upload a scenario"))
            return try await upload(request, context)
        }
        router.get("/admin/journal") { request, context in
            try allow(context, .observe("read the request journal"))
            return try journal(request)
        }
        router.get("/admin/faults") { _, context in
            try allow(context, .observe("see the faults"))
            return try JSONBody.response(["faults": network.control.faults.faults.map(FaultBody.init)])
        }
        router.post("/admin/faults") { request, context in
            try allow(context, .runExercise("inject faults"))
            return try await addFault(request, context)
        }
        router.delete("/admin/faults") { _, context in
            try allow(context, .runExercise("clear faults"))
            network.control.faults.clear()
            return try JSONBody.response(CountsBody(status: "cleared"))
        }
        router.delete("/admin/faults/:id") { _, context in
            try allow(context, .runExercise("remove a fault"))
            let id = try context.parameters.require("id")
            guard network.control.faults.remove(id: id) else { throw RenkeiError(.notFound, "no fault \(id)") }
            return try JSONBody.response(CountsBody(deleted: 1))
        }
        router.get("/admin/verify") { request, context in
            try allow(context, .observe("verify what reached a provider"))
            return try await verify(request)
        }
        router.get("/admin/queue") { request, context in try await queue(request, context) }
        router.get("/admin/status") { _, context in
            try allow(context, .observe("see the status"))
            return try await status()
        }
        router.post("/admin/queue/:tenant/:receptionNumber/provide") { _, context in try await resolve(context, provide: true) }
        router.post("/admin/queue/:tenant/:receptionNumber/withhold") { _, context in try await resolve(context, provide: false) }
        router.post("/admin/flags") { request, context in try await flag(request, context) }
        router.get("/admin/staff/:organization") { _, context in try await staff(context, .list) }
        router.put("/admin/staff/:organization/:userId") { request, context in try await putStaff(request, context) }
        router.post("/admin/staff/:organization/:userId/disable") { _, context in try await staff(context, .disable) }
        router.post("/admin/staff/:organization/:userId/password") { request, context in try await resetPassword(request, context) }
        router.post("/admin/staff/:organization/:userId/tokens") { _, context in try await staff(context, .issueToken) }
    }

    /// Refuses a caller whose role may not do what the route does (platform operator,
    /// trainer, or the 機関's own administrator).
    private func allow(_ context: EdgeRequestContext, _ scope: AdminScope) throws {
        try AccessPolicy(topology: topology).require(try context.caller(), .administer(scope))
    }

    // MARK: staff

    private func staff(
        _ context: EdgeRequestContext, _ action: StaffRequest.Action, password: String = "", account: StaffSummary? = nil
    )
        async throws -> Response
    {
        let organization = try topology.requireOrganization(try context.parameters.require("organization"), role: "organization")
        try allow(context, .manageTenant(organization, action == .list ? "see the staff" : "manage the staff"))
        var request = StaffRequest()
        request.action = action
        request.userID = context.parameters.get("userId") ?? ""
        request.password = password
        if let account { request.account = account }
        let response = try await linkageOperator.staff(request, of: organization, deadline: deadline())
        return try JSONBody.response(
            StaffListBody(
                organization: organization.id, accounts: response.accounts.map(StaffBody.init),
                secret: response.secret.isEmpty ? nil : response.secret),
            status: action == .list ? .ok : .created)
    }

    private func putStaff(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        var body = try await JSONBody.decode(StaffBody.self, from: request, context: context)
        let user = try context.parameters.require("userId")
        guard body.userId == user else { throw RenkeiError(.invalidRequest, "the body's userId \(body.userId) is not the path's \(user)") }
        body.userId = user
        return try await staff(context, .put, account: body.summary)
    }

    private func resetPassword(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(PasswordBody.self, from: request, context: context)
        return try await staff(context, .resetPassword, password: body.password ?? "")
    }

    private func scenarioList() throws -> Response {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? []).filter { $0.hasSuffix(".yaml") }.map {
            String($0.dropLast(5))
        }.sorted()
        return try JSONBody.response(["scenarios": names])
    }

    private func reset(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ResetBody.self, from: request, context: context)
        let scenario = try Scenario.load(named: body.scenario, in: scenarios, topology: topology)
        return try JSONBody.response(try await network.reset(to: scenario, by: context.caller().name))
    }

    private func upload(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: EdgeLimits.maximumJSONBody) } catch {
            throw RenkeiError(.bodyTooLarge, "a scenario is at most \(EdgeLimits.maximumJSONBody) bytes")
        }
        let scenario = try Scenario.parse(yaml: String(decoding: body.readableBytesView, as: UTF8.self), topology: topology)
        return try JSONBody.response(try await network.reset(to: scenario, by: context.caller().name))
    }

    /// GET /admin/journal: the entries a filter picks, as one JSON document or as JSON lines
    /// (`format=jsonl`, one entry per line, for export and for `--follow`).
    private func journal(_ request: Request) throws -> Response {
        let filter = try JournalQuery.filter(request.uri.queryParameters, now: network.clock.nowMicros())
        let entries = network.control.journal.entries(filter)
        guard request.uri.queryParameters["format"] == "jsonl" else { return try JSONBody.response(JournalBody(entries: entries)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for entry in entries { text += String(decoding: try encoder.encode(entry), as: UTF8.self) + "\n" }
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func addFault(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(FaultBody.self, from: request, context: context)
        return try JSONBody.response(FaultBody(try body.inject(into: network)), status: .created)
    }

    /// How many inquiries matching the fields reached the provider (its own records).
    private func verify(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let providerText = query["provider"] else { throw RenkeiError(.invalidRequest, "provider is required") }
        let provider = try topology.requireOrganization(String(providerText), role: "provider")
        guard let host = topology.intermediateServer(hosting: provider.id), let store = network.stores[host.name] else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(provider.name)")
        }
        var filter = RecordQuery(party: .provider, provider: provider.code)
        if let inquirer = query["inquirer"] { filter.inquirer = try topology.requireOrganization(String(inquirer), role: "inquirer").code }
        if let item = query["item"] { filter.item = try topology.rules.reference(for: try ItemCitation(String(item)), on: network.clock.today()) }
        if let information = query["information"] { filter.information = try topology.informationCode(for: String(information)) }
        if let outcome = query["outcome"] {
            guard let value = InquiryOutcome(rawValue: String(outcome)) else {
                throw RenkeiError(.invalidRequest, "outcome is one of \(InquiryOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.outcome = value
        }
        if let since = query["since"] { filter.since = (Int64(try CivilDate(String(since)).daysSinceEpoch) * 86_400 - 9 * 3_600) * 1_000_000 }
        filter.testMode = query["test"] == "true"
        let count = try await store.countRecords(filter)
        return try JSONBody.response(["count": count])
    }

    private func queue(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let tenant = try request.uri.queryParameters["tenant"].map { text throws(RenkeiError) in
            try topology.requireOrganization(String(text), role: "tenant")
        }
        // One 機関's queue is its administrator's; every queue at once is metadata for the operator.
        try allow(context, tenant.map { .manageTenant($0, "see the manual-response queue") } ?? .observe("see every manual-response queue"))
        let entries = try await linkageOperator.queue(of: tenant, deadline: deadline()).map { entry in
            QueueEntryBody(
                receptionNumber: entry.receptionNumber, tenant: topology.organization(named: entry.tenant)?.id ?? entry.tenant,
                inquirer: topology.organization(named: entry.inquirer)?.name ?? entry.inquirer, item: entry.question.item,
                information: entry.question.informationCode, queuedAt: JSTTime.iso8601(entry.queuedAtMicros),
                deadline: JSTTime.iso8601(entry.deadlineMicros)
            )
        }
        return try JSONBody.response(["entries": entries])
    }

    private func status() async throws -> Response {
        let queued = try await linkageOperator.queue(of: nil, deadline: deadline()).count
        return try JSONBody.response(
            AdminStatus(scenario: network.control.scenario.current, queued: queued, faults: network.control.faults.faults.count))
    }

    private func resolve(_ context: EdgeRequestContext, provide: Bool) async throws -> Response {
        let tenant = try topology.requireOrganization(try context.parameters.require("tenant"), role: "tenant")
        try allow(context, .manageTenant(tenant, "answer the manual-response queue"))
        try await linkageOperator.resolve(try context.parameters.require("receptionNumber"), of: tenant, provide: provide, deadline: deadline())
        return try JSONBody.response(CountsBody(status: provide ? "provided" : "withheld"))
    }

    private func flag(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(FlagBody.self, from: request, context: context)
        let organization = try topology.requireOrganization(body.organization, role: "organization")
        try allow(context, .manageTenant(organization, "set flags"))
        guard let host = topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        var flag = FlagRegistration.Flag()
        switch body.kind {
        case "manual_response": flag.kind = .manualResponse
        case "nondisclosure": flag.kind = .nondisclosure
        default: throw RenkeiError(.invalidRequest, "kind is manual_response (自動応答不可) or nondisclosure (不開示)")
        }
        flag.enabled = body.enabled ?? true
        if let text = body.addressNumber {
            let number: AddressNumber
            do { number = try AddressNumber(text) } catch { throw RenkeiError(error) }
            let person: IntegratedAddressNumber?
            if let system = network.topology.addressSystem(for: organization.id), let actor = network.actors.addressSystems[system.name] {
                person = await actor.integratedAddressNumber(of: number)
            } else {
                person = await network.actors.intermediateServers[host.name]?.integratedAddressNumber(tenant: organization.code, of: number)
            }
            guard let person else { throw RenkeiError(.unknownPerson, "\(organization.name) has no person with 宛名番号 \(number.short)") }
            flag.integratedAddressNumber = person.rawValue
        }
        if let information = body.information { flag.informationCode = try topology.informationCode(for: information).rawValue }
        try await linkageOperator.setFlags([flag], of: organization, deadline: deadline())
        return try JSONBody.response(CountsBody(registered: 1, status: flag.enabled ? "set" : "cleared"))
    }
}
