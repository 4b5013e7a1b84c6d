import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// What the tenant is told: 符号 (取得), persons, 副本, flags; and what it tells: its records.
extension Tenant {
    func beginAcquisition(_ persons: [IntegratedAddressNumber], numbers: [ProcessingNumber], actor: String) async throws(RenkeiError) {
        try await commit(zip(numbers, persons).map { .acquisitionStarted(tenant: organization.code, processingNumber: $0, person: $1) })
    }

    func storeLinkCodes(_ entries: [LinkCodeNotification.Entry], actor: String) async throws(RenkeiError) -> [AcquisitionOutcome] {
        var writes = [StoreWrite]()
        var outcomes = [AcquisitionOutcome]()
        for entry in entries {
            var outcome = AcquisitionOutcome(processingNumber: entry.processingNumber)
            do throws(RenkeiError) {
                let number = try Parse.identifier("処理通番", entry.processingNumber, ProcessingNumber.init)
                let linkCode = try Parse.identifier("符号", entry.linkCode, LinkCode.init)
                guard let person = pendingAcquisitions[number] else {
                    throw RenkeiError(.unknownProcessingNumber, "\(organization.name) is not waiting for 処理通番 \(number)")
                }
                writes.append(.linkCode(tenant: organization.code, person: person, linkCode: linkCode))
                writes.append(.acquisitionFinished(tenant: organization.code, processingNumber: number))
            } catch {
                outcome.status = error
            }
            outcomes.append(outcome)
        }
        try await commit(writes + [environment.audit(.linkCodeIssued, actor: actor, "\(writes.count / 2) 符号 stored")])
        return outcomes
    }

    func registerAddressees(_ entries: [(AddressNumber, IntegratedAddressNumber)], actor: String) async throws(RenkeiError) {
        try await commit(
            entries.map { .tenantAddressee(tenant: organization.code, addressNumber: $0.0, person: $0.1) }
                + [environment.audit(.administration, actor: actor, "\(entries.count) addressees registered")]
        )
    }

    func registerDuplicates(_ registration: DuplicateRegistration, actor: String) async throws(RenkeiError) -> DuplicateRegistrationResponse {
        var writes = [StoreWrite]()
        var response = DuplicateRegistrationResponse()
        for (index, entry) in registration.entries.enumerated() {
            let person = try person(entry.integratedAddressNumber, addressNumber: entry.addressNumber, in: "entries[\(index)]")
            let record = entry.record
            guard let spec = environment.topology.catalogue.spec(record.informationCode) else {
                throw RenkeiError(.unknownInformationCode, "entries[\(index)]: 特定個人情報名コード \(record.informationCode) is not in the layout catalogue")
            }
            if entry.delete {
                let exists =
                    duplicates[person]?[record.informationCode]?.contains { $0.dataSet == record.dataSet && $0.recordKey == record.recordKey }
                    ?? false
                guard exists else {
                    throw RenkeiError(
                        .notFound,
                        "entries[\(index)]: no 副本 \(record.informationCode)/\(record.dataSet)/\(record.recordKey) is registered for this person")
                }
                writes.append(
                    .duplicateDeleted(
                        tenant: organization.code, person: person, informationCode: record.informationCode, dataSet: record.dataSet,
                        recordKey: record.recordKey))
                response.deleted += 1
            } else {
                try spec.check(record, at: "entries[\(index)]")
                writes.append(.duplicate(tenant: organization.code, person: person, record: record))
                response.registered += 1
            }
        }
        writes.append(environment.audit(.duplicateChanged, actor: actor, "\(organization.code) +\(response.registered) -\(response.deleted)"))
        try await commit(writes)
        return response
    }

