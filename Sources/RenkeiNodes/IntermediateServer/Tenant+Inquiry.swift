import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// 情報照会: the tenant as inquirer. A pipeline: decode the question, check the system's 事務,
/// find the person and their 符号, then ask the network system (now, or after acknowledging).
extension Tenant {
    func inquire(
        _ request: TenantInquiryRequest, system: Topology.BusinessSystemSpec, actor: String, deadline: NIODeadline
    ) async throws(RenkeiError) -> InquiryResult {
        let topology = environment.topology
        let trace = request.question.traceID
        var request = request
        do throws(RenkeiError) { try environment.requireSpace() } catch {
            environment.trace(trace, "記録", "fail", error.message)
            throw await denied(error, actor: actor)
        }
        do throws(RenkeiError) {
            // The operator travels on as ユーザID and 部署コード, never as a token.
            let question = request.question
            if let account = try requireOperator(
                user: question.userID, department: question.departmentCode, token: question.operatorToken, system: system)
            {
                request.question.userID = account.userID
                request.question.departmentCode = account.department
                environment.trace(trace, "職員", "pass", "\(account.userID) (部署 \(account.department)) works on \(system.id)")
            }
            request.question.operatorToken = ""
        } catch {
            environment.trace(trace, "職員", "fail", field: "operator", error.message)
            throw await denied(error, actor: actor)
        }
        let query = try InquiryQuery(request.question, topology: topology, today: environment.clock.today())
        do throws(RenkeiError) { try environment.policy.requireInquiry(by: system, under: query.item) } catch {
            environment.trace(trace, "事務の権限", "fail", field: "item", error.message)
            throw await denied(error, actor: actor)
        }
        if query.inquirerNondisclosure {
            do throws(RenkeiError) { try environment.policy.requireNondisclosure(by: system) } catch {
                environment.trace(trace, "事務の権限", "fail", field: "nondisclosure", error.message)
                throw await denied(error, actor: actor)
            }
        }
        environment.trace(trace, "事務の権限", "pass", "\(system.id) may inquire under \(query.item.japanese)")
        let person = try await person(request.person, trace: trace, actor: actor)
        let linkCode = try await linkCode(of: person, query: query, actor: actor)
        let reception = ReceptionNumber.random()
        environment.control.journal.reception(trace, reception.rawValue)
        var forward = NetworkInquiryRequest()
        forward.receptionNumber = reception.rawValue
        forward.inquirer = organization.code.rawValue
        forward.inquirerLinkCode = linkCode.rawValue
        forward.question = request.question
        forward.question.procedureCode = query.procedure.rawValue
        forward.requestedAtMicros = environment.clock.nowMicros()

        guard request.asynchronous else {
            return try await complete(
                forward, system: system.id, query: query, linkCode: linkCode, reception: reception, actor: actor, deadline: deadline,
                durable: false)
        }
        // Asynchronous: acknowledge with the 受付番号 once the acceptance is durable, then ask.
        var accepted = skeleton(forward, system: system.id)
        accepted.status = .processing
        try await commit([inquiryState(accepted, reception)])
        let timeout = environment.topology.wire.timeout
        Task {
            _ = try? await self.complete(
                forward, system: system.id, query: query, linkCode: linkCode, reception: reception, actor: actor,
                deadline: .now() + .nanoseconds(Int64(timeout.microseconds) * 1000), durable: true)
        }
        return accepted
    }

    /// The person an inquiry is about: by 統合宛名番号 from the AddressSystem, or by the
    /// tenant's own 宛名番号 from a business system of a 機関 without one.
    private func person(_ reference: TenantInquiryRequest.Person?, trace: String, actor: String) async throws(RenkeiError) -> IntegratedAddressNumber
    {
        switch reference {
        case let .integratedAddressNumber(text)?:
            return try Parse.identifier("団体内統合宛名番号", text, IntegratedAddressNumber.init)
        case let .addressNumber(text)?:
            let number = try Parse.identifier("宛名番号", text, AddressNumber.init)
            guard let known = addressees[number] else {
                environment.trace(trace, "宛名番号", "fail", field: "person", "no person with 宛名番号 \(number.short)")
                throw await denied(RenkeiError(.unknownPerson, "\(organization.name) has no person with 宛名番号 \(number.short)"), actor: actor)
            }
            return known
        case nil:
            throw RenkeiError(.invalidRequest, "the inquiry names no person (統合宛名番号 or 宛名番号)")
        }
    }

