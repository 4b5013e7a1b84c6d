public import Crypto
import Foundation
import HummingbirdBcrypt
import NIOCore
import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiWire

/// 中間サーバー: a platform hosting one tenant per 機関. Checks who may call what, then hands
/// each request to its tenant.
public actor IntermediateServer {
    let environment: NodeEnvironment
    let tenants: [OrganizationCode: Tenant]
    private var timer: Task<Void, Never>?
    /// A bcrypt hash of nothing anyone knows, at the topology's cost: what a sign-in of an
    /// unknown ユーザID is verified against. Made at the first such sign-in.
    private var decoy: String?

    /// `networkSystemKey` is the network system's public permit key; `permitKey` this server's
    /// own (for the MAC keys of permit_protection: mac).
    /// `contentKeys`: the content key of each tenant hosted here, by 機関 id, and every tenant's
    /// public one by 機関コード; nil when the topology sends 副本 in clear.
    public init(
        environment: NodeEnvironment, tenantIDs: [String], networkSystemKey: P256.Signing.PublicKey, permitKey: P256.Signing.PrivateKey,
        contentKeys: (own: [String: P256.Signing.PrivateKey], all: [OrganizationCode: P256.Signing.PublicKey])? = nil
    ) async throws(RenkeiError) {
        self.environment = environment
        let permitCheck: Permit.Check
        switch environment.topology.networkSystem.permitProtection {
        case .signature: permitCheck = .signature(networkSystemKey)
        case .mac:
            permitCheck = .mac(
                try Permit.macKey(
                    own: permitKey, peer: networkSystemKey, networkSystem: environment.topology.networkSystem.name,
                    intermediateServer: environment.name
                ))
        }
        var tenants = [OrganizationCode: Tenant]()
        for id in tenantIDs {
            guard let organization = environment.topology.organization(id: id) else {
                throw RenkeiError(.invalidConfiguration, "\(environment.name) hosts \(id), which is not an organization")
            }
            let seals = try contentKeys.map { keys throws(RenkeiError) in
                guard let own = keys.own[id] else { throw RenkeiError(.keyMissing, "no content key for \(organization.name) on \(environment.name)") }
                return try ContentSeals(organization: organization.code, own: own, peers: keys.all)
            }
            tenants[organization.code] = Tenant(organization: organization, environment: environment, permitCheck: permitCheck, seals: seals)
        }
        self.tenants = tenants
        try await reload()
        for tenant in tenants.values { await tenant.settleInterrupted() }
    }

    /// Rebuilds every tenant's memory from the store (at start, and after a reset).
    public func reload() async throws(RenkeiError) {
        var byTenant = [OrganizationCode: [StoreWrite]]()
        for write in try await environment.loadState() {
            guard let code = write.tenant else { continue }
            byTenant[code, default: []].append(write)
        }
        // One hop into each tenant, not one per write: a large population is millions of writes.
        for (code, tenant) in tenants {
            await tenant.replace(with: byTenant[code] ?? [])
        }
    }

    /// Starts the manual-response timer: once a second, queued inquiries past their time are
    /// answered with MANUAL_RESPONSE_TIMEOUT.
    public func start() {
        guard timer == nil else { return }
        let tenants = Array(self.tenants.values)
        let metrics = environment.metrics
        metrics.onScrape {
            for tenant in tenants { metrics.manualQueue(tenant: tenant.organization.id, depth: await tenant.queue().count) }
        }
        timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                for tenant in tenants { await tenant.expireQueue() }
            }
        }
    }

    /// The 統合宛名番号 a tenant without an AddressSystem has for its 宛名番号.
    public func integratedAddressNumber(tenant: OrganizationCode, of addressNumber: AddressNumber) async -> IntegratedAddressNumber? {
        await tenants[tenant]?.person(addressNumber: addressNumber)
    }

    func decoyHash() -> String {
        if let decoy { return decoy }
        let hash = Bcrypt.hash(Tenant.newToken(), cost: UInt8(environment.topology.staff.passwordCost))
        decoy = hash
        return hash
    }

    public func stop() {
        timer?.cancel()
        timer = nil
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        let environment = environment
        router.register(Methods.tenantInquire) { request, context in
            try await environment.journaled(
                context, "inquire", request.question.journalSummary, trace: request.question.traceID, reception: { $0.receptionNumber }
            ) { trace throws(RenkeiError) in
                var request = request
                request.question.traceID = trace
                return try await self.inquire(request, context)
            }
        }
        router.register(Methods.result) { request, context in
            try await environment.journaled(context, "result", ["receptionNumber": request.receptionNumber]) { _ throws(RenkeiError) in
                try await self.result(request, context)
            }
        }
        router.register(Methods.provide) { request, context in try await self.provide(request, context) }
        router.register(Methods.deliver) { request, context in try await self.deliver(request, context) }
        router.register(Methods.beginAcquisition) { request, context in try await self.beginAcquisition(request, context) }
        router.register(Methods.notifyLinkCodes) { request, context in try await self.notifyLinkCodes(request, context) }
        router.register(Methods.registerAddressees) { request, context in try await self.registerAddressees(request, context) }
        router.register(Methods.registerDuplicates) { request, context in
            try await environment.journaled(context, "registerDuplicates", ["entries": String(request.entries.count)]) { _ throws(RenkeiError) in
                try await self.registerDuplicates(request, context)
            }
        }
        router.register(Methods.duplicates) { request, context in
            try await environment.journaled(context, "duplicates", ["information": request.informationCode]) { _ throws(RenkeiError) in
                try await self.duplicates(request, context)
            }
        }
        router.register(Methods.flags) { request, context in try await self.flags(request, context) }
        router.register(Methods.staff) { request, context in try await self.staff(request, context) }
        router.register(Methods.signIn) { request, context in
            try await environment.journaled(context, request.signOutToken.isEmpty ? "signIn" : "signOut", ["userId": request.userID]) {
                _ throws(RenkeiError) in try await self.signIn(request, context)
            }
        }
        router.register(Methods.queue) { request, context in try await self.queue(request, context) }
        router.register(Methods.resolve) { request, context in try await self.resolve(request, context) }
        router.register(Methods.records) { request, context in
            try await environment.journaled(context, "records", [:]) { _ throws(RenkeiError) in try await self.records(request, context) }
        }
        return router
    }

    nonisolated func tenant(_ code: String, field: String = "tenant") throws(RenkeiError) -> Tenant {
        let organization = try Parse.organization(code, in: environment.topology, field: field)
        guard let tenant = tenants[organization.code] else {
            throw RenkeiError(.unknownOrganization, "\(environment.name) does not host \(organization.name) (\(organization.code))")
        }
        return tenant
    }

    nonisolated func inquire(_ request: TenantInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> InquiryResult {
        let tenant = try tenant(request.tenant)
        let system = try environment.policy.businessSystem(context.peer, for: tenant.organization, named: request.businessSystem, "inquire")
        switch (context.peer.role, request.person) {
        case (.addressSystem, .integratedAddressNumber?), (.businessSystem, .addressNumber?): break
        case (.addressSystem, _): throw RenkeiError(.invalidRequest, "an AddressSystem asks by 団体内統合宛名番号")
        default: throw RenkeiError(.invalidRequest, "a business system asks by 宛名番号")
        }
        return try await tenant.inquire(request, system: system, actor: context.peer.name, deadline: context.deadline)
    }

    nonisolated func result(_ request: ResultRequest, _ context: RequestContext) async throws(RenkeiError) -> InquiryResult {
        let tenant = try tenant(request.tenant)
        let system = try environment.policy.businessSystem(
            context.peer, for: tenant.organization, named: request.businessSystem, "fetch inquiry results")
        let reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        let result = try await tenant.result(reception)
        try environment.policy.requireResult(of: reception.rawValue, askedBy: result.businessSystem, readBy: system)
        return result
    }

    nonisolated func provide(_ request: ProvisionRequest, _ context: RequestContext) async throws(RenkeiError) -> ProvisionResult {
        try environment.policy.require(context.peer, .provide)
        return try await tenant(request.provider, field: "provider").provide(request, actor: context.peer.name, deadline: context.deadline)
    }

    nonisolated func deliver(_ request: ProvisionDelivery, _ context: RequestContext) async throws(RenkeiError) -> DeliveryReceipt {
        try environment.policy.require(context.peer, .deliverManualAnswer)
        try await tenant(request.inquirer, field: "inquirer").deliver(request, actor: context.peer.name)
        return DeliveryReceipt(accepted: true)
    }

    nonisolated func beginAcquisition(
        _ request: BeginAcquisitionRequest, _ context: RequestContext
    ) async throws(RenkeiError) -> BeginAcquisitionResponse {
        let tenant = try tenant(request.tenant)
        try environment.policy.require(context.peer, .startAcquisition(tenant: tenant.organization))
        try Parse.bounded(request.integratedAddressNumbers.count, limit: 10_000, what: "persons")
        var persons = [IntegratedAddressNumber]()
        for (index, text) in request.integratedAddressNumbers.enumerated() {
            persons.append(try Parse.identifier("integrated_address_numbers[\(index)]", text, IntegratedAddressNumber.init))
        }
        var ask = ProcessingNumbersRequest()
        ask.organization = tenant.organization.code.rawValue
        ask.count = UInt32(persons.count)
        let issued = try await environment.peers.client(environment.topology.networkSystem.name).call(
            Methods.processingNumbers, ask, deadline: context.deadline)
        guard issued.processingNumbers.count == persons.count else {
            throw RenkeiError(.internalError, "the network system issued \(issued.processingNumbers.count) 処理通番 for \(persons.count) persons")
        }
        var numbers = [ProcessingNumber]()
        for text in issued.processingNumbers {
            numbers.append(try Parse.identifier("処理通番", text, ProcessingNumber.init))
        }
        try await tenant.beginAcquisition(persons, numbers: numbers, actor: context.peer.name)
        var response = BeginAcquisitionResponse()
        response.processingNumbers = issued.processingNumbers
        return response
    }

    nonisolated func notifyLinkCodes(_ request: LinkCodeNotification, _ context: RequestContext) async throws(RenkeiError) -> AcquisitionResponse {
        try environment.policy.require(context.peer, .notifyLinkCodes)
        try Parse.bounded(request.entries.count, limit: 10_000, what: "符号通知")
        return AcquisitionResponse(
            outcomes: try await tenant(request.organization, field: "organization").storeLinkCodes(request.entries, actor: context.peer.name))
    }

    nonisolated func registerAddressees(
        _ request: AddresseeRegistration, _ context: RequestContext
    ) async throws(RenkeiError) -> AddresseeRegistrationResponse {
        try environment.policy.require(context.peer, .registerTenantPersons)
        let tenant = try tenant(request.tenant)
        if let addressSystem = environment.topology.addressSystem(for: tenant.organization.id) {
            throw RenkeiError(.invalidRequest, "\(tenant.organization.name) registers persons at its 団体内統合宛名システム \(addressSystem.name)")
        }
        try Parse.bounded(request.addressees.count, limit: 10_000, what: "addressees")
        var entries = [(AddressNumber, IntegratedAddressNumber)]()
        for (index, addressee) in request.addressees.enumerated() {
            guard addressee.myNumber.isEmpty else {
                throw RenkeiError(.invalidRequest, "addressees[\(index)]: a 中間サーバー never holds 個人番号; leave my_number empty")
            }
            entries.append(
                (
                    try Parse.identifier("addressees[\(index)] 宛名番号", addressee.addressNumber, AddressNumber.init),
                    try Parse.identifier("addressees[\(index)] 統合宛名番号", addressee.integratedAddressNumber, IntegratedAddressNumber.init)
                ))
        }
        try await tenant.registerAddressees(entries, actor: context.peer.name)
        return AddresseeRegistrationResponse(registered: UInt32(entries.count))
    }

    nonisolated func registerDuplicates(
        _ request: DuplicateRegistration, _ context: RequestContext
    ) async throws(RenkeiError) -> DuplicateRegistrationResponse {
        let tenant = try tenant(request.tenant)
        try Parse.bounded(request.entries.count, limit: 10_000, what: "副本")
        // The operator loads 副本 for any 事務; a business system only for its own, through the
        // tenant's AddressSystem where there is one.
        var actor = context.peer.name
        if context.peer.role != .admin {
            let system = try environment.policy.businessSystem(context.peer, for: tenant.organization, named: request.businessSystem, "register 副本")
            for (index, entry) in request.entries.enumerated() {
                try environment.policy.requireRegistration(by: system, of: entry.record.informationCode, at: "entries[\(index)]")
            }
            do throws(RenkeiError) {
                if let account = try await tenant.requireOperator(
                    user: request.userID, department: request.departmentCode, token: request.operatorToken, system: system)
                {
                    actor += " by \(account.userID) (部署 \(account.department))"
                }
            } catch {
                throw await tenant.denied(error, actor: actor)
            }
        }
        return try await tenant.registerDuplicates(request, actor: actor)
    }

    /// The operator reads any person's 副本; a member of a business system's staff those of
    /// what its 事務 provides, and the reading is audited under their name.
    nonisolated func duplicates(_ request: DuplicateQuery, _ context: RequestContext) async throws(RenkeiError) -> DuplicateList {
        let tenant = try tenant(request.tenant)
        let information =
            try request.informationCode.isEmpty ? nil : Parse.identifier("特定個人情報名コード", request.informationCode, InformationCode.init)
        var provided: Set<InformationCode>?
        var actor = context.peer.name
        if context.peer.role == .admin {
            try environment.policy.require(context.peer, .readDuplicates)
        } else {
            let (system, account) = try await staffMember(
                of: tenant, system: request.businessSystem, token: request.operatorToken, context, "read 副本")
            if let information { try environment.policy.requireRegistration(by: system, of: information, at: "the query") }
            provided = system.provides
            actor = "\(system.id) by \(account.userID) (部署 \(account.department))"
        }
        let person = try await tenant.person(request.integratedAddressNumber, addressNumber: request.addressNumber)
        return try await tenant.duplicates(of: person, information: information, visible: { provided?.contains($0) ?? true }, actor: actor)
    }

    nonisolated func flags(_ request: FlagRegistration, _ context: RequestContext) async throws(RenkeiError) -> AddresseeRegistrationResponse {
        try environment.policy.require(context.peer, .setFlags)
        try Parse.bounded(request.flags.count, limit: 10_000, what: "flags")
        return AddresseeRegistrationResponse(registered: UInt32(try await tenant(request.tenant).setFlags(request, actor: context.peer.name)))
    }

    nonisolated func queue(_ request: QueueRequest, _ context: RequestContext) async throws(RenkeiError) -> QueueList {
        var list = QueueList()
        guard context.peer.role == .admin else {
            // A member of staff sees the queued inquiries about what their 事務 provides.
            let tenant = try tenant(request.tenant)
            let (system, _) = try await staffMember(
                of: tenant, system: request.businessSystem, token: request.operatorToken, context, "see the inquiries waiting for staff")
            list.entries = await tenant.queue().filter { Self.handles(system, $0) }
            return list
        }
        try environment.policy.require(context.peer, .readManualQueue)
        let selected = request.tenant.isEmpty ? Array(tenants.values) : [try tenant(request.tenant)]
        for tenant in selected { list.entries += await tenant.queue() }
        return list
    }

    nonisolated func resolve(_ request: QueueResolution, _ context: RequestContext) async throws(RenkeiError) -> DeliveryReceipt {
        let reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        guard request.reason.utf8.count <= 400 else { throw RenkeiError(.invalidRequest, "a reason is at most 400 bytes") }
        let tenant = try tenant(request.tenant)
        var actor = context.peer.name
        if context.peer.role == .admin {
            try environment.policy.require(context.peer, .resolveManualQueue)
        } else {
            let (system, account) = try await staffMember(
                of: tenant, system: request.businessSystem, token: request.operatorToken, context, "answer an inquiry waiting for staff")
            guard let entry = await tenant.queue().first(where: { $0.receptionNumber == reception.rawValue }), Self.handles(system, entry)
            else {
                throw RenkeiError(
                    .unknownReceptionNumber,
                    "no inquiry \(reception) about what \(system.id) provides waits in the manual-response queue of \(tenant.organization.name)")
            }
            actor += " by \(account.userID) (部署 \(account.department))"
        }
        try await tenant.resolve(reception, provide: request.provide, reason: request.reason, actor: actor)
        return DeliveryReceipt(accepted: true)
    }

    /// A business system's staff answer the queued inquiries about what its 事務 provides.
    static func handles(_ system: Topology.BusinessSystemSpec, _ entry: QueueEntry) -> Bool {
        system.provides.contains { $0.rawValue == entry.question.informationCode }
    }

    /// The business system and the signed-in member of its staff a manual-queue request comes from.
    /// Such a request always names a member of staff, whatever `require_operator` says: a person decides.
    private nonisolated func staffMember(
        of tenant: Tenant, system named: String, token: String, _ context: RequestContext, _ what: String
    ) async throws(RenkeiError) -> (Topology.BusinessSystemSpec, StaffAccount) {
        let system = try environment.policy.businessSystem(context.peer, for: tenant.organization, named: named, what)
        guard !token.isEmpty else {
            throw RenkeiError(.operatorRequired, "\(system.id) may \(what) only for a member of staff who signed in: send their session or API token")
        }
        do throws(RenkeiError) {
            guard let account = try await tenant.requireOperator(user: "", department: "", token: token, system: system) else {
                throw RenkeiError(.operatorRequired, "\(system.id) may \(what) only for a member of staff who signed in")
            }
            return (system, account)
        } catch {
            throw await tenant.denied(error, actor: context.peer.name)
        }
    }

    nonisolated func records(_ request: RecordSearch, _ context: RequestContext) async throws(RenkeiError) -> RecordList {
        let tenant = try tenant(request.tenant)
        // The operator reads every record; a business system those of its own 事務.
        guard context.peer.role != .admin else { return try await tenant.records(request) }
        let system = try environment.policy.businessSystem(context.peer, for: tenant.organization, named: request.businessSystem, "read the records")
        return try await tenant.records(request) { environment.policy.recordIsVisible($0, to: system) }
    }
}

extension StoreWrite {
    /// The tenant a write belongs to, for writes of a 中間サーバー.
    var tenant: OrganizationCode? {
        switch self {
        case let .linkCode(tenant, _, _), let .acquisitionStarted(tenant, _, _), let .acquisitionFinished(tenant, _),
            let .duplicate(tenant, _, _), let .duplicateDeleted(tenant, _, _, _, _), let .tenantAddressee(tenant, _, _),
            let .permitUsed(tenant, _, _), let .inquiryState(tenant, _, _, _, _), let .manualQueued(tenant, _, _, _),
            let .manualResolved(tenant, _), let .flag(tenant, _, _, _, _), let .staff(tenant, _),
            let .staffSeeded(tenant, _), let .manualAnswerPending(tenant, _, _), let .manualAnswerSent(tenant, _):
            tenant
        default:
            nil
        }
    }
}
