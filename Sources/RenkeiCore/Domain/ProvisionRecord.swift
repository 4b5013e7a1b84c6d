/// 情報提供等記録: what the inquirer, the provider and the network system each must record
/// of every exchange and keep for seven years (番号法 §23, domain.md §5.6).
public struct ProvisionRecord: Sendable, Hashable {
    /// Which party keeps this copy.
    public enum Party: String, Sendable, Hashable, CaseIterable {
        case inquirer
        case provider
        case network
    }

    public let party: Party
    public let receptionNumber: ReceptionNumber
    public let inquirer: OrganizationCode
    public let provider: OrganizationCode
    /// The item in both numberings (別表第二 and the 2024 ordinance).
    public let item: ItemReference
    public let procedure: ProcedureCode
    public let informationCodes: [InformationCode]
    /// Microseconds since 1970 on the simulation clock.
    public let requestedAt: Int64
    public let providedAt: Int64?
    public let outcome: InquiryOutcome
    /// The refusal code when `outcome` is `.denied`.
    public let errorCode: String?
    public let inquirerNondisclosure: Bool
    public let providerNondisclosure: Bool
    /// The 符号 this party knows the person by; the network system records the inquirer's.
    public let linkCode: LinkCode?
    /// The network system also records the provider's 符号.
    public let providerLinkCode: LinkCode?
    /// Made in test mode (MSGMode 1): kept apart from real records in every view.
    public let testMode: Bool
    /// The member of staff who made the inquiry (ユーザID, 部署コード), as every party saw it.
    public let operatorUser: String?
    public let operatorDepartment: String?

    public init(
        party: Party, receptionNumber: ReceptionNumber, inquirer: OrganizationCode, provider: OrganizationCode, item: ItemReference,
        procedure: ProcedureCode, informationCodes: [InformationCode], requestedAt: Int64, providedAt: Int64?, outcome: InquiryOutcome,
        errorCode: String?, inquirerNondisclosure: Bool, providerNondisclosure: Bool, linkCode: LinkCode?, providerLinkCode: LinkCode?,
        testMode: Bool = false, operatorUser: String? = nil, operatorDepartment: String? = nil
    ) {
        self.party = party
        self.receptionNumber = receptionNumber
        self.inquirer = inquirer
        self.provider = provider
        self.item = item
        self.procedure = procedure
        self.informationCodes = informationCodes
        self.requestedAt = requestedAt
        self.providedAt = providedAt
        self.outcome = outcome
        self.errorCode = errorCode
        self.inquirerNondisclosure = inquirerNondisclosure
        self.providerNondisclosure = providerNondisclosure
        self.linkCode = linkCode
        self.providerLinkCode = providerLinkCode
        self.testMode = testMode
        self.operatorUser = operatorUser
        self.operatorDepartment = operatorDepartment
    }
}