    /// The tenant's 符号 for the person, or 符号未取得 (also when a fault says so).
    private func linkCode(of person: IntegratedAddressNumber, query: InquiryQuery, actor: String) async throws(RenkeiError) -> LinkCode {
        let trace = query.traceID
        let injected = environment.control.faults.linkCodeMissing(tenant: organization.id, information: query.information.code)
        guard let linkCode = linkCodes[person], !injected else {
            let error = RenkeiError(
                .linkCodeNotAcquired,
                "指定された団体内統合宛名番号「\(person.rawValue.fullWidth)」は符号が未取得です。 (\(organization.name) holds no 符号 for this person\(injected ? " — injected fault" : "; run 符号取得 first"))"
            )
            environment.trace(trace, "符号", "fail", field: "person", error.message)
            throw await denied(error, actor: actor)
        }
        environment.trace(trace, "符号", "pass", "\(organization.name) holds a 符号 for 統合宛名番号 \(person)")
        return linkCode
    }

    /// Sends the inquiry to the network system and records how it ended. With `durable`, the
    /// outcome is kept for polling as well as returned.
    private func complete(
        _ forward: NetworkInquiryRequest, system: String, query: InquiryQuery, linkCode: LinkCode, reception: ReceptionNumber, actor: String,
        deadline: NIODeadline, durable: Bool
    ) async throws(RenkeiError) -> InquiryResult {
        func record(_ outcome: InquiryOutcome, providedAt: Int64?, error: ErrorCode?, providerNondisclosure: Bool) -> StoreWrite {
            .record(
                ProvisionRecord(
                    .inquirer, reception: reception, inquirer: organization.code, query: query, requestedAt: forward.requestedAtMicros,
                    providedAt: providedAt,
                    outcome: outcome, error: error, providerNondisclosure: providerNondisclosure, linkCode: linkCode
                ))
        }
        var answer = skeleton(forward, system: system)
        let provision: ProvisionResult
        let records: EncodedRecords
        do {
            provision = try await environment.peers.client(environment.topology.networkSystem.name)
                .call(Methods.networkInquire, forward, deadline: deadline)
            records = try opened(provision, from: forward.question.provider, reception: reception)
        } catch {
            answer.status = .failed
            answer.error = error
            remember(answer, reception)
            try await commit(
                [
                    record(InquiryOutcome(failure: error.code), providedAt: nil, error: error.code, providerNondisclosure: false),
                    environment.audit(.denial, actor: actor, "\(reception) \(error.code)\(query.operatorNote)"),
                ]
                    + (durable ? [inquiryState(answer, reception)] : [])
            )
            throw error
        }
        let outcome = InquiryOutcome(provision.outcome)
        answer.outcome = provision.outcome
        answer.recordSet = records
        answer.providedAtMicros = provision.providedAtMicros
        answer.providerNondisclosure = provision.providerNondisclosure
        answer.status = outcome == .manualPending ? .awaitingManual : .completed
        remember(answer, reception)
        // An inquiry waiting for staff is kept durably: its answer arrives later.
        let keep = durable || outcome == .manualPending
        try await commit(
            [
                record(
                    outcome, providedAt: provision.providedAtMicros == 0 ? nil : provision.providedAtMicros, error: nil,
                    providerNondisclosure: provision.providerNondisclosure),
                environment.audit(.inquiry, actor: actor, "\(reception) \(outcome.rawValue)\(query.operatorNote)"),
            ]
                + (keep ? [inquiryState(answer, reception)] : [])
        )
        return answer
    }

    /// `system` is the business system that asked: the only one that reads the result.
    private func skeleton(_ forward: NetworkInquiryRequest, system: String) -> InquiryResult {
        var answer = InquiryResult()
        answer.businessSystem = system
        answer.receptionNumber = forward.receptionNumber
        answer.inquirer = organization.code.rawValue
        answer.provider = forward.question.provider
        answer.question = forward.question
        answer.requestedAtMicros = forward.requestedAtMicros
        return answer
    }

    func inquiryState(_ result: InquiryResult, _ reception: ReceptionNumber) -> StoreWrite {
        // Safe to ignore a failure: serializing a message built here cannot fail.
        let payload = (try? result.encoded()).map(Array.init) ?? []
        return .inquiryState(
            tenant: organization.code, reception: reception, status: result.status.name, payload: payload, updatedAt: environment.clock.nowMicros())
    }

    /// An inquiry's state, from memory or from the store.
    func result(_ reception: ReceptionNumber) async throws(RenkeiError) -> InquiryResult {
        if let result = results[reception] { return result }
        if let payload = try await environment.store.inquiryPayload(tenant: organization.code, reception: reception),
            let result = try? InquiryResult(encoded: payload)
        {
            return result
        }
        throw RenkeiError(.unknownReceptionNumber, "\(organization.name) has no inquiry with 受付番号 \(reception)")
    }

