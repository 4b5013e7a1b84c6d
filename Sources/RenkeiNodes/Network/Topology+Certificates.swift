public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI

extension Topology {
    /// The certificate name of the operator identity used for seeding and administration.
    public static let adminName = "admin"
    /// The trainer's certificate name.
    public static let trainerName = "trainer"

    /// The certificate name of a 機関's administrator: `tomakomai-admin`.
    public static func tenantAdminName(_ organization: String) -> String { "\(organization)-admin" }

    /// Every holder that needs a certificate: each node, each business system, the operator.
    public var certificateSubjects: [CertificateSubject] {
        var subjects = [
            CertificateSubject(
                name: networkSystem.name, role: .networkSystem,
                hosts: Array(Set([networkSystem.listen.host] + networkSystem.replicas.map(\.host))).sorted()),
            CertificateSubject(name: residentRegistry.name, role: .residentRegistry, hosts: [residentRegistry.listen.host]),
        ]
        if let timeStampAuthority {
            subjects.append(CertificateSubject(name: timeStampAuthority.name, role: .timeStampAuthority, hosts: [timeStampAuthority.listen.host]))
        }
        subjects += intermediateServers.map {
            CertificateSubject(name: $0.name, role: .intermediateServer, hosts: Self.hosts($0.listen, $0.edge))
        }
        subjects += addressSystems.map {
            CertificateSubject(
                name: $0.name, role: .addressSystem, organizationCode: organization(id: $0.organization)?.code, hosts: Self.hosts($0.listen, $0.edge))
        }
        subjects += businessSystems.map {
            CertificateSubject(name: $0.id, role: .businessSystem, organizationCode: organization(id: $0.organization)?.code)
        }
        subjects.append(CertificateSubject(name: Self.adminName, role: .admin))
        subjects.append(CertificateSubject(name: Self.trainerName, role: .trainer))
        // Only 機関 hosted on a 中間サーバー have data to administer.
        for server in intermediateServers {
            for tenant in server.tenants {
                subjects.append(
                    CertificateSubject(name: Self.tenantAdminName(tenant), role: .tenantAdmin, organizationCode: organization(id: tenant)?.code))
            }
        }
        return subjects
    }

    private static func hosts(_ listen: Endpoint, _ edge: Endpoint?) -> [String] {
        var hosts = [listen.host]
        if let edge, edge.host != listen.host { hosts.append(edge.host) }
        return hosts
    }

    /// The 機関 hosted on a 中間サーバー: each has a content key for the 副本 sealed to and from it.
    public var tenantIDs: [String] { intermediateServers.flatMap(\.tenants) }

    /// The identities of every holder the topology issues a certificate to: who a node or an
    /// edge admits to a handshake.
    public var certificateHolders: Set<PeerIdentity> {
        Set(certificateSubjects.map { PeerIdentity(name: $0.name, role: $0.role, organizationCode: $0.organizationCode) })
    }

    /// The role the certificate of holder `name` carries, checked in the handshake with its name.
    public func certificateRole(of name: String) -> NodeRole? {
        certificateSubjects.first { $0.name == name }?.role
    }
}
