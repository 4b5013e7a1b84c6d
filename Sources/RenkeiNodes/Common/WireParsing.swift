import RenkeiConfig
import RenkeiCore

/// Turning wire strings into validated values, with errors that name the field.
enum Parse {
    static func identifier<T>(_ field: String, _ make: () throws(IdentifierError) -> T) throws(RenkeiError) -> T {
        do { return try make() } catch { throw RenkeiError(.invalidIdentifier, "\(field): \(error.description)") }
    }

    static func organization(_ text: String, in topology: Topology, field: String) throws(RenkeiError) -> Organization {
        let code = try identifier(field) { () throws(IdentifierError) in try OrganizationCode(text) }
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
