import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiWire

/// 住基ネット / J-LIS: knows each resident's 住民票コード by 個人番号, and takes part in
/// 符号取得 only, turning the 個人番号 into the 住民票コード for the network system.
public actor ResidentRegistry {
    let environment: NodeEnvironment
    private var residents: [MyNumber: ResidentCode] = [:]

    public init(environment: NodeEnvironment) async throws(RenkeiError) {
        self.environment = environment
        try await reload()
    }

    /// Rebuilds the registry's memory from the store (at start, and after a reset).
    public func reload() async throws(RenkeiError) {
        residents = [:]
        for case let .resident(myNumber, residentCode) in try await environment.loadState() {
            residents[myNumber] = residentCode
        }
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        router.register(Methods.registerResidents) { request, context in try await self.register(request, context) }
        router.register(Methods.acquire) { request, context in try await self.acquire(request, context) }
        return router
    }

    func register(_ request: ResidentRegistration, _ context: RequestContext) async throws(RenkeiError) -> AddresseeRegistrationResponse {
        try environment.policy.require(context.peer, .registerResidents)
        try Parse.bounded(request.residents.count, limit: 50_000, what: "residents")
        var writes = [StoreWrite]()
        for (index, resident) in request.residents.enumerated() {
            let myNumber = try Parse.identifier("residents[\(index)] 個人番号", resident.myNumber, MyNumber.init)
            let residentCode = try Parse.identifier("residents[\(index)] 住民票コード", resident.residentCode, ResidentCode.init)
            writes.append(.resident(myNumber: myNumber, residentCode: residentCode))
        }
        try await environment.store.commit(
            writes + [environment.audit(.administration, actor: context.peer.name, "\(writes.count) residents registered")])
        for case let .resident(myNumber, residentCode) in writes { residents[myNumber] = residentCode }
        return AddresseeRegistrationResponse(registered: UInt32(writes.count))
    }

    func acquire(_ request: AcquisitionRequest, _ context: RequestContext) async throws(RenkeiError) -> AcquisitionResponse {
        let organization = try Parse.organization(request.organization, in: environment.topology, field: "organization")
        try environment.policy.require(context.peer, .requestLinkCodes(for: organization))
        try Parse.bounded(request.entries.count, limit: 10_000, what: "符号取得要求")
        var outcomes = [AcquisitionOutcome]()
        var forward = LinkCodeIssueRequest()
        forward.organization = organization.code.rawValue
        for entry in request.entries {
            var outcome = AcquisitionOutcome(processingNumber: entry.processingNumber)
            do throws(RenkeiError) {
                let myNumber = try Parse.identifier("個人番号", entry.myNumber, MyNumber.init)
                guard let residentCode = residents[myNumber] else {
                    throw RenkeiError(.unknownPerson, "no resident with this 個人番号 is in 住民基本台帳")
                }
                forward.entries.append(LinkCodeIssueRequest.Entry(residentCode: residentCode.rawValue, processingNumber: entry.processingNumber))
            } catch {
                outcome.status = error
            }
            outcomes.append(outcome)
        }
        if !forward.entries.isEmpty {
            let issued = try await environment.peers.client(environment.topology.networkSystem.name).call(
                Methods.issueLinkCodes, forward, deadline: context.deadline)
            let failures = Dictionary(
                issued.outcomes.compactMap { outcome in outcome.status.map { (outcome.processingNumber, $0) } },
                uniquingKeysWith: { first, _ in first })
            for index in outcomes.indices where outcomes[index].status == nil {
                if let status = failures[outcomes[index].processingNumber] { outcomes[index].status = status }
            }
        }
        try await environment.store.commit([
            environment.audit(.linkCodeIssued, actor: context.peer.name, "\(forward.entries.count) 符号取得要求 for \(organization.code)")
        ])
        return AcquisitionResponse(outcomes: outcomes)
    }
}
