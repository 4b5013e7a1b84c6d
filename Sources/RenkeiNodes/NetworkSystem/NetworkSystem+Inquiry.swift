import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// 情報照会 at the network system, as a pipeline: decode the exchange, authorize the caller,
/// decide (別表第二, 符号変換, permit), relay to the provider, persist the record.
extension NetworkSystem {
    /// One exchange as the inquirer's 中間サーバー sent it, every field validated.
    struct Exchange {
        let reception: ReceptionNumber
        let inquirer: Organization
        let query: InquiryQuery
        let inquirerLinkCode: LinkCode
        let requestedAt: Int64
        /// The simulation date the exchange is judged on: which table is in force.
        let today: CivilDate

        init(_ request: NetworkInquiryRequest, topology: Topology, today: CivilDate) throws(RenkeiError) {
            self.today = today
            inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
            reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
            query = try InquiryQuery(request.question, topology: topology, today: today)
            inquirerLinkCode = try Parse.identifier("符号", request.inquirerLinkCode, LinkCode.init)
            requestedAt = request.requestedAtMicros
        }

        func record(
            providedAt: Int64?, outcome: InquiryOutcome, error: ErrorCode? = nil, providerNondisclosure: Bool = false,
            providerLinkCode: LinkCode? = nil
        ) -> ProvisionRecord {
            ProvisionRecord(
                .network, reception: reception, inquirer: inquirer.code, query: query, requestedAt: requestedAt, providedAt: providedAt,
                outcome: outcome,
                error: error, providerNondisclosure: providerNondisclosure, linkCode: inquirerLinkCode, providerLinkCode: providerLinkCode
            )
        }
    }

    nonisolated func inquire(_ request: NetworkInquiryRequest, _ context: RequestContext) async throws(RenkeiError) -> ProvisionResult {
        let exchange = try Exchange(request, topology: environment.topology, today: environment.clock.today())
        try environment.policy.require(context.peer, .sendInquiry(inquirer: exchange.inquirer))
        var permitIssued = false
        let result: ProvisionResult
        let providerLinkCode: LinkCode
        let permitID: Data
        do throws(RenkeiError) {
            try environment.requireSpace()
            try checkRule(exchange)
            providerLinkCode = try convertLinkCode(exchange)
            let (host, permit, id) = try issuePermit(exchange, providerLinkCode: providerLinkCode)
            permitID = id
            permitIssued = true
            environment.metrics.permitIssued()
            result = try await relay(exchange, request, to: host, permit: permit, providerLinkCode: providerLinkCode, deadline: context.deadline)
        } catch {
            if !permitIssued { environment.metrics.permitRefused(error.code) }
            // One audit entry per exchange: it says whether a permit was issued.
            let detail = "\(exchange.reception) \(error.code)" + (permitIssued ? " after its permit was issued" : "") + exchange.query.operatorNote
            try await environment.store.commit([
                .record(exchange.record(providedAt: nil, outcome: InquiryOutcome(failure: error.code), error: error.code)),
                environment.audit(.denial, actor: context.peer.name, detail),
            ])
            throw error
        }
        let record = exchange.record(
            providedAt: result.providedAtMicros == 0 ? nil : result.providedAtMicros, outcome: InquiryOutcome(result.outcome),
            providerNondisclosure: result.providerNondisclosure, providerLinkCode: providerLinkCode
        )
        var writes: [StoreWrite] = [
            .record(record),
            environment.audit(
                .inquiry, actor: context.peer.name, "\(exchange.reception) permit issued, \(record.outcome.rawValue)\(exchange.query.operatorNote)"),
        ]
        // Queued for staff at the provider: the one exchange its manual answer may complete.
        let manual =
            record.outcome == .manualPending
            ? ManualExchange(
                reception: exchange.reception.rawValue, inquirer: exchange.inquirer.code.rawValue, provider: exchange.query.provider.code.rawValue,
                permitID: Array(permitID), providerLinkCode: providerLinkCode.rawValue) : nil
        if let manual { writes.append(.manualExchange(manual)) }
        try await environment.store.commit(writes)
        if let manual { await awaitManualAnswer(manual) }
        return result
    }

