public import RenkeiCore

/// One durable change of a node's state. A node keeps its state in memory (in its actor)
/// and commits every change here before it answers: the store is the durability, the node
/// is the single owner of the state.
public enum StoreWrite: Sendable, Hashable {
    // 中間サーバー tenants
    case linkCode(tenant: OrganizationCode, person: IntegratedAddressNumber, linkCode: LinkCode)
    case acquisitionStarted(tenant: OrganizationCode, processingNumber: ProcessingNumber, person: IntegratedAddressNumber)
    case acquisitionFinished(tenant: OrganizationCode, processingNumber: ProcessingNumber)
    case duplicate(tenant: OrganizationCode, person: IntegratedAddressNumber, record: DuplicateRecord)
    case duplicateDeleted(
        tenant: OrganizationCode, person: IntegratedAddressNumber, informationCode: InformationCode, dataSet: String, recordKey: String)
    case tenantAddressee(tenant: OrganizationCode, addressNumber: AddressNumber, person: IntegratedAddressNumber)
    /// An inquiry's state for polling (the payload is the serialized result as the edge returns it).
    case inquiryState(tenant: OrganizationCode, reception: ReceptionNumber, status: String, payload: [UInt8], updatedAt: Int64)
    /// An inquiry waiting for staff at the provider (自動応答不可), until `deadline`.
    case manualQueued(tenant: OrganizationCode, reception: ReceptionNumber, payload: [UInt8], deadline: Int64)
    case manualResolved(tenant: OrganizationCode, reception: ReceptionNumber)
    /// 自動応答不可 or 不開示 on a person, a 特定個人情報名, or both.
    case flag(tenant: OrganizationCode, person: IntegratedAddressNumber?, information: InformationCode?, kind: String, enabled: Bool)
    /// A staff account, added or changed (the whole account: the last write is the account).
    /// Kept across a reset to a scenario: accounts are the 機関's, not the exercise's.
    case staff(tenant: OrganizationCode, account: StaffAccount)
    /// A staff account from the topology's staff file: added when the 機関 has no account of
    /// that ユーザID, ignored when it has (its password and changes are the 機関's).
    case staffSeeded(tenant: OrganizationCode, account: StaffAccount)
    /// A 情報提供許可証 that has been used; kept until it expires.
    case permitUsed(tenant: OrganizationCode, id: [UInt8], expiresAt: Int64)
    // 団体内統合宛名
    case addressee(Addressee)
    // 住基ネット
    case resident(myNumber: MyNumber, residentCode: ResidentCode)
    // 情報提供ネットワークシステム
    case processingNumberIssued(ProcessingNumber, organization: OrganizationCode)
    case processingNumberUsed(ProcessingNumber)
    /// An exchange awaiting (or answered by) a manual answer; the last write is the exchange.
    case manualExchange(ManualExchange)
    // 中間サーバー: a manual answer settled and committed, to be delivered (an outbox entry)
    case manualAnswerPending(tenant: OrganizationCode, reception: ReceptionNumber, payload: [UInt8])
    case manualAnswerSent(tenant: OrganizationCode, reception: ReceptionNumber)
    // every node
    case record(ProvisionRecord)
    /// Deletes the records requested before this time (the 7-year retention).
    case recordsPurged(requestedBefore: Int64)
    /// Forgets used permits that expired before this time: they can no longer be replayed.
    case usedPermitsPruned(expiredBefore: Int64)
    /// Empties every state table and the records, for a reset to a scenario. The audit log
    /// is kept: it records the reset.
    case stateReset
    case audit(AuditEvent)
    /// A node's checkpoint, stamped by the time-stamping authority: the node keeps the stamp.
    case checkpointStamped(WitnessedCheckpoint)
    // the time-stamping authority
    /// A checkpoint the authority stamped, kept in its own append-only table and log.
    case stamp(WitnessedCheckpoint)

    /// Records and audit entries are kept but not replayed into memory at start.
    public var isState: Bool {
        switch self {
        case .record, .audit, .recordsPurged, .usedPermitsPruned, .stateReset, .checkpointStamped: false
        default: true
        }
    }
}

/// A person as the 団体内統合宛名システム knows them.
public struct Addressee: Sendable, Hashable {
    public let addressNumber: AddressNumber
    public let integratedAddressNumber: IntegratedAddressNumber
    public let myNumber: MyNumber?
    public let name: String

    public init(addressNumber: AddressNumber, integratedAddressNumber: IntegratedAddressNumber, myNumber: MyNumber?, name: String) {
        self.addressNumber = addressNumber
        self.integratedAddressNumber = integratedAddressNumber
        self.myNumber = myNumber
        self.name = name
    }
}
