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
    private let cipher: LinkCodeCipher
    private let serials: SerialMaker
    /// By 中間サーバー name: how the permits sent to it are sealed.
    private let permitSeals: [String: Permit.Seal]
    private var nextSerial: UInt64 = 1
    /// 処理通番 issued and not yet used, with the 機関 they were issued to.
    private var pendingProcessingNumbers: [ProcessingNumber: OrganizationCode] = [:]

    /// `intermediateServerKeys`: each 中間サーバー's certified public key, for permits sealed
    /// with a MAC (permit_protection: mac).
    public init(environment: NodeEnvironment, intermediateServerKeys: [String: P256.Signing.PublicKey]) async throws(RenkeiError) {
        self.environment = environment
        var seals = [String: Permit.Seal]()
        for server in environment.topology.intermediateServers {
            switch environment.topology.networkSystem.permitProtection {
            case .signature: seals[server.name] = .signature(environment.credentials.privateKey)
            case .mac:
                guard let key = intermediateServerKeys[server.name] else {
                    throw RenkeiError(.invalidConfiguration, "permits are sealed with a MAC, but the certificate of \(server.name) is not known to \(environment.name)")
                }
                seals[server.name] = .mac(try Permit.macKey(
                    own: environment.credentials.privateKey, peer: key, networkSystem: environment.name, intermediateServer: server.name
                ))
            }
        }
        permitSeals = seals
        // The 符号 secret derives from the node's own key, so 符号 stay the same across
        // restarts for as long as the network system keeps its certificate.
        cipher = LinkCodeCipher(secret: SymmetricKey(data: environment.credentials.privateKey.rawRepresentation))
        serials = SerialMaker(prefix: "P", startedAt: environment.clock.nowMicros())
        try await reload()
    }

    /// Rebuilds the node's memory from the store (at start, and after a reset).
    public func reload() async throws(RenkeiError) {
        pendingProcessingNumbers = [:]
        for case let .processingNumberIssued(number, organization) in try await environment.loadState() {
            pendingProcessingNumbers[number] = organization
        }
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
        for entry in request.entries {
            var outcome = AcquisitionOutcome(processingNumber: entry.processingNumber)
            do throws(RenkeiError) {
                let number = try Parse.identifier("処理通番", entry.processingNumber, ProcessingNumber.init)
                guard pendingProcessingNumbers[number] == organization.code else {
                    throw RenkeiError(.unknownProcessingNumber, "処理通番 \(number) was not issued to \(organization.name) or was already used")
                }
                let residentCode = try Parse.identifier("住民票コード", entry.residentCode) { (text) throws(IdentifierError) in try ResidentCode(text) }
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
        let failures = Dictionary(stored.outcomes.compactMap { outcome in outcome.status.map { (outcome.processingNumber, $0) } }, uniquingKeysWith: { first, _ in first })
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

    // MARK: 情報照会

    nonisolated func inquire(_ request: NetworkInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> ProvisionResult {
        let topology = environment.topology
        let inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
        try environment.policy.require(context.peer, .sendInquiry(inquirer: inquirer))
        let receptionNumber = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        let query = try InquiryQuery(request.question, topology: topology)
        let inquirerLinkCode = try Parse.identifier("符号", request.inquirerLinkCode, LinkCode.init)

        // One audit entry per exchange: it says whether a permit was issued.
        var permitIssued = false
        func refuse(_ error: RenkeiError) async throws(RenkeiError) -> Never {
            let record = ProvisionRecord(
                .network, reception: receptionNumber, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros,
                providedAt: nil, outcome: .denied, error: error.code, linkCode: inquirerLinkCode
            )
            let detail = "\(receptionNumber) \(error.code)" + (permitIssued ? " after its permit was issued" : "")
            try await environment.store.commit([.record(record), environment.audit(.denial, actor: context.peer.name, detail)])
            throw error
        }

        // 照会許可用照合リスト: the 別表第二 check.
        let trace = query.traceID
        let decision = topology.rules.check(
            item: query.item, inquirerKinds: inquirer.kinds, providerKinds: query.provider.kinds, information: query.information.informationClass
        )
        switch decision {
        case let .denied(error, field):
            environment.trace(trace, "別表第二", "fail", field: field.rawValue, error.message)
            try await refuse(error)
        case let .permitted(item, index):
            let provision = topology.rules.item(item)?.provisions[index]
            environment.trace(trace, "別表第二", "pass",
                              "\(item.japanese): \(inquirer.name) may ask \(query.provider.name) (\(provision?.providers.joined(separator: ", ") ?? "")) for \(query.information.informationClass)")
        }

        // 符号変換
        let opened: (identity: [UInt8], organization: OrganizationCode)
        do { opened = try cipher.open(inquirerLinkCode) } catch { try await refuse(error) }
        guard opened.organization == inquirer.code else {
            try await refuse(RenkeiError(.invalidIdentifier, "符号 \(inquirerLinkCode) belongs to another 機関, not to \(inquirer.name)"))
        }
        let providerLinkCode = cipher.linkCode(identity: opened.identity, organization: query.provider.code)
        environment.trace(trace, "符号変換", "pass", "\(inquirer.name)'s 符号 converted to \(query.provider.name)'s")

        // 情報提供許可証
        let now = environment.clock.nowMicros()
        var claims = PermitClaims()
        claims.permitID = Self.permitID(issuedAt: now)
        claims.receptionNumber = receptionNumber.rawValue
        claims.inquirer = inquirer.code.rawValue
        claims.provider = query.provider.code.rawValue
        claims.providerLinkCode = providerLinkCode.rawValue
        claims.item = query.item.description
        claims.procedureCode = query.procedure.rawValue
        claims.informationCode = query.information.code.rawValue
        claims.issuedAtMicros = now
        claims.expiresAtMicros = now + topology.networkSystem.permitLifetime.microseconds
        guard let host = topology.intermediateServer(hosting: query.provider.id), let seal = permitSeals[host.name] else {
            try await refuse(RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(query.provider.name)"))
        }
        let permit = try Permit.issue(claims, sealedWith: seal)
        permitIssued = true

        var provision = ProvisionRequest()
        provision.receptionNumber = receptionNumber.rawValue
        provision.inquirer = inquirer.code.rawValue
        provision.provider = query.provider.code.rawValue
        provision.providerLinkCode = providerLinkCode.rawValue
        provision.question = request.question
        provision.permit = permit
        provision.requestedAtMicros = request.requestedAtMicros

        let result: ProvisionResult
        do {
            result = try await environment.peers.client(host.name).call(Methods.provide, provision, deadline: context.deadline)
        } catch {
            environment.trace(trace, "情報提供", "fail", field: "provider", "\(query.provider.name): \(error)")
            try await refuse(error)
        }
        let record = ProvisionRecord(
            .network, reception: receptionNumber, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros,
            providedAt: result.providedAtMicros == 0 ? nil : result.providedAtMicros, outcome: InquiryOutcome(result.outcome),
            providerNondisclosure: result.providerNondisclosure, linkCode: inquirerLinkCode, providerLinkCode: providerLinkCode
        )
        try await environment.store.commit([
            .record(record), environment.audit(.inquiry, actor: context.peer.name, "\(receptionNumber) permit issued, \(record.outcome.rawValue)"),
        ])
        return result
    }

    /// 16 bytes: the issue time (big-endian µs), then 8 random bytes. Time first, so that the
    /// providers' used-permit tables grow at their end instead of at a random page each time.
    static func permitID(issuedAt micros: Int64) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        withUnsafeBytes(of: UInt64(bitPattern: micros).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64.random(in: 0...UInt64.max)) { bytes.append(contentsOf: $0) }
        return Data(bytes)
    }

    /// A manual answer (or its timeout) from the provider's 中間サーバー: recorded here and
    /// relayed to the inquirer's.
    nonisolated func deliver(_ request: ProvisionDelivery, _ context: RequestContext) async throws(RenkeiError) -> DeliveryReceipt {
        let topology = environment.topology
        let provider = try Parse.organization(request.provider, in: topology, field: "provider")
        try environment.policy.require(context.peer, .relayManualAnswer(provider: provider))
        let inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
        let reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        let query = try InquiryQuery(request.question, topology: topology)
        let providerLinkCode = try Parse.identifier("符号", request.providerLinkCode, LinkCode.init)
        let opened = try cipher.open(providerLinkCode)
        guard opened.organization == provider.code else {
            throw RenkeiError(.invalidIdentifier, "符号 \(providerLinkCode) does not belong to \(provider.name)")
        }
        let inquirerLinkCode = cipher.linkCode(identity: opened.identity, organization: inquirer.code)
        var relay = request
        relay.inquirerLinkCode = inquirerLinkCode.rawValue
        guard let host = topology.intermediateServer(hosting: inquirer.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(inquirer.name)")
        }
        let receipt = try await environment.peers.client(host.name).call(Methods.deliver, relay, deadline: context.deadline)
        let failed = request.error != nil
        try await environment.store.commit([
            .record(ProvisionRecord(
                .network, reception: reception, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros,
                providedAt: failed ? nil : request.result.providedAtMicros, outcome: failed ? .denied : InquiryOutcome(request.result.outcome),
                error: request.error?.code, providerNondisclosure: request.result.providerNondisclosure,
                linkCode: inquirerLinkCode, providerLinkCode: providerLinkCode
            )),
            environment.audit(.provision, actor: context.peer.name, "\(reception) manual answer relayed"),
        ])
        return receipt
    }
}
