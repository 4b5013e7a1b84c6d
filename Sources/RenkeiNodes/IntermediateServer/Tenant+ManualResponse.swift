import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// 自動応答不可: inquiries that wait in the provider's queue until staff provide or withhold
/// them, or until they time out.
extension Tenant {
    func enqueue(
        _ request: ProvisionRequest, person: IntegratedAddressNumber?, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery,
        linkCode: LinkCode, permitUsed: StoreWrite, actor: String
    ) async throws(RenkeiError) -> ProvisionResult {
        let now = environment.clock.nowMicros()
        var entry = QueueEntry()
        entry.receptionNumber = reception.rawValue
        entry.tenant = organization.code.rawValue
        entry.inquirer = inquirer.code.rawValue
        entry.question = request.question
        entry.integratedAddressNumber = person?.rawValue ?? ""
        entry.queuedAtMicros = now
        entry.deadlineMicros = now + environment.topology.manualResponseTimeout.microseconds
        entry.request = request
        entry.request.permit = SealedPermit()
        if case let .permitUsed(_, id, _) = permitUsed { entry.permitID = id }
        // Safe to ignore a failure: serializing a message built here cannot fail.
        let payload = (try? entry.encoded()).map(Array.init) ?? []
        try await commit([
            permitUsed,
            .manualQueued(tenant: organization.code, reception: reception, payload: payload, deadline: entry.deadlineMicros),
            .record(
                ProvisionRecord(
                    .provider, reception: reception, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros, providedAt: nil,
                    outcome: .manualPending, linkCode: linkCode
                )),
            environment.audit(.provision, actor: actor, "\(reception) manual_pending (自動応答不可)"),
        ])
        var result = ProvisionResult()
        result.outcome = .manualPending
        return result
    }

    func queue() -> [QueueEntry] {
        manualQueue.values.sorted { $0.queuedAtMicros < $1.queuedAtMicros }
    }

    /// Staff provide (from the 副本) or withhold (不開示) a queued inquiry; the answer goes to
    /// the inquirer through the network system, and only then leaves the queue.
    /// `actor` names who decided (the caller, and the member of staff); `reason` goes into the
    /// audit log with the decision.
    func resolve(_ reception: ReceptionNumber, provide: Bool, reason: String = "", actor: String) async throws(RenkeiError) {
        guard let entry = manualQueue[reception] else {
            throw RenkeiError(.unknownReceptionNumber, "no inquiry \(reception) waits in the manual-response queue of \(organization.name)")
        }
        let query = try InquiryQuery(entry.question, topology: environment.topology, today: environment.clock.today())
        var result = ProvisionResult()
        result.providedAtMicros = environment.clock.nowMicros()
        if provide {
            let person = try? IntegratedAddressNumber(entry.integratedAddressNumber)
            let records = publishedRecords(of: person, query: query)
            let inquirer = try Parse.organization(entry.inquirer, in: environment.topology, field: "inquirer").code
            (result.recordSet, result.recordSetSealed) = try sealed(records, for: inquirer, reception: reception)
            result.outcome = records.isEmpty ? .noData : .manual
            result.providerNondisclosure = hasFlag(.nondisclosure, person: person, information: query.information.code)
        } else {
            // Withholding is a refusal to provide, recorded as withheld; it hides the exchange
            // from the person's やりとり履歴 only when the 不開示該当 flag applies, as for any other.
            let person = try? IntegratedAddressNumber(entry.integratedAddressNumber)
            result.outcome = .withheld
            result.providerNondisclosure = hasFlag(.nondisclosure, person: person, information: query.information.code)
        }
        try await settle(entry, query: query, result: result, error: nil, reason: reason, actor: actor)
    }

    /// Answers every queued inquiry whose time has run out with MANUAL_RESPONSE_TIMEOUT, and
    /// delivers again every committed answer that has not been delivered yet.
    func expireQueue() async {
        await deliverOutbox()
        let now = environment.clock.nowMicros()
        for entry in manualQueue.values where entry.deadlineMicros <= now {
            guard let query = try? InquiryQuery(entry.question, topology: environment.topology, today: environment.clock.today()) else { continue }
            let error = RenkeiError(
                .manualResponseTimeout,
                "\(organization.name) did not answer \(entry.receptionNumber) by hand within \(environment.topology.manualResponseTimeout)")
            do {
                try await settle(entry, query: query, result: nil, error: error, actor: "manual-response-timer")
            } catch {
                environment.logger.warning(
                    "cannot deliver a manual-response timeout", metadata: ["reception": "\(entry.receptionNumber)", "error": "\(error)"])
            }
        }
    }

    /// Commits the answer (the record, the queue entry gone, the answer in the outbox) and only
    /// then delivers it: a crash in between leaves it in the outbox, delivered at the next start
    /// or timer tick, and the network system and the inquirer take a repeated delivery once.
    private func settle(
        _ entry: QueueEntry, query: InquiryQuery, result: ProvisionResult?, error: RenkeiError?, reason: String = "", actor: String
    ) async throws(RenkeiError) {
        let reception = try Parse.identifier("受付番号", entry.receptionNumber, ReceptionNumber.init)
        var delivery = ProvisionDelivery()
        delivery.receptionNumber = entry.receptionNumber
        delivery.inquirer = entry.inquirer
        delivery.provider = organization.code.rawValue
        delivery.question = entry.question
        delivery.requestedAtMicros = entry.request.requestedAtMicros
        delivery.providerLinkCode = entry.request.providerLinkCode
        delivery.permitID = entry.permitID
        if let result { delivery.result = result }
        delivery.error = error
        let outcome: InquiryOutcome = error.map { InquiryOutcome(failure: $0.code) } ?? InquiryOutcome(result?.outcome ?? .unspecified)
        try await commit([
            .manualAnswerPending(tenant: organization.code, reception: reception, payload: Array(try delivery.encoded())),
            .manualResolved(tenant: organization.code, reception: reception),
            .record(
                ProvisionRecord(
                    .provider, reception: reception,
                    inquirer: try Parse.organization(entry.inquirer, in: environment.topology, field: "inquirer").code, query: query,
                    requestedAt: entry.request.requestedAtMicros, providedAt: result?.providedAtMicros, outcome: outcome, error: error?.code,
                    providerNondisclosure: result?.providerNondisclosure ?? false, linkCode: try? LinkCode(entry.request.providerLinkCode)
                )),
            environment.audit(
                .provision, actor: actor, "\(reception) \(outcome.rawValue) (manual response)\(reason.isEmpty ? "" : ": \(reason)")"),
        ])
        await deliver(delivery, reception: reception)
    }

    /// Delivers every answer in the outbox (at start, and on the queue's timer).
    func deliverOutbox() async {
        for (reception, delivery) in manualOutbox.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            await deliver(delivery, reception: reception)
        }
    }

    /// One delivery to the network system; on success the outbox entry goes. A failure leaves it
    /// for the next try: the answer is committed, only its delivery waits.
    private func deliver(_ delivery: ProvisionDelivery, reception: ReceptionNumber) async {
        do {
            _ = try await environment.peers.client(environment.topology.networkSystem.name)
                .call(Methods.networkDeliver, delivery, deadline: .now() + .seconds(10))
            try await commit([.manualAnswerSent(tenant: organization.code, reception: reception)])
        } catch {
            environment.logger.warning(
                "a manual answer is committed but not delivered yet; it is delivered again on the next tick",
                metadata: ["reception": "\(reception)", "error": "\(error)"])
        }
    }
}
