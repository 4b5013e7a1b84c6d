import RenkeiConfig
import RenkeiCore
import RenkeiWire

/// Builds the wire question of an inquiry from what a business system wrote (REST, XML or a
/// batch row), resolving names to codes.
struct QueryBuilder {
    let topology: Topology

    func query(
        item: String, provider: String, information: String, procedure: String?, fiscalYear: String?, nondisclosure: Bool, testMode: Bool,
        department: String? = nil, user: String? = nil, trace: String
    ) throws(RenkeiError) -> Renkei_V1_InquiryQuery {
        var query = Renkei_V1_InquiryQuery()
        query.item = try ItemNumber(item).description
        query.provider = try topology.requireOrganization(provider, role: "provider").code.rawValue
        query.informationCode = try topology.informationCode(for: information).rawValue
        query.procedureCode = procedure ?? ""
        query.fiscalYear = fiscalYear ?? ""
        query.inquirerNondisclosure = nondisclosure
        query.testMode = testMode
        query.departmentCode = department ?? ""
        query.userID = user ?? ""
        query.traceID = trace
        return query
    }
}
