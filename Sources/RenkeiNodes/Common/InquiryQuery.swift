import RenkeiConfig
import RenkeiCore
import RenkeiWire

/// An inquiry's question, validated against the topology and the catalogue: the same
/// checks at every node that reads it.
struct InquiryQuery: Sendable {
    /// The item as the request cites it: what the permit is bound to.
    let citation: ItemCitation
    /// The item in both numberings.
    let item: ItemReference
    let procedure: ProcedureCode
    let information: InformationCatalogue.InformationSpec
    let provider: Organization
    let fiscalYear: String?
    let inquirerNondisclosure: Bool
    /// MSGMode 1: records are marked as test.
    let testMode: Bool
    /// The request journal's id for this request, if it came through the edge.
    let traceID: String
    /// The operator as the question names them (checked by the inquirer tenant).
    let operatorUser: String?
    let operatorDepartment: String?

    init(_ wire: InquiryQuestion, topology: Topology, today: CivilDate) throws(RenkeiError) {
        citation = try ItemCitation(wire.item)
        item = try topology.rules.reference(for: citation, on: today)
        let code = try Parse.identifier("特定個人情報名コード", wire.informationCode, InformationCode.init)
        guard let information = topology.catalogue.spec(code) else {
            throw RenkeiError(.unknownInformationCode, "特定個人情報名コード \(code) is not in the データ標準レイアウト catalogue (\(topology.catalogue.layoutVersion))")
        }
        self.information = information
        if wire.procedureCode.isEmpty {
            procedure = topology.catalogue.defaultProcedure(for: item)
        } else {
            procedure = try Parse.identifier("事務手続コード", wire.procedureCode, ProcedureCode.init)
            try topology.catalogue.validate(procedure: procedure, for: item)
        }
        provider = try Parse.organization(wire.provider, in: topology, field: "provider")
        guard wire.fiscalYear.isEmpty || (wire.fiscalYear.count == 4 && Int(wire.fiscalYear) != nil) else {
            throw RenkeiError(.invalidRequest, "年度 \"\(wire.fiscalYear)\" must be four digits, e.g. 2025")
        }
        fiscalYear = wire.fiscalYear.isEmpty ? nil : wire.fiscalYear
        inquirerNondisclosure = wire.inquirerNondisclosure
        testMode = wire.testMode
        guard wire.traceID.utf8.count <= 40 else { throw RenkeiError(.invalidRequest, "trace id is longer than 40 characters") }
        traceID = wire.traceID
        guard wire.departmentCode.utf8.count <= 20, wire.userID.utf8.count <= 20 else {
            throw RenkeiError(.invalidRequest, "部署コード and ユーザID are at most 20 characters")
        }
        operatorUser = wire.userID.isEmpty ? nil : wire.userID
        operatorDepartment = wire.departmentCode.isEmpty ? nil : wire.departmentCode
    }
}

extension InquiryQuery {
    /// " by user01 (部署 3595115400)" for an audit entry: every party that sees the operator logs them.
    var operatorNote: String {
        guard let operatorUser else { return "" }
        return " by \(operatorUser)" + (operatorDepartment.map { " (部署 \($0))" } ?? "")
    }
}

extension ProvisionRecord {
    /// The record of one exchange of `query`, as `party` keeps it.
    init(
        _ party: Party, reception: ReceptionNumber, inquirer: OrganizationCode, query: InquiryQuery, requestedAt: Int64, providedAt: Int64?,
        outcome: InquiryOutcome, error: ErrorCode? = nil, providerNondisclosure: Bool = false, linkCode: LinkCode?, providerLinkCode: LinkCode? = nil
    ) {
        self.init(
            party: party, receptionNumber: reception, inquirer: inquirer, provider: query.provider.code, item: query.item,
            procedure: query.procedure, informationCodes: [query.information.code], requestedAt: requestedAt, providedAt: providedAt,
            outcome: outcome, errorCode: error?.rawValue, inquirerNondisclosure: query.inquirerNondisclosure,
            providerNondisclosure: providerNondisclosure, linkCode: linkCode, providerLinkCode: providerLinkCode, testMode: query.testMode,
            operatorUser: query.operatorUser, operatorDepartment: query.operatorDepartment
        )
    }
}