    /// The person a 副本 registration entry or query names: by 団体内統合宛名番号, or by the
    /// tenant's own 宛名番号 (a 機関 without an AddressSystem). `entry` names it in the sentences.
    func person(_ integrated: String, addressNumber: String, in entry: String? = nil) throws(RenkeiError) -> IntegratedAddressNumber {
        let label = entry.map { "\($0) " } ?? ""
        guard integrated.isEmpty else { return try Parse.identifier("\(label)団体内統合宛名番号", integrated, IntegratedAddressNumber.init) }
        let number = try Parse.identifier("\(label)宛名番号", addressNumber, AddressNumber.init)
        guard let known = addressees[number] else {
            throw RenkeiError(.unknownPerson, "\(entry.map { "\($0): " } ?? "")\(organization.name) has no person with 宛名番号 \(number.short)")
        }
        return known
    }

    /// The 副本 held for `person` of the 特定個人情報名 `visible` admits, in a stable order; the
    /// reading is audited, since 副本 are 特定個人情報: a read that cannot be audited is refused.
    func duplicates(
        of person: IntegratedAddressNumber, information: InformationCode?, visible: (InformationCode) -> Bool, actor: String
    ) async throws(RenkeiError) -> DuplicateList {
        let held = duplicates[person] ?? [:]
        let records = held.keys.filter { (information == nil || $0 == information) && visible($0) }.sorted { $0.rawValue < $1.rawValue }
            .flatMap { code in (held[code] ?? []).sorted { ($0.dataSet, $0.recordKey) < ($1.dataSet, $1.recordKey) } }
        let list = DuplicateList(records: Array(records.prefix(DuplicateList.maximumRecords)))
        try await commit([environment.audit(.duplicateRead, actor: actor, "\(list.records.count) 副本 of \(person) read")])
        return list
    }

    func setFlags(_ registration: FlagRegistration, actor: String) async throws(RenkeiError) -> Int {
        var writes = [StoreWrite]()
        for (index, flag) in registration.flags.enumerated() {
            guard flag.kind == .manualResponse || flag.kind == .nondisclosure else {
                throw RenkeiError(.invalidRequest, "flags[\(index)]: the kind must be MANUAL_RESPONSE (自動応答不可) or NONDISCLOSURE (不開示)")
            }
            let person =
                try flag.integratedAddressNumber.isEmpty
                ? nil : Parse.identifier("flags[\(index)] 統合宛名番号", flag.integratedAddressNumber, IntegratedAddressNumber.init)
            let information =
                try flag.informationCode.isEmpty ? nil : Parse.identifier("flags[\(index)] TM", flag.informationCode, InformationCode.init)
            guard person != nil || information != nil else {
                throw RenkeiError(.invalidRequest, "flags[\(index)]: a flag names a person, a 特定個人情報名, or both")
            }
            writes.append(
                .flag(tenant: organization.code, person: person, information: information, kind: flag.kind.storeName, enabled: flag.enabled))
        }
        try await commit(writes + [environment.audit(.administration, actor: actor, "\(writes.count) flags set at \(organization.code)")])
        return writes.count
    }

    /// The person a business system of a 機関 without an AddressSystem means by its 宛名番号.
    func person(addressNumber: AddressNumber) -> IntegratedAddressNumber? { addressees[addressNumber] }

    /// The records a search finds among those `visible` lets the caller read.
    nonisolated func records(
        _ search: RecordSearch, visible: @Sendable (ProvisionRecord) -> Bool = { _ in true }
    ) async throws(RenkeiError) -> RecordList {
        var query = RecordQuery(keptBy: organization.code, limit: Int(min(max(search.limit, 1), 10_000)))
        query.since = search.sinceMicros == 0 ? nil : search.sinceMicros
        query.testMode = search.testMode
        if !search.item.isEmpty {
            query.item = try environment.topology.rules.reference(for: try ItemCitation(search.item), on: environment.clock.today())
        }
        if !search.informationCode.isEmpty {
            query.information = try Parse.identifier("特定個人情報名コード", search.informationCode, InformationCode.init)
        }
        query.party = nil
        let counterpart =
            search.counterpart.isEmpty ? nil : try Parse.organization(search.counterpart, in: environment.topology, field: "counterpart").code
        let records = try await environment.store.records(query).filter { record in
            record.party != .network && (counterpart == nil || record.inquirer == counterpart || record.provider == counterpart) && visible(record)
        }
        return RecordList(records: records)
    }
}