    /// The answer to an inquiry that waited for staff, relayed by the network system.
    ///
    /// Taken only for an inquiry of this tenant in 手動応答待ち to that provider; a repeated
    /// delivery of the answer it already took (a retry after a crash) is accepted and changes
    /// nothing, and any other is refused.
    func deliver(_ delivery: ProvisionDelivery, actor: String) async throws(RenkeiError) {
        let reception = try Parse.identifier("受付番号", delivery.receptionNumber, ReceptionNumber.init)
        var answer = try await result(reception)
        let topology = environment.topology
        guard let asked = topology.organization(named: answer.provider), asked.code.rawValue == delivery.provider else {
            throw RenkeiError(
                .unknownReceptionNumber,
                "\(organization.name) asked \(answer.provider), not \(delivery.provider.excerpt(20)), in inquiry \(reception): the manual answer is refused"
            )
        }
        guard answer.status == .awaitingManual else {
            let same =
                delivery.error.map { answer.status == .failed && answer.error?.code == $0.code }
                ?? (answer.status == .completed && answer.outcome == delivery.result.outcome
                    && answer.providedAtMicros == delivery.result.providedAtMicros)
            guard same else {
                throw RenkeiError(
                    .unknownReceptionNumber,
                    "inquiry \(reception) of \(organization.name) does not await a manual answer (it is \(answer.status.name)): the answer is refused"
                )
            }
            return
        }
        let query = try InquiryQuery(answer.question, topology: environment.topology, today: environment.clock.today())
        let linkCode = try? LinkCode(delivery.inquirerLinkCode)
        let outcome: InquiryOutcome
        if let error = delivery.error {
            answer.status = .failed
            answer.error = error
            answer.outcome = .unspecified
            outcome = InquiryOutcome(failure: error.code)
        } else {
            answer.status = .completed
            answer.outcome = delivery.result.outcome
            answer.recordSet = try opened(delivery.result, from: delivery.provider, reception: reception)
            answer.providedAtMicros = delivery.result.providedAtMicros
            answer.providerNondisclosure = delivery.result.providerNondisclosure
            outcome = InquiryOutcome(delivery.result.outcome)
        }
        remember(answer, reception)
        try await commit([
            .record(
                ProvisionRecord(
                    .inquirer, reception: reception, inquirer: organization.code, query: query, requestedAt: answer.requestedAtMicros,
                    providedAt: answer.providedAtMicros == 0 ? nil : answer.providedAtMicros, outcome: outcome,
                    error: delivery.error?.code,
                    providerNondisclosure: answer.providerNondisclosure, linkCode: linkCode
                )),
            inquiryState(answer, reception),
            environment.audit(.inquiry, actor: actor, "\(reception) \(outcome.rawValue) (manual response)"),
        ])
    }

    /// Records a refusal in the audit log and returns it to be thrown.
    func denied(_ error: RenkeiError, actor: String) async -> RenkeiError {
        try? await environment.store.commit([environment.audit(.denial, actor: actor, "\(organization.code) \(error.code)")])
        return error
    }
}

extension Tenant {
    /// Settles the asynchronous inquiries that were in flight when the node last stopped
    /// (killed, or crashed): their tasks died with the process, so nothing would ever finish
    /// them. Each is failed with DEADLINE_EXCEEDED, recorded in the inquirer's 情報提供等記録 and
    /// audited, so polling it answers instead of saying 処理中 forever. Run once, at start.
    func settleInterrupted() async {
        let interrupted = results.filter { $0.value.status == .processing }
        guard !interrupted.isEmpty else { return }
        var writes = [StoreWrite]()
        for (reception, result) in interrupted.sorted(by: { $0.key < $1.key }) {
            var answer = result
            answer.status = .failed
            answer.error =
                (RenkeiError(
                    .deadlineExceeded,
                    "the inquiry was in flight when \(environment.name) stopped and was not answered; it was settled at restart — ask again"))
            remember(answer, reception)
            if let query = try? InquiryQuery(answer.question, topology: environment.topology, today: environment.clock.today()) {
                writes.append(
                    .record(
                        ProvisionRecord(
                            .inquirer, reception: reception, inquirer: organization.code, query: query, requestedAt: answer.requestedAtMicros,
                            providedAt: nil,
                            outcome: .timedOut, error: .deadlineExceeded, providerNondisclosure: false, linkCode: nil
                        )))
            }
            writes.append(inquiryState(answer, reception))
        }
        writes.append(
            environment.audit(
                .inquiry, actor: environment.name, "\(interrupted.count) inquiries in flight at the last stop settled as DEADLINE_EXCEEDED"))
        do { try await commit(writes) } catch {
            environment.logger.error(
                "cannot settle the inquiries interrupted by the last stop", metadata: ["tenant": "\(organization.code)", "error": "\(error)"])
            return
        }
        environment.logger.warning(
            "inquiries in flight at the last stop were settled", metadata: ["tenant": "\(organization.code)", "count": "\(interrupted.count)"])
    }
}
