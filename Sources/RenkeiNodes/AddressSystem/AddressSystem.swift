import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiWire

/// 団体内統合宛名システム: one per municipality. Maps each business system's 宛名番号 (and
/// the 個人番号) to the 団体内統合宛名番号, runs 符号取得, and relays inquiries to the
/// municipality's tenant on the 中間サーバー. Besides J-LIS, the only node that holds 個人番号.
public actor AddressSystem {
    let environment: NodeEnvironment
    let organization: Organization
    private var byAddressNumber: [AddressNumber: Addressee] = [:]
    private var byMyNumber: [MyNumber: IntegratedAddressNumber] = [:]

    public init(environment: NodeEnvironment, organizationID: String) async throws(RenkeiError) {
        guard let organization = environment.topology.organization(id: organizationID) else {
            throw RenkeiError(.invalidConfiguration, "\(environment.name) serves \(organizationID), which is not an organization")
        }
        self.environment = environment
        self.organization = organization
        for case let .addressee(addressee) in try await environment.store.stateWrites() { remember(addressee) }
    }

    private func remember(_ addressee: Addressee) {
        byAddressNumber[addressee.addressNumber] = addressee
        if let myNumber = addressee.myNumber { byMyNumber[myNumber] = addressee.integratedAddressNumber }
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        router.register(Methods.addresseeInquire) { request, context in try await self.inquire(request, context) }
        router.register(Methods.addresseeRegister) { request, context in try await self.register(request, context) }
        return router
    }

    func inquire(_ request: Renkei_V1_AddresseeInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        try context.require(.businessSystem, for: "inquire through the 団体内統合宛名システム")
        try context.requireActing(for: organization, "inquire")
        let person: IntegratedAddressNumber
        switch request.person {
        case let .addressNumber(text)?:
            let number = try Parse.identifier("宛名番号") { () throws(IdentifierError) in try AddressNumber(text) }
            guard let addressee = byAddressNumber[number] else {
                throw RenkeiError(.unknownPerson, "\(organization.name) has no person with 宛名番号 \(number.short); list people with `renkei population --city \(organization.id)`")
            }
            person = addressee.integratedAddressNumber
        case let .myNumber(text)?:
            let number = try Parse.identifier("個人番号") { () throws(IdentifierError) in try MyNumber(text) }
            guard let known = byMyNumber[number] else {
                throw RenkeiError(.unknownPerson, "\(organization.name) has no person with this 個人番号")
            }
            person = known
        case nil:
            throw RenkeiError(.invalidRequest, "the inquiry names no person: give a 宛名番号 or a 個人番号")
        }
        var forward = Renkei_V1_TenantInquiryRequest()
        forward.tenant = organization.code.rawValue
        forward.integratedAddressNumber = person.rawValue
        forward.query = request.query
        forward.businessSystem = context.peer.name
        guard let host = environment.topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        return try await environment.peers.client(host.name).call(Methods.tenantInquire, forward, deadline: context.deadline)
    }

    func register(_ request: Renkei_V1_AddresseeRegistration, _ context: RequestContext) async throws(RenkeiError) -> Renkei_V1_AddresseeRegistrationResponse {
        try context.require(.admin, for: "register persons in the 団体内統合宛名システム")
        try Parse.bounded(request.addressees.count, limit: 10_000, what: "addressees")
        var addressees = [Addressee]()
        var acquire = [(IntegratedAddressNumber, MyNumber)]()
        for (index, entry) in request.addressees.enumerated() {
            let addressNumber = try Parse.identifier("addressees[\(index)] 宛名番号") { () throws(IdentifierError) in try AddressNumber(entry.addressNumber) }
            let integrated = try Parse.identifier("addressees[\(index)] 統合宛名番号") { () throws(IdentifierError) in
                try IntegratedAddressNumber(entry.integratedAddressNumber)
            }
            let myNumber = try Parse.identifier("addressees[\(index)] 個人番号") { () throws(IdentifierError) in try MyNumber(entry.myNumber) }
            guard entry.name.utf8.count <= 200 else { throw RenkeiError(.invalidRequest, "addressees[\(index)]: the name is longer than 200 bytes") }
            addressees.append(Addressee(addressNumber: addressNumber, integratedAddressNumber: integrated, myNumber: myNumber, name: entry.name))
            if request.acquireLinkCodes && entry.acquireLinkCode { acquire.append((integrated, myNumber)) }
        }
        try await environment.store.commit(
            addressees.map { .addressee($0) } + [environment.audit(.administration, actor: context.peer.name, "\(addressees.count) addressees registered")]
        )
        addressees.forEach(remember)
        var response = Renkei_V1_AddresseeRegistrationResponse()
        response.registered = UInt32(addressees.count)
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
