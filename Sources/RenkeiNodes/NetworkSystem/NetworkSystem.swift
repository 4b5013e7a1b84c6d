public import Crypto
import Foundation
import Logging
import NIOCore
import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiWire

/// 情報提供ネットワークシステム: checks each inquiry against 別表第二, converts the
/// inquirer's 符号 to the provider's, issues a signed single-use permit bound to the inquiry,
/// relays the exchange and records it. Also makes 符号 from the 住民票コード J-LIS forwards.
public actor NetworkSystem {
    let environment: NodeEnvironment
    let cipher: LinkCodeCipher
    private let serials: SerialMaker
    /// By 中間サーバー name: how the permits sent to it are sealed.
    let permitSeals: [String: Permit.Seal]
    private var nextSerial: UInt64 = 1
    /// Exchanges queued for staff at their provider, by 受付番号: what a manual answer may complete.
    private var manualExchanges: [String: ManualExchange] = [:]
    /// 受付番号 whose manual answer is being relayed now: a second delivery waits its turn.
    private var delivering: Set<String> = []
    /// 処理通番 issued and not yet used, with the 機関 they were issued to.
    private var pendingProcessingNumbers: [ProcessingNumber: OrganizationCode] = [:]

    /// `permitKey` signs permits (or agrees their MAC keys); `linkCodeSecret` makes and opens
    /// 符号; `intermediateServerKeys`: each 中間サーバー's public permit key, for permits sealed
    /// with a MAC (permit_protection: mac).
    public init(
        environment: NodeEnvironment, permitKey: P256.Signing.PrivateKey, linkCodeSecret: SymmetricKey,
        intermediateServerKeys: [String: P256.Signing.PublicKey]
    ) async throws(RenkeiError) {
        self.environment = environment
        var seals = [String: Permit.Seal]()
        for server in environment.topology.intermediateServers {
            switch environment.topology.networkSystem.permitProtection {
            case .signature: seals[server.name] = .signature(permitKey)
            case .mac:
                guard let key = intermediateServerKeys[server.name] else {
                    throw RenkeiError(
                        .invalidConfiguration,
                        "permits are sealed with a MAC, but the certificate of \(server.name) is not known to \(environment.name)")
                }
                seals[server.name] = .mac(
                    try Permit.macKey(
                        own: permitKey, peer: key, networkSystem: environment.name, intermediateServer: server.name
                    ))
            }
        }
        permitSeals = seals
        // The 符号 secret is a key of its own: 符号 stay the same across restarts and renewals.
        cipher = LinkCodeCipher(secret: linkCodeSecret)
        serials = SerialMaker(prefix: "P", startedAt: environment.clock.nowMicros())
        try await reload()
    }

    /// Rebuilds the node's memory from the store (at start, and after a reset).
    public func reload() async throws(RenkeiError) {
        pendingProcessingNumbers = [:]
        manualExchanges = [:]
        for write in try await environment.loadState() {
            switch write {
            case let .processingNumberIssued(number, organization): pendingProcessingNumbers[number] = organization
            case let .manualExchange(exchange): manualExchanges[exchange.reception] = exchange
            default: break
            }
        }
    }

    /// With replicas sharing the store, another may have issued the 処理通番 or permitted the
    /// exchange a request names: read the shared state again before refusing it.
    private func catchUp() async throws(RenkeiError) {
        guard environment.store.isShared else { return }
        try await reload()
    }

    func awaitManualAnswer(_ exchange: ManualExchange) { manualExchanges[exchange.reception] = exchange }

    /// The exchange a manual answer is for, claimed for relaying; nil when it is being relayed.
    func claimManualAnswer(_ reception: String) async throws(RenkeiError) -> ManualExchange? {
        if manualExchanges[reception] == nil { try await catchUp() }
        guard let exchange = manualExchanges[reception] else { return nil }
        guard delivering.insert(reception).inserted else {
            throw RenkeiError(.unavailable, "the manual answer to \(reception) is being relayed now; try again")
        }
        return exchange
    }

    func releaseManualAnswer(_ exchange: ManualExchange) {
        delivering.remove(exchange.reception)
        manualExchanges[exchange.reception] = exchange
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        router.register(Methods.networkInquire) { request, context in try await self.inquire(request, context) }
        router.register(Methods.processingNumbers) { request, context in try await self.processingNumbers(request, context) }
        router.register(Methods.issueLinkCodes) { request, context in try await self.issueLinkCodes(request, context) }
        router.register(Methods.networkDeliver) { request, context in try await self.deliver(request, context) }
        return router
    }

    // MARK: 符号取得

    func processingNumbers(_ request: ProcessingNumbersRequest, _ context: RequestContext) async throws(RenkeiError) -> ProcessingNumbersResponse {
        let organization = try Parse.organization(request.organization, in: environment.topology, field: "organization")
        try environment.policy.require(context.peer, .obtainProcessingNumbers(for: organization))
        try Parse.bounded(Int(request.count), limit: 10_000, what: "処理通番")
        var numbers = [ProcessingNumber]()
        var writes = [StoreWrite]()
        for _ in 0..<request.count {
            // Safe: SerialMaker makes "P", digits and upper-case hex, at most 32 characters.
            let number = try Parse.identifier("処理通番", serials.make(nextSerial), ProcessingNumber.init)
            nextSerial += 1
            numbers.append(number)
            writes.append(.processingNumberIssued(number, organization: organization.code))
        }
        try await environment.store.commit(writes)
        for number in numbers { pendingProcessingNumbers[number] = organization.code }
        var response = ProcessingNumbersResponse()
        response.processingNumbers = numbers.map(\.rawValue)
        return response
    }

    func issueLinkCodes(_ request: LinkCodeIssueRequest, _ context: RequestContext) async throws(RenkeiError) -> AcquisitionResponse {
        try environment.policy.require(context.peer, .forwardLinkCodeRequests)
        let organization = try Parse.organization(request.organization, in: environment.topology, field: "organization")
        try Parse.bounded(request.entries.count, limit: 10_000, what: "符号取得要求")
        var outcomes = [AcquisitionOutcome]()
        var notification = LinkCodeNotification()
        notification.organization = organization.code.rawValue
        var used = [ProcessingNumber]()
        let known = request.entries.allSatisfy { entry in
            (try? ProcessingNumber(entry.processingNumber)).map { pendingProcessingNumbers[$0] != nil } ?? true
        }
        if !known { try await catchUp() }
        for entry in request.entries {
            var outcome = AcquisitionOutcome(processingNumber: entry.processingNumber)
            do throws(RenkeiError) {
                let number = try Parse.identifier("処理通番", entry.processingNumber, ProcessingNumber.init)
                guard pendingProcessingNumbers[number] == organization.code else {
                    throw RenkeiError(.unknownProcessingNumber, "処理通番 \(number) was not issued to \(organization.name) or was already used")
                }
                let residentCode = try Parse.identifier("住民票コード", entry.residentCode, ResidentCode.init)
                let linkCode = cipher.linkCode(identity: cipher.identityCode(for: residentCode), organization: organization.code)
                notification.entries.append(LinkCodeNotification.Entry(processingNumber: number.rawValue, linkCode: linkCode.rawValue))
                used.append(number)
            } catch {
                outcome.status = error
            }
            outcomes.append(outcome)
        }
        guard !notification.entries.isEmpty else { return Self.response(outcomes) }

        // 符号通知 to the 中間サーバー hosting the 機関; only what it stored counts as used.
        guard let host = environment.topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        let stored = try await environment.peers.client(host.name).call(Methods.notifyLinkCodes, notification, deadline: context.deadline)
        let failures = Dictionary(
            stored.outcomes.compactMap { outcome in outcome.status.map { (outcome.processingNumber, $0) } }, uniquingKeysWith: { first, _ in first })
        let done = used.filter { failures[$0.rawValue] == nil }
        try await environment.store.commit(
            done.map { .processingNumberUsed($0) }
                + [environment.audit(.linkCodeIssued, actor: context.peer.name, "\(done.count) 符号 for \(organization.code)")]
        )
        for number in done { pendingProcessingNumbers[number] = nil }
        for index in outcomes.indices where outcomes[index].status == nil {
            if let status = failures[outcomes[index].processingNumber] { outcomes[index].status = status }
        }
        return Self.response(outcomes)
    }

    private static func response(_ outcomes: [AcquisitionOutcome]) -> AcquisitionResponse {
        AcquisitionResponse(outcomes: outcomes)
    }
}
