import RenkeiConfig
import RenkeiCore

/// The checks every node makes of what it is sent, beside RenkeiCore's `Parse.identifier`.
extension Parse {
    static func organization(_ text: String, in topology: Topology, field: String) throws(RenkeiError) -> Organization {
        let code = try identifier(field, text, OrganizationCode.init)
        guard let organization = topology.organization(code: code) else {
            throw RenkeiError(.unknownOrganization, "\(field): no 機関 with 機関コード \(code) takes part in this linkage")
        }
        return organization
    }

    /// Refuses batches larger than `limit`, so no request can ask for unbounded work.
    static func bounded(_ count: Int, limit: Int, what: String) throws(RenkeiError) {
        guard count <= limit else {
            throw RenkeiError(.invalidRequest, "\(count) \(what) in one request; the limit is \(limit), split the request")
        }
    }
}
