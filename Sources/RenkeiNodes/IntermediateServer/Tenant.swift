import Crypto
import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// One 機関's part of a 中間サーバー: its 符号 ⇄ 統合宛名番号, its 副本 and flags, its
/// inquiries (and their results for polling), its provisions and its manual-response queue.
/// All of the tenant's state lives here; the concerns are in `Tenant+….swift`.
actor Tenant {
    struct FlagKey: Hashable {
        let person: IntegratedAddressNumber?
        let information: InformationCode?
        let kind: FlagKind
    }

    let organization: Organization
    let environment: NodeEnvironment
    let permitCheck: Permit.Check
    /// The 副本 sealed to and from this tenant; nil when the topology sends them in clear.
    let seals: ContentSeals?

    var linkCodes: [IntegratedAddressNumber: LinkCode] = [:]
    var persons: [LinkCode: IntegratedAddressNumber] = [:]
    var pendingAcquisitions: [ProcessingNumber: IntegratedAddressNumber] = [:]
    var duplicates: [IntegratedAddressNumber: [InformationCode: [DuplicateRecord]]] = [:]
    /// For a 機関 without an AddressSystem: its own person numbers.
    var addressees: [AddressNumber: IntegratedAddressNumber] = [:]
    var usedPermits: [Data: Int64] = [:]
    var lastPermitSweep: Int64 = 0
    var flags: Set<FlagKey> = []
    /// Recent results, for polling without a read from disk; bounded.
    var results: [ReceptionNumber: InquiryResult] = [:]
    var resultOrder: [ReceptionNumber] = []
    /// Inquiries waiting for staff (自動応答不可), by 受付番号.
    var manualQueue: [ReceptionNumber: QueueEntry] = [:]
    /// Manual answers committed here and not yet delivered (an outbox): retried until they are.
    var manualOutbox: [ReceptionNumber: ProvisionDelivery] = [:]
    /// The 機関's staff accounts, by ユーザID, and whose each API token digest is.
    var staff: [String: StaffAccount] = [:]
    var tokenOwners: [String: String] = [:]
    /// Live sign-in sessions by token digest. Kept in memory only: a restart signs everyone out.
    var sessions: [String: StaffSession] = [:]

    static let resultCacheCapacity = 20_000

    init(organization: Organization, environment: NodeEnvironment, permitCheck: Permit.Check, seals: ContentSeals?) {
        self.organization = organization
        self.environment = environment
        self.permitCheck = permitCheck
        self.seals = seals
    }

    /// The 副本 of an answer as they travel: sealed for the inquirer when this network seals.
    nonisolated func sealed(
        _ records: [DuplicateRecord], for inquirer: OrganizationCode, reception: ReceptionNumber
    ) throws(RenkeiError) -> (
        EncodedRecords, sealed: Bool
    ) {
        let encoded = EncodedRecords(records)
        guard let seals, !encoded.bytes.isEmpty else { return (encoded, false) }
        return (EncodedRecords(try seals.seal(encoded.bytes, for: inquirer, reception: reception.rawValue)), true)
    }

    /// The 副本 of an answer this tenant asked for, opened when they came sealed.
    nonisolated func opened(_ result: ProvisionResult, from provider: String, reception: ReceptionNumber) throws(RenkeiError) -> EncodedRecords {
        guard result.recordSetSealed else { return result.recordSet }
        guard let seals else {
            throw RenkeiError(.malformedMessage, "the 副本 for \(reception) came sealed, but this network sends them in clear (seal_content: false)")
        }
        let providerCode = try Parse.organization(provider, in: environment.topology, field: "provider").code
        return EncodedRecords(try seals.open(result.recordSet.bytes, from: providerCode, reception: reception.rawValue))
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
        case let .flag(_, person, information, kind, enabled):
            let key = FlagKey(person: person, information: information, kind: FlagKind(storeName: kind))
            if enabled { flags.insert(key) } else { flags.remove(key) }
        case let .inquiryState(_, _, _, payload, _):
            if let result = try? InquiryResult(encoded: payload), let reception = try? ReceptionNumber(result.receptionNumber) {
                remember(result, reception)
            }
        case let .manualQueued(_, _, payload, _):
            if let entry = try? QueueEntry(encoded: payload), let reception = try? ReceptionNumber(entry.receptionNumber) {
                manualQueue[reception] = entry
            }
        case let .manualResolved(_, reception): manualQueue[reception] = nil
        case let .manualAnswerPending(_, reception, payload): manualOutbox[reception] = try? ProvisionDelivery(encoded: payload)
        case let .manualAnswerSent(_, reception): manualOutbox[reception] = nil
        case let .staffSeeded(_, account) where staff[account.userID] == nil:
            staff[account.userID] = account
            for digest in account.tokenDigests { tokenOwners[digest] = account.userID }
        case let .staff(_, account):
            for digest in staff[account.userID]?.tokenDigests ?? [] { tokenOwners[digest] = nil }
            staff[account.userID] = account
            for digest in account.tokenDigests { tokenOwners[digest] = account.userID }
        default: break
        }
    }

    /// Forgets everything and replays `writes` (at start, and after a reset).
    func replace(with writes: [StoreWrite]) {
        clear()
        for write in writes { apply(write) }
    }

    /// Forgets everything.
    func clear() {
        linkCodes = [:]
        persons = [:]
        pendingAcquisitions = [:]
        duplicates = [:]
        addressees = [:]
        usedPermits = [:]
        flags = []
        results = [:]
        resultOrder = []
        manualQueue = [:]
        manualOutbox = [:]
        staff = [:]
        tokenOwners = [:]
    }

    func commit(_ writes: [StoreWrite]) async throws(RenkeiError) {
        try await environment.store.commit(writes)
        for write in writes where write.isState { apply(write) }
    }

    func remember(_ result: InquiryResult, _ reception: ReceptionNumber) {
        if results.updateValue(result, forKey: reception) == nil { resultOrder.append(reception) }
        if resultOrder.count > Self.resultCacheCapacity + Self.resultCacheCapacity / 10 {
            let excess = resultOrder.count - Self.resultCacheCapacity
            for key in resultOrder.prefix(excess) { results[key] = nil }
            resultOrder.removeFirst(excess)
        }
    }

    func hasFlag(_ kind: FlagKind, person: IntegratedAddressNumber?, information: InformationCode) -> Bool {
        guard !flags.isEmpty else { return false }
        return flags.contains(FlagKey(person: person, information: information, kind: kind))
            || flags.contains(FlagKey(person: person, information: nil, kind: kind))
            || flags.contains(FlagKey(person: nil, information: information, kind: kind))
    }

    /// The published 副本 of a person for an inquiry.
    func publishedRecords(of person: IntegratedAddressNumber?, query: InquiryQuery) -> [DuplicateRecord] {
        guard let person else { return [] }
        let today = environment.clock.today()
        return (duplicates[person]?[query.information.code] ?? []).filter { record in
            guard record.isPublished(on: today) else { return false }
            guard let year = query.fiscalYear, record.recordKey.count == 4, Int(record.recordKey) != nil else { return true }
            return record.recordKey == year
        }
    }

    /// Forgets expired permits (they can no longer be replayed). At most once a second, so
    /// the sweep costs nothing per request however many permits are live.
    func pruneExpiredPermits() {
        let now = environment.clock.nowMicros()
        guard usedPermits.count > 10_000, now - lastPermitSweep > 1_000_000 else { return }
        lastPermitSweep = now
        usedPermits = usedPermits.filter { $0.value >= now }
    }
}
