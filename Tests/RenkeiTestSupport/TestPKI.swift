public import RenkeiCore
public import RenkeiPKI

/// An in-memory development PKI for tests: one CA and credentials issued on demand.
public struct TestPKI: Sendable {
    public let authority: DevelopmentCA

    public init() throws {
        authority = try DevelopmentCA.generate(name: "renkei test CA")
    }

    public func credentials(_ name: String, role: NodeRole, organizationCode: OrganizationCode? = nil, hosts: [String] = []) throws -> Credentials {
        let issued = try authority.issue(for: CertificateSubject(name: name, role: role, organizationCode: organizationCode, hosts: hosts))
        return try Credentials(certificate: issued.certificate, privateKey: issued.privateKey, trustRoot: authority.root.certificate)
    }
}
