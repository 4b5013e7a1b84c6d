import Foundation
import NIOCore
import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiWire

/// 団体内統合宛名システム: one per municipality. Maps each business system's 宛名番号 (and
/// the 個人番号) to the 団体内統合宛名番号, runs 符号取得, and relays the municipality's
/// business systems to its tenant on the 中間サーバー. Besides J-LIS, the only node that holds
/// 個人番号.
public actor AddressSystem {
    let environment: NodeEnvironment
    public let organization: Organization
    private var byAddressNumber: [AddressNumber: Addressee] = [:]
    private var byMyNumber: [MyNumber: Addressee] = [:]
    private var integrated: Set<IntegratedAddressNumber> = []

    public init(environment: NodeEnvironment, organizationID: String) async throws(RenkeiError) {
        guard let organization = environment.topology.organization(id: organizationID) else {
            throw RenkeiError(.invalidConfiguration, "\(environment.name) serves \(organizationID), which is not an organization")
        }
        self.environment = environment
        self.organization = organization
        try await reload()
    }

    /// Rebuilds the node's memory from the store (at start, and after a reset).
    public func reload() async throws(RenkeiError) {
        byAddressNumber = [:]
        byMyNumber = [:]
        integrated = []
        for case let .addressee(addressee) in try await environment.loadState() { remember(addressee) }
    }

    /// The 統合宛名番号 of a 宛名番号, for the tester's controls.
    public func integratedAddressNumber(of addressNumber: AddressNumber) -> IntegratedAddressNumber? {
        byAddressNumber[addressNumber]?.integratedAddressNumber
    }

    private func remember(_ addressee: Addressee) {
        byAddressNumber[addressee.addressNumber] = addressee
        integrated.insert(addressee.integratedAddressNumber)
        if let myNumber = addressee.myNumber { byMyNumber[myNumber] = addressee }
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        let environment = environment
        router.registerForwarding(Methods.addresseeInquire) { request, context in
            try await environment.journaled(context, "inquire", request.question.journalSummary, trace: request.question.traceID) {
                trace throws(RenkeiError) in
                var request = request
                request.question.traceID = trace
                return try await self.forwardInquiry(request, context)
            }
        }
        router.register(Methods.addresseeResult) { request, context in
            try await environment.journaled(context, "result", ["receptionNumber": request.receptionNumber]) { _ throws(RenkeiError) in
                try await self.result(request, context)
            }
        }
        router.register(Methods.addresseeRegisterDuplicates) { request, context in
            try await environment.journaled(context, "registerDuplicates", ["entries": String(request.entries.count)]) { _ throws(RenkeiError) in
                try await self.registerDuplicates(request, context)
            }
        }
        router.register(Methods.addresseeDuplicates) { request, context in
            try await environment.journaled(context, "duplicates", ["information": request.informationCode]) { _ throws(RenkeiError) in
                try await self.duplicates(request, context)
            }
        }
        router.register(Methods.addresseeAcquire) { request, context in
            try await environment.journaled(context, "acquireLinkCode", [:]) { _ throws(RenkeiError) in try await self.acquire(request, context) }
        }
        router.register(Methods.addresseeRecords) { request, context in
            try await environment.journaled(context, "records", [:]) { _ throws(RenkeiError) in try await self.records(request, context) }
        }
        router.register(Methods.addresseeQueue) { request, context in
            try await environment.journaled(context, "manualQueue", [:]) { _ throws(RenkeiError) in try await self.queue(request, context) }
        }
        router.register(Methods.addresseeResolve) { request, context in
            try await environment.journaled(
                context, request.provide ? "provideManually" : "withholdManually", ["receptionNumber": request.receptionNumber]
            ) { _ throws(RenkeiError) in try await self.resolve(request, context) }
        }
        router.register(Methods.addresseeRegister) { request, context in try await self.register(request, context) }
        router.register(Methods.addresseeSignIn) { request, context in
            try await environment.journaled(context, request.signOutToken.isEmpty ? "signIn" : "signOut", ["userId": request.userID]) {
                _ throws(RenkeiError) in try await self.signIn(request, context)
            }
        }
        return router
    }

    private nonisolated var host: String {
        get throws(RenkeiError) {
            guard let host = environment.topology.intermediateServer(hosting: organization.id) else {
                throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
            }
            return host.name
        }
    }

    /// 宛名番号 or 個人番号 → 統合宛名番号.
    private func person(addressNumber: String?, myNumber: String?, trace: String) throws(RenkeiError) -> Addressee {
        if let text = addressNumber {
            let number = try Parse.identifier("宛名番号", text, AddressNumber.init)
            guard let addressee = byAddressNumber[number] else {
                environment.trace(trace, "宛名番号", "fail", field: "person", "\(organization.name) has no person with 宛名番号 \(number.short)")
                throw RenkeiError(
                    .unknownPerson,
                    "\(organization.name) has no person with 宛名番号 \(number.short); list people with `renkei population --city \(organization.id)`")
            }
            environment.trace(trace, "宛名番号", "pass", "宛名番号 \(number.short) is 統合宛名番号 \(addressee.integratedAddressNumber)")
            return addressee
        }
        if let text = myNumber {
            let number = try Parse.identifier("個人番号", text, MyNumber.init)
            guard let addressee = byMyNumber[number] else {
                environment.trace(trace, "個人番号", "fail", field: "person", "\(organization.name) has no person with this 個人番号")
                throw RenkeiError(.unknownPerson, "\(organization.name) has no person with this 個人番号")
            }
            environment.trace(trace, "個人番号", "pass", "個人番号 resolved to 統合宛名番号 \(addressee.integratedAddressNumber) (it goes no further)")
            return addressee
        }
        throw RenkeiError(.invalidRequest, "the request names no person: give a 宛名番号 or a 個人番号")
    }

    func inquire(_ request: AddresseeInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> InquiryResult {
        let body = try await forwardInquiry(request, context)
        do throws(RenkeiError) { return try InquiryResult(encoded: body) } catch {
            throw RenkeiError(.malformedMessage, "the 中間サーバー's answer: \(error.message)")
        }
    }

    /// The inquiry goes on to the tenant; its answer comes back through here unread.
    func forwardInquiry(_ request: AddresseeInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> Data {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "inquire"))
        let addressee: Addressee
        switch request.person {
        case let .addressNumber(text)?: addressee = try person(addressNumber: text, myNumber: nil, trace: request.question.traceID)
        case let .myNumber(text)?: addressee = try person(addressNumber: nil, myNumber: text, trace: request.question.traceID)
        case nil: addressee = try person(addressNumber: nil, myNumber: nil, trace: request.question.traceID)
        }
        var forward = TenantInquiryRequest()
        forward.tenant = organization.code.rawValue
        forward.person = .integratedAddressNumber(addressee.integratedAddressNumber.rawValue)
        forward.question = request.question
        forward.businessSystem = context.peer.name
        forward.asynchronous = request.asynchronous
        return try await environment.peers.client(try host).callForwarding(Methods.tenantInquire, forward, deadline: context.deadline)
    }

    nonisolated func result(_ request: AddresseeResultRequest, _ context: RequestContext) async throws(RenkeiError) -> InquiryResult {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "fetch inquiry results"))
        var forward = ResultRequest()
        forward.tenant = organization.code.rawValue
        forward.receptionNumber = request.receptionNumber
        forward.businessSystem = context.peer.name
        return try await environment.peers.client(try host).call(Methods.result, forward, deadline: context.deadline)
    }

    /// 副本登録 from a business system, by 宛名番号 (REST) or 統合宛名番号 (the XML 電文).
    func registerDuplicates(_ request: DuplicateRegistration, _ context: RequestContext) async throws(RenkeiError) -> DuplicateRegistrationResponse {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "register 副本"))
        try Parse.bounded(request.entries.count, limit: 10_000, what: "副本")
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        for index in forward.entries.indices {
            let entry = forward.entries[index]
            if entry.addressNumber.isEmpty {
                let number = try Parse.identifier("entries[\(index)] 団体内統合宛名番号", entry.integratedAddressNumber, IntegratedAddressNumber.init)
                guard integrated.contains(number) else {
                    throw RenkeiError(.unknownPerson, "entries[\(index)]: \(organization.name) has no person with 団体内統合宛名番号 \(number)")
                }
                continue
            }
            forward.entries[index].integratedAddressNumber = try person(addressNumber: entry.addressNumber, myNumber: nil, trace: "")
                .integratedAddressNumber.rawValue
            forward.entries[index].addressNumber = ""
        }
        return try await environment.peers.client(try host).call(Methods.registerDuplicates, forward, deadline: context.deadline)
    }

    /// The 副本 of one person, by 宛名番号, for a member of a business system's staff.
    func duplicates(_ request: DuplicateQuery, _ context: RequestContext) async throws(RenkeiError) -> DuplicateList {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "read 副本"))
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        forward.integratedAddressNumber = try person(addressNumber: request.addressNumber, myNumber: nil, trace: "").integratedAddressNumber.rawValue
        forward.addressNumber = ""
        return try await environment.peers.client(try host).call(Methods.duplicates, forward, deadline: context.deadline)
    }

    /// 符号取得 for one person, as a business system asks it.
    func acquire(_ request: PersonSelector, _ context: RequestContext) async throws(RenkeiError) -> AcquisitionResponse {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "request 符号取得"))
        let addressee: Addressee
        switch request.person {
        case let .addressNumber(text)?: addressee = try person(addressNumber: text, myNumber: nil, trace: "")
        case let .myNumber(text)?: addressee = try person(addressNumber: nil, myNumber: text, trace: "")
        case nil: addressee = try person(addressNumber: nil, myNumber: nil, trace: "")
        }
        guard let myNumber = addressee.myNumber else {
            throw RenkeiError(
                .invalidRequest, "\(organization.name) holds no 個人番号 for 宛名番号 \(addressee.addressNumber.short), so no 符号 can be acquired")
        }
        let outcome = try await LinkCodeAcquisition.run(
            for: organization, persons: [(addressee.integratedAddressNumber, myNumber)], topology: environment.topology, peers: environment.peers,
            deadline: context.deadline
        )
        if let failure = outcome.failures.first?.status { throw failure }
        return AcquisitionResponse(outcomes: [AcquisitionOutcome()])
    }

    /// Sign-in and sign-out of the 機関's staff: the tenant keeps the accounts.
    nonisolated func signIn(_ request: SignInRequest, _ context: RequestContext) async throws(RenkeiError) -> SignInResponse {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "sign staff in"))
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        return try await environment.peers.client(try host).call(Methods.signIn, forward, deadline: context.deadline)
    }

    nonisolated func records(_ request: RecordSearch, _ context: RequestContext) async throws(RenkeiError) -> RecordList {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "read 情報提供等記録"))
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        return try await environment.peers.client(try host).call(Methods.records, forward, deadline: context.deadline)
    }

    nonisolated func queue(_ request: QueueRequest, _ context: RequestContext) async throws(RenkeiError) -> QueueList {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "see the inquiries waiting for staff"))
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        return try await environment.peers.client(try host).call(Methods.queue, forward, deadline: context.deadline)
    }

    nonisolated func resolve(_ request: QueueResolution, _ context: RequestContext) async throws(RenkeiError) -> DeliveryReceipt {
        try environment.policy.require(context.peer, .useAddressSystem(of: organization, "answer an inquiry waiting for staff"))
        var forward = request
        forward.tenant = organization.code.rawValue
        forward.businessSystem = context.peer.name
        return try await environment.peers.client(try host).call(Methods.resolve, forward, deadline: context.deadline)
    }

    func register(_ request: AddresseeRegistration, _ context: RequestContext) async throws(RenkeiError) -> AddresseeRegistrationResponse {
        try environment.policy.require(context.peer, .registerAddressSystemPersons)
        try Parse.bounded(request.addressees.count, limit: 10_000, what: "addressees")
        var addressees = [Addressee]()
        var acquire = [(IntegratedAddressNumber, MyNumber)]()
        for (index, entry) in request.addressees.enumerated() {
            let addressNumber = try Parse.identifier("addressees[\(index)] 宛名番号", entry.addressNumber, AddressNumber.init)
            let integrated = try Parse.identifier("addressees[\(index)] 統合宛名番号", entry.integratedAddressNumber, IntegratedAddressNumber.init)
            let myNumber = try Parse.identifier("addressees[\(index)] 個人番号", entry.myNumber, MyNumber.init)
            guard entry.name.utf8.count <= 200 else { throw RenkeiError(.invalidRequest, "addressees[\(index)]: the name is longer than 200 bytes") }
            addressees.append(Addressee(addressNumber: addressNumber, integratedAddressNumber: integrated, myNumber: myNumber, name: entry.name))
            if request.acquireLinkCodes && entry.acquireLinkCode { acquire.append((integrated, myNumber)) }
        }
        try await environment.store.commit(
            addressees.map { .addressee($0) } + [
                environment.audit(.administration, actor: context.peer.name, "\(addressees.count) addressees registered")
            ]
        )
        addressees.forEach(remember)
        var response = AddresseeRegistrationResponse(registered: UInt32(addressees.count))
        if !acquire.isEmpty {
            let outcome = try await LinkCodeAcquisition.run(
                for: organization, persons: acquire, topology: environment.topology, peers: environment.peers, deadline: context.deadline
            )
            response.linkCodesAcquired = UInt32(outcome.acquired)
            response.failures = outcome.failures
        }
        return response
    }
}
