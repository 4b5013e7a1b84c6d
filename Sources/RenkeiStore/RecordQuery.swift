public import RenkeiCore

/// Which 情報提供等記録 to read.
public struct RecordQuery: Sendable, Hashable {
    /// Only the copies this 機関 keeps: its inquiries as inquirer and its provisions as provider.
    public var keptBy: OrganizationCode?
    /// Only the copies kept by this party.
    public var party: ProvisionRecord.Party?
    /// Only records about a person known by one of these 符号.
    public var linkCodes: Set<LinkCode>?
    public var receptionNumber: ReceptionNumber?
    /// Requested at or after, in microseconds since 1970.
    public var since: Int64?
    public var inquirer: OrganizationCode?
    public var provider: OrganizationCode?
    /// Records of this item, in either numbering.
    public var item: ItemReference?
    public var information: InformationCode?
    public var outcome: InquiryOutcome?
    /// Test-mode (MSGMode 1) records or real ones, never mixed in a 機関's search; nil for
    /// both, as the person's やりとり履歴 shows them (a テスト exchange is shown, marked).
    public var testMode: Bool?
    /// At most this many, newest first.
    public var limit: Int

    public init(
        keptBy: OrganizationCode? = nil, party: ProvisionRecord.Party? = nil, linkCodes: Set<LinkCode>? = nil,
        receptionNumber: ReceptionNumber? = nil, since: Int64? = nil, inquirer: OrganizationCode? = nil, provider: OrganizationCode? = nil,
        item: ItemReference? = nil, information: InformationCode? = nil, outcome: InquiryOutcome? = nil, testMode: Bool? = false, limit: Int = 1_000
    ) {
        self.keptBy = keptBy
        self.party = party
        self.linkCodes = linkCodes
        self.receptionNumber = receptionNumber
        self.since = since
        self.inquirer = inquirer
        self.provider = provider
        self.item = item
        self.information = information
        self.outcome = outcome
        self.testMode = testMode
        self.limit = limit
    }

    public func matches(_ record: ProvisionRecord) -> Bool {
        if let party, record.party != party { return false }
        if let keptBy {
            switch record.party {
            case .inquirer: if record.inquirer != keptBy { return false }
            case .provider: if record.provider != keptBy { return false }
            case .network: break
            }
        }
        if let linkCodes {
            let known = [record.linkCode, record.providerLinkCode].compactMap { $0 }
            if !known.contains(where: linkCodes.contains) { return false }
        }
        if let receptionNumber, record.receptionNumber != receptionNumber { return false }
        if let since, record.requestedAt < since { return false }
        if let inquirer, record.inquirer != inquirer { return false }
        if let provider, record.provider != provider { return false }
        if let item, !record.item.overlaps(item) { return false }
        if let information, !record.informationCodes.contains(information) { return false }
        if let outcome, record.outcome != outcome { return false }
        return testMode.map { record.testMode == $0 } ?? true
    }
}