    /// What would have been accepted instead: the items that let this inquirer ask this
    /// provider for this information.
    static func nearMiss(_ rules: RuleBook, _ exchange: Exchange) -> String {
        let query = exchange.query
        let items = rules.itemsPermitting(
            on: exchange.today, inquirerKinds: exchange.inquirer.kinds, providerKinds: query.provider.kinds,
            information: query.information.informationClass)
        guard !items.isEmpty else {
            return
                "no item of \(rules.inForce(on: exchange.today).numbering.title) lets \(exchange.inquirer.name) ask \(query.provider.name) for \(query.information.informationClass)"
        }
        return "\(exchange.inquirer.name) may ask \(query.provider.name) for \(query.information.informationClass) under "
            + items.prefix(12).joined(separator: ", ")
    }

    /// 照会許可用照合リスト: the check against the table in force (別表第二, or the 2024 ordinance's).
    private nonisolated func checkRule(_ exchange: Exchange) throws(RenkeiError) {
        let rules = environment.topology.rules
        let query = exchange.query
        let table = rules.inForce(on: exchange.today)
        let stage = table.numbering.title
        switch rules.check(
            query.item, citedIn: rules.numbering(of: query.citation, on: exchange.today), on: exchange.today, inquirerKinds: exchange.inquirer.kinds,
            providerKinds: query.provider.kinds,
            information: query.information.informationClass)
        {
        case let .denied(error, field):
            environment.trace(query.traceID, stage, "fail", field: field.rawValue, error.message)
            environment.trace(query.traceID, stage, "accepted", Self.nearMiss(rules, exchange))
            throw error
        case let .permitted(item, index):
            let provision = table.item(item)?.provisions[index]
            environment.trace(
                query.traceID, stage, "pass",
                "\(query.item.japanese): \(exchange.inquirer.name) may ask \(query.provider.name) (\(provision?.providers.joined(separator: ", ") ?? "")) for \(query.information.informationClass)"
            )
        }
    }

    /// 符号変換: the inquirer's 符号 to the provider's, for the same person.
    private nonisolated func convertLinkCode(_ exchange: Exchange) throws(RenkeiError) -> LinkCode {
        let opened = try cipher.open(exchange.inquirerLinkCode)
        guard opened.organization == exchange.inquirer.code else {
            throw RenkeiError(.invalidIdentifier, "符号 \(exchange.inquirerLinkCode) belongs to another 機関, not to \(exchange.inquirer.name)")
        }
        environment.trace(exchange.query.traceID, "符号変換", "pass", "\(exchange.inquirer.name)'s 符号 converted to \(exchange.query.provider.name)'s")
        return cipher.linkCode(identity: opened.identity, organization: exchange.query.provider.code)
    }

