import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// 情報提供: the tenant as provider.
extension Tenant {
    /// Verifies the permit and answers from the 副本, or queues the inquiry for staff.
    nonisolated func provide(_ request: ProvisionRequest, actor: String, deadline: NIODeadline) async throws(RenkeiError) -> ProvisionResult {
        let topology = environment.topology
        let now = environment.clock.nowMicros()
        let trace = request.question.traceID
        let query = try InquiryQuery(request.question, topology: topology, today: environment.clock.today())
        let reception = try Parse.identifier("受付番号", request.receptionNumber, ReceptionNumber.init)
        let inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
        let linkCode = try Parse.identifier("符号", request.providerLinkCode, LinkCode.init)

        // The permit: signed by the network system, unexpired, bound to exactly this exchange.
        let claims: PermitClaims
        do throws(RenkeiError) {
            try environment.requireSpace()
            claims = try Permit.verify(request.permit, with: permitCheck, now: now)
            let mismatches = [
                ("受付番号", claims.receptionNumber, request.receptionNumber),
                ("情報照会者", claims.inquirer, request.inquirer),
                ("情報提供者", claims.provider, organization.code.rawValue),
                ("符号", claims.providerLinkCode, request.providerLinkCode),
                ("item", claims.item, query.citation.description),
                ("特定個人情報名コード", claims.informationCode, query.information.code.rawValue),
                ("事務手続コード", claims.procedureCode, query.procedure.rawValue),
            ].filter { $0.1 != $0.2 }
            if let first = mismatches.first {
                throw RenkeiError(
                    .permitMismatch, "the 情報提供許可証 was issued for another exchange: its \(first.0) is \(first.1), the request's is \(first.2)")
            }
            environment.trace(
                trace, "情報提供許可証", "pass",
                "sealed by the network system, bound to \(reception), expires in \((claims.expiresAtMicros - now) / 1000) ms")
            // The provider keeps its own copy of the rules and checks again, on its own date.
            let today = environment.clock.today()
            if case let .denied(error, field) = topology.rules.check(
                query.item, citedIn: topology.rules.numbering(of: query.citation, on: today), on: today, inquirerKinds: inquirer.kinds,
                providerKinds: organization.kinds,
                information: query.information.informationClass
            ) {
                environment.trace(
                    trace, "\(topology.rules.inForce(on: today).numbering.title) (provider)", "fail", field: field.rawValue, error.message)
                throw error
            }
            try await environment.control.faults.applyAtProvider(tenant: organization.id, information: query.information.code, deadline: deadline)
        } catch {
            if [.permitInvalid, .permitExpired, .permitReused, .permitMismatch].contains(error.code) {
                environment.trace(trace, "情報提供許可証", "fail", field: "permit", error.message)
            }
            try await refuseProvision(
                error, reception: reception, inquirer: inquirer, query: query, linkCode: linkCode, requestedAt: request.requestedAtMicros,
                actor: actor)
        }
        return try await answer(
            request, permitID: claims.permitID, expiresAt: claims.expiresAtMicros, reception: reception, inquirer: inquirer, query: query,
            linkCode: linkCode, actor: actor, deadline: deadline)
    }

    private func answer(
        _ request: ProvisionRequest, permitID: Data, expiresAt: Int64, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery,
        linkCode: LinkCode, actor: String, deadline: NIODeadline
    ) async throws(RenkeiError) -> ProvisionResult {
        let trace = query.traceID
        guard usedPermits[permitID] == nil else {
            let error = RenkeiError(.permitReused, "the 情報提供許可証 for \(reception) was already used; each permit answers one inquiry")
            environment.trace(trace, "情報提供許可証", "fail", field: "permit", error.message)
            try await refuseProvision(
                error, reception: reception, inquirer: inquirer, query: query, linkCode: linkCode, requestedAt: request.requestedAtMicros,
                actor: actor)
        }
        // Mark it used before any await, so a concurrent replay on this actor sees it.
        usedPermits[permitID] = expiresAt
        pruneExpiredPermits()

        let person = persons[linkCode]
        let used = StoreWrite.permitUsed(tenant: organization.code, id: Array(permitID), expiresAt: expiresAt)
        if hasFlag(.manualResponse, person: person, information: query.information.code) {
            environment.trace(trace, "自動応答", "info", "自動応答不可: queued for staff at \(organization.name)")
            do {
                return try await enqueue(
                    request, person: person, reception: reception, inquirer: inquirer, query: query, linkCode: linkCode, permitUsed: used,
                    actor: actor)
            } catch {
                usedPermits[permitID] = nil
                throw error
            }
        }
        let records = publishedRecords(of: person, query: query)
        let nondisclosure = hasFlag(.nondisclosure, person: person, information: query.information.code)
        environment.trace(
            trace, "副本", records.isEmpty ? "info" : "pass",
            records.isEmpty ? "no published 副本 for this person and 特定個人情報 (該当なし)" : "\(records.count) 副本 record(s) provided")
        let providedAt = environment.clock.nowMicros()
        // Past the caller's deadline no one waits for this answer: recorded as late, not as
        // provided, so that reconciliation makes the other two parties say the same.
        let late = NIODeadline.now() >= deadline
        let outcome: InquiryOutcome = late ? .late : records.isEmpty ? .noData : .provided
        let travelling = try sealed(records, for: inquirer.code, reception: reception)
        do {
            try await commit([
                used,
                .record(
                    ProvisionRecord(
                        .provider, reception: reception, inquirer: inquirer.code, query: query, requestedAt: request.requestedAtMicros,
                        providedAt: providedAt,
                        outcome: outcome, providerNondisclosure: nondisclosure, linkCode: linkCode
                    )),
                environment.audit(
                    .provision, actor: actor, "\(reception) permit verified, \(outcome.rawValue) \(records.count)\(query.operatorNote)"),
            ])
        } catch {
            usedPermits[permitID] = nil
            throw error
        }
        var result = ProvisionResult()
        result.outcome = records.isEmpty ? .noData : .provided
        (result.recordSet, result.recordSetSealed) = travelling
        result.providedAtMicros = providedAt
        result.providerNondisclosure = nondisclosure
        return result
    }

    func refuseProvision(
        _ error: RenkeiError, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery, linkCode: LinkCode, requestedAt: Int64,
        actor: String
    ) async throws(RenkeiError) -> Never {
        let kind: AuditEvent.Kind = [.permitInvalid, .permitExpired, .permitReused, .permitMismatch].contains(error.code) ? .permitRefused : .denial
        try await commit([
            .record(
                ProvisionRecord(
                    .provider, reception: reception, inquirer: inquirer.code, query: query, requestedAt: requestedAt, providedAt: nil,
                    outcome: InquiryOutcome(failure: error.code), error: error.code, linkCode: linkCode
                )),
            environment.audit(kind, actor: actor, "\(reception) \(error.code)\(query.operatorNote)"),
        ])
        throw error
    }
}
