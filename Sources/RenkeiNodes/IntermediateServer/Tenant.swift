import Crypto
import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// One 機関's part of a 中間サーバー: its 符号 ⇄ 統合宛名番号, its 副本, its inquiries and
/// provisions. All of the tenant's state lives here.
actor Tenant {
    let organization: Organization
    let environment: NodeEnvironment
    private let networkSystemKey: P256.Signing.PublicKey
    private let serials: SerialMaker
    private var nextSerial: UInt64 = 1

    private var linkCodes: [IntegratedAddressNumber: LinkCode] = [:]
    private var persons: [LinkCode: IntegratedAddressNumber] = [:]
    private var pendingAcquisitions: [ProcessingNumber: IntegratedAddressNumber] = [:]
    private var duplicates: [IntegratedAddressNumber: [InformationCode: [DuplicateRecord]]] = [:]
    /// For a 機関 without an AddressSystem: its own person numbers.
    private var addressees: [AddressNumber: IntegratedAddressNumber] = [:]
    private var usedPermits: [Data: Int64] = [:]

    init(organization: Organization, environment: NodeEnvironment, networkSystemKey: P256.Signing.PublicKey) {
        self.organization = organization
        self.environment = environment
        self.networkSystemKey = networkSystemKey
        serials = SerialMaker(prefix: "R", startedAt: environment.clock.nowMicros())
    }

    /// Replays one committed change into memory (at start, and after each commit).
    func apply(_ write: StoreWrite) {
        switch write {
        case let .linkCode(_, person, linkCode):
            if let old = linkCodes[person] { persons[old] = nil }
            linkCodes[person] = linkCode
            persons[linkCode] = person
        case let .acquisitionStarted(_, number, person): pendingAcquisitions[number] = person
        case let .acquisitionFinished(_, number): pendingAcquisitions[number] = nil
        case let .duplicate(_, person, record):
            var records = duplicates[person, default: [:]][record.informationCode, default: []]
            records.removeAll { $0.dataSet == record.dataSet && $0.recordKey == record.recordKey }
            records.append(record)
            duplicates[person, default: [:]][record.informationCode] = records
        case let .duplicateDeleted(_, person, code, dataSet, recordKey):
            duplicates[person]?[code]?.removeAll { $0.dataSet == dataSet && $0.recordKey == recordKey }
        case let .tenantAddressee(_, number, person): addressees[number] = person
        case let .permitUsed(_, id, expiresAt): usedPermits[Data(id)] = expiresAt
        default: break
        }
    }

    private func commit(_ writes: [StoreWrite]) async throws(RenkeiError) {
        try await environment.store.commit(writes)
        for write in writes where write.isState { apply(write) }
    }

    // MARK: 情報照会 (as inquirer)

    func inquire(_ request: Renkei_V1_TenantInquiryRequest, system: Topology.BusinessSystemSpec, actor: String, deadline: NIODeadline) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        let topology = environment.topology
        let query = try InquiryQuery(request.query, topology: topology)
        guard system.items.contains(query.item) else {
            let allowed = system.items.sorted().map(\.description).joined(separator: ", ")
            throw await denied(RenkeiError(
                .systemNotAuthorized,
                "\(system.name) (\(system.id)) may inquire under 別表第二 item \(allowed) only, not \(query.item.japanese); its 事務 is set in the topology"
            ), actor: actor)
        }
        let person: IntegratedAddressNumber
        switch request.person {
        case let .integratedAddressNumber(text)?:
            person = try Parse.identifier("団体内統合宛名番号") { () throws(IdentifierError) in try IntegratedAddressNumber(text) }
        case let .addressNumber(text)?:
            let number = try Parse.identifier("宛名番号") { () throws(IdentifierError) in try AddressNumber(text) }
            guard let known = addressees[number] else {
                throw await denied(RenkeiError(.unknownPerson, "\(organization.name) has no person with 宛名番号 \(number.short)"), actor: actor)
            }
            person = known
        case nil:
            throw RenkeiError(.invalidRequest, "the inquiry names no person (統合宛名番号 or 宛名番号)")
        }
        guard let linkCode = linkCodes[person] else {
            throw await denied(RenkeiError(
                .linkCodeNotAcquired,
                "指定された団体内統合宛名番号「\(person.rawValue.fullWidth)」は符号が未取得です。 (\(organization.name) holds no 符号 for this person; run 符号取得 first)"
            ), actor: actor)
        }

        let reception = try Parse.identifier("受付番号") { () throws(IdentifierError) in try ReceptionNumber(serials.make(nextSerial)) }
        nextSerial += 1
        let requestedAt = environment.clock.nowMicros()
        var forward = Renkei_V1_NetworkInquiryRequest()
        forward.receptionNumber = reception.rawValue
        forward.inquirer = organization.code.rawValue
        forward.inquirerLinkCode = linkCode.rawValue
        forward.query = request.query
        forward.query.procedureCode = query.procedure.rawValue
        forward.requestedAtMicros = requestedAt

        func record(_ outcome: InquiryOutcome, providedAt: Int64?, error: ErrorCode?, providerNondisclosure: Bool) -> StoreWrite {
            .record(ProvisionRecord(
                .inquirer, reception: reception, inquirer: organization.code, query: query, requestedAt: requestedAt, providedAt: providedAt,
                outcome: outcome, error: error, providerNondisclosure: providerNondisclosure, linkCode: linkCode
            ))
        }

        let result: Renkei_V1_ProvisionResult
        do {
            result = try await environment.peers.client(environment.topology.networkSystem.name)
                .call(Methods.networkInquire, forward, deadline: deadline)
        } catch {
            try await commit([
                record(.denied, providedAt: nil, error: error.code, providerNondisclosure: false),
                environment.audit(.denial, actor: actor, "\(reception) \(error.code)"),
            ])
            throw error
        }
        let outcome = InquiryOutcome(result.outcome)
        let providedAt = result.providedAtMicros == 0 ? nil : result.providedAtMicros
        try await commit([
            record(outcome, providedAt: providedAt, error: nil, providerNondisclosure: result.providerNondisclosure),
            environment.audit(.inquiry, actor: actor, "\(reception) \(outcome.rawValue)"),
        ])
        var answer = Renkei_V1_InquiryResult()
        answer.receptionNumber = reception.rawValue
        answer.inquirer = organization.code.rawValue
        answer.provider = query.provider.code.rawValue
        answer.query = forward.query
        answer.outcome = result.outcome
        answer.records = result.records
        answer.requestedAtMicros = requestedAt
        answer.providedAtMicros = result.providedAtMicros
        answer.providerNondisclosure = result.providerNondisclosure
        return answer
    }

    /// Records a refusal in the audit log and returns it to be thrown.
    private func denied(_ error: RenkeiError, actor: String) async -> RenkeiError {
        try? await environment.store.commit([environment.audit(.denial, actor: actor, "\(organization.code) \(error.code)")])
        return error
    }

    // MARK: 情報提供 (as provider)

    /// Verifies the permit and answers from the 副本.
    nonisolated func provide(_ request: Renkei_V1_ProvisionRequest, actor: String) async throws(RenkeiError) -> Renkei_V1_ProvisionResult {
        let topology = environment.topology
        let now = environment.clock.nowMicros()
        let query = try InquiryQuery(request.query, topology: topology)
        let reception = try Parse.identifier("受付番号") { () throws(IdentifierError) in try ReceptionNumber(request.receptionNumber) }
        let inquirer = try Parse.organization(request.inquirer, in: topology, field: "inquirer")
        let linkCode = try Parse.identifier("符号") { () throws(IdentifierError) in try LinkCode(request.providerLinkCode) }

        // The permit: signed by the network system, unexpired, bound to exactly this exchange.
        let claims: Renkei_V1_PermitClaims
        do throws(RenkeiError) {
            claims = try Permit.verify(request.permit, with: networkSystemKey, now: now)
            let mismatches = [
                ("受付番号", claims.receptionNumber, request.receptionNumber),
                ("情報照会者", claims.inquirer, request.inquirer),
                ("情報提供者", claims.provider, organization.code.rawValue),
                ("符号", claims.providerLinkCode, request.providerLinkCode),
                ("別表第二 item", claims.item, query.item.description),
                ("特定個人情報名コード", claims.informationCode, query.information.code.rawValue),
                ("事務手続コード", claims.procedureCode, query.procedure.rawValue),
            ].filter { $0.1 != $0.2 }
            if let first = mismatches.first {
                throw RenkeiError(.permitMismatch, "the 情報提供許可証 was issued for another exchange: its \(first.0) is \(first.1), the request's is \(first.2)")
            }
            // The provider keeps its own copy of 別表第二 and checks again.
            if case let .denied(error) = topology.rules.check(
                item: query.item, inquirerKinds: inquirer.kinds, providerKinds: organization.kinds, information: query.information.informationClass
            ) {
                throw error
            }
        } catch {
            try await refuseProvision(error, reception: reception, inquirer: inquirer, query: query, linkCode: linkCode, requestedAt: request.requestedAtMicros, actor: actor)
        }
        return try await answer(
            permitID: claims.permitID, expiresAt: claims.expiresAtMicros, reception: reception, inquirer: inquirer, query: query,
            linkCode: linkCode, requestedAt: request.requestedAtMicros, actor: actor
        )
    }

    private func answer(
        permitID: Data, expiresAt: Int64, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery, linkCode: LinkCode,
        requestedAt: Int64, actor: String
    ) async throws(RenkeiError) -> Renkei_V1_ProvisionResult {
        guard usedPermits[permitID] == nil else {
            try await refuseProvision(
                RenkeiError(.permitReused, "the 情報提供許可証 for \(reception) was already used; each permit answers one inquiry"),
                reception: reception, inquirer: inquirer, query: query, linkCode: linkCode, requestedAt: requestedAt, actor: actor
            )
        }
        // Mark it used before any await, so a concurrent replay on this actor sees it.
        usedPermits[permitID] = expiresAt
        pruneExpiredPermits()

        let today = environment.clock.today()
        var records = [DuplicateRecord]()
        if let person = persons[linkCode] {
            records = (duplicates[person]?[query.information.code] ?? []).filter { record in
                guard record.isPublished(on: today) else { return false }
                guard let year = query.fiscalYear, record.recordKey.count == 4, Int(record.recordKey) != nil else { return true }
                return record.recordKey == year
            }
        }
        let providedAt = environment.clock.nowMicros()
        let outcome: InquiryOutcome = records.isEmpty ? .noData : .provided
        do {
            try await commit([
                .permitUsed(tenant: organization.code, id: Array(permitID), expiresAt: expiresAt),
                .record(ProvisionRecord(
                    .provider, reception: reception, inquirer: inquirer.code, query: query, requestedAt: requestedAt, providedAt: providedAt,
                    outcome: outcome, linkCode: linkCode
                )),
                environment.audit(.permitVerified, actor: actor, reception.rawValue),
                environment.audit(.provision, actor: actor, "\(reception) \(outcome.rawValue) \(records.count)"),
            ])
        } catch {
            usedPermits[permitID] = nil
            throw error
        }
        var result = Renkei_V1_ProvisionResult()
        result.outcome = outcome == .provided ? .provided : .noData
        result.records = records.map(Renkei_V1_DuplicateRecord.init)
        result.providedAtMicros = providedAt
        return result
    }

    private func refuseProvision(
        _ error: RenkeiError, reception: ReceptionNumber, inquirer: Organization, query: InquiryQuery, linkCode: LinkCode, requestedAt: Int64, actor: String
    ) async throws(RenkeiError) -> Never {
        let kind: AuditEvent.Kind = [.permitInvalid, .permitExpired, .permitReused, .permitMismatch].contains(error.code) ? .permitRefused : .denial
        try await commit([
            .record(ProvisionRecord(
                .provider, reception: reception, inquirer: inquirer.code, query: query, requestedAt: requestedAt, providedAt: nil,
                outcome: .denied, error: error.code, linkCode: linkCode
            )),
            environment.audit(kind, actor: actor, "\(reception) \(error.code)"),
        ])
        throw error
    }

    private func pruneExpiredPermits() {
        guard usedPermits.count > 10_000 else { return }
        let now = environment.clock.nowMicros()
        usedPermits = usedPermits.filter { $0.value >= now }
    }

    // MARK: 符号取得

    func beginAcquisition(_ persons: [IntegratedAddressNumber], numbers: [ProcessingNumber], actor: String) async throws(RenkeiError) {
        try await commit(zip(numbers, persons).map { .acquisitionStarted(tenant: organization.code, processingNumber: $0, person: $1) })
    }

    func storeLinkCodes(_ entries: [Renkei_V1_LinkCodeNotification.Entry], actor: String) async throws(RenkeiError) -> [Renkei_V1_AcquisitionOutcome] {
        var writes = [StoreWrite]()
        var outcomes = [Renkei_V1_AcquisitionOutcome]()
        for entry in entries {
            var outcome = Renkei_V1_AcquisitionOutcome()
            outcome.processingNumber = entry.processingNumber
            do throws(RenkeiError) {
                let number = try Parse.identifier("処理通番") { () throws(IdentifierError) in try ProcessingNumber(entry.processingNumber) }
                let linkCode = try Parse.identifier("符号") { () throws(IdentifierError) in try LinkCode(entry.linkCode) }
                guard let person = pendingAcquisitions[number] else {
                    throw RenkeiError(.unknownProcessingNumber, "\(organization.name) is not waiting for 処理通番 \(number)")
                }
                writes.append(.linkCode(tenant: organization.code, person: person, linkCode: linkCode))
                writes.append(.acquisitionFinished(tenant: organization.code, processingNumber: number))
            } catch {
                outcome.status = .init(error)
            }
            outcomes.append(outcome)
        }
        try await commit(writes + [environment.audit(.linkCodeIssued, actor: actor, "\(writes.count / 2) 符号 stored")])
        return outcomes
    }

    // MARK: registration

    func registerAddressees(_ entries: [(AddressNumber, IntegratedAddressNumber)], actor: String) async throws(RenkeiError) {
        try await commit(
            entries.map { .tenantAddressee(tenant: organization.code, addressNumber: $0.0, person: $0.1) }
                + [environment.audit(.administration, actor: actor, "\(entries.count) addressees registered")]
        )
    }

    func registerDuplicates(_ registration: Renkei_V1_DuplicateRegistration, actor: String) async throws(RenkeiError) -> Renkei_V1_DuplicateRegistrationResponse {
        var writes = [StoreWrite]()
        var response = Renkei_V1_DuplicateRegistrationResponse()
        for (index, entry) in registration.entries.enumerated() {
            let person = try Parse.identifier("entries[\(index)] 団体内統合宛名番号") { () throws(IdentifierError) in
                try IntegratedAddressNumber(entry.integratedAddressNumber)
            }
            let record: DuplicateRecord
            do { record = try DuplicateRecord(entry.record) } catch { throw RenkeiError(error.code, "entries[\(index)]: \(error.message)") }
            guard environment.topology.catalogue.spec(record.informationCode) != nil else {
                throw RenkeiError(.unknownInformationCode, "entries[\(index)]: 特定個人情報名コード \(record.informationCode) is not in the layout catalogue")
            }
            if entry.delete {
                writes.append(.duplicateDeleted(tenant: organization.code, person: person, informationCode: record.informationCode, dataSet: record.dataSet, recordKey: record.recordKey))
                response.deleted += 1
            } else {
                writes.append(.duplicate(tenant: organization.code, person: person, record: record))
                response.registered += 1
            }
        }
        writes.append(environment.audit(.duplicateChanged, actor: actor, "\(organization.code) +\(response.registered) -\(response.deleted)"))
        try await commit(writes)
        return response
    }
}