    /// 情報提供許可証 for this exchange, sealed for the 中間サーバー hosting the provider.
    private nonisolated func issuePermit(
        _ exchange: Exchange, providerLinkCode: LinkCode
    ) throws(RenkeiError) -> (host: String, SealedPermit, id: Data) {
        let query = exchange.query
        guard let host = environment.topology.intermediateServer(hosting: query.provider.id), let seal = permitSeals[host.name] else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(query.provider.name)")
        }
        let now = environment.clock.nowMicros()
        var claims = PermitClaims()
        claims.permitID = Self.permitID(issuedAt: now)
        claims.receptionNumber = exchange.reception.rawValue
        claims.inquirer = exchange.inquirer.code.rawValue
        claims.provider = query.provider.code.rawValue
        claims.providerLinkCode = providerLinkCode.rawValue
        claims.item = query.citation.description
        claims.procedureCode = query.procedure.rawValue
        claims.informationCode = query.information.code.rawValue
        claims.issuedAtMicros = now
        claims.expiresAtMicros = now + environment.topology.networkSystem.permitLifetime.microseconds
        return (host.name, try Permit.issue(claims, sealedWith: seal), claims.permitID)
    }

    /// The provision request, with the permit, to the provider's 中間サーバー.
    private nonisolated func relay(
        _ exchange: Exchange, _ request: NetworkInquiryRequest, to host: String, permit: SealedPermit, providerLinkCode: LinkCode,
        deadline: NIODeadline
    ) async throws(RenkeiError) -> ProvisionResult {
        var provision = ProvisionRequest()
        provision.receptionNumber = exchange.reception.rawValue
        provision.inquirer = exchange.inquirer.code.rawValue
        provision.provider = exchange.query.provider.code.rawValue
        provision.providerLinkCode = providerLinkCode.rawValue
        provision.question = request.question
        provision.permit = permit
        provision.requestedAtMicros = exchange.requestedAt
        do {
            return try await environment.peers.client(host).call(Methods.provide, provision, deadline: deadline)
        } catch {
            environment.trace(exchange.query.traceID, "情報提供", "fail", field: "provider", "\(exchange.query.provider.name): \(error)")
            throw error
        }
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

    /// A manual answer (or its timeout) from the provider's 中間サーバー: relayed to the
    /// inquirer's and recorded here, only for an exchange this network system permitted that
    /// awaits a manual answer from that provider, with the same permit and 符号. A repeated
    /// delivery (the provider's retry) is relayed again and recorded once.
    nonisolated func deliver(_ request: ProvisionDelivery, _ context: RequestContext) async throws(RenkeiError) -> DeliveryReceipt {
        let topology = environment.topology
        let provider = try Parse.organization(request.provider, in: topology, field: "provider")
        try environment.policy.require(context.peer, .relayManualAnswer(provider: provider))
        let inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
        let reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        let query = try InquiryQuery(request.question, topology: topology, today: environment.clock.today())
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
        guard var pending = try await claimManualAnswer(reception.rawValue) else {
            throw RenkeiError(
                .unknownReceptionNumber,
                "the network system permitted no exchange \(reception) that awaits a manual answer; a manual answer is relayed only for the exchange it permitted"
            )
        }
        do throws(RenkeiError) {
            guard pending.provider == provider.code.rawValue, pending.inquirer == inquirer.code.rawValue else {
                throw RenkeiError(.permitMismatch, "exchange \(reception) was permitted between other 機関 than \(inquirer.name) and \(provider.name)")
            }
            guard pending.providerLinkCode == providerLinkCode.rawValue else {
                throw RenkeiError(.permitMismatch, "the manual answer to \(reception) names another person (符号) than the exchange that was permitted")
            }
            guard pending.permitID == request.permitID else {
                throw RenkeiError(.permitMismatch, "the manual answer to \(reception) does not carry the 情報提供許可証 the exchange was permitted under")
            }
        } catch {
            await releaseManualAnswer(pending)
            throw error
        }
        let receipt: DeliveryReceipt
        do throws(RenkeiError) {
            receipt = try await environment.peers.client(host.name).call(Methods.deliver, relay, deadline: context.deadline)
        } catch {
            await releaseManualAnswer(pending)
            throw error
        }
        guard !pending.delivered else {
            await releaseManualAnswer(pending)
            return receipt
        }
        var delivered = pending
        delivered.delivered = true
        let failed = request.error != nil
        do throws(RenkeiError) {
            try await commitDelivery(
                request, delivered, reception: reception, inquirer: inquirer, query: query, failed: failed,
                inquirerLinkCode: inquirerLinkCode, providerLinkCode: providerLinkCode, actor: context.peer.name)
        } catch {
            await releaseManualAnswer(pending)
            throw error
        }
        await releaseManualAnswer(delivered)
        return receipt
    }

    private nonisolated func commitDelivery(
        _ request: ProvisionDelivery, _ delivered: ManualExchange, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery,
        failed: Bool, inquirerLinkCode: LinkCode, providerLinkCode: LinkCode, actor: String
    ) async throws(RenkeiError) {
        try await environment.store.commit([
            .manualExchange(delivered),
            .record(
                ProvisionRecord(
                    .network, reception: reception, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros,
                    providedAt: failed ? nil : request.result.providedAtMicros,
                    outcome: request.error.map { InquiryOutcome(failure: $0.code) } ?? InquiryOutcome(request.result.outcome),
                    error: request.error?.code, providerNondisclosure: request.result.providerNondisclosure,
                    linkCode: inquirerLinkCode, providerLinkCode: providerLinkCode
                )),
            environment.audit(.provision, actor: actor, "\(reception) manual answer relayed"),
        ])
    }
}
