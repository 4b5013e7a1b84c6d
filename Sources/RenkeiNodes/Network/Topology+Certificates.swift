public import RenkeiConfig
import RenkeiCore
public import RenkeiPKI

extension Topology {
    /// The certificate name of the operator identity used for seeding and administration.
    public static let adminName = "admin"

    /// Every holder that needs a certificate: each node, each business system, the operator.
    public var certificateSubjects: [CertificateSubject] {
        var subjects = [
            CertificateSubject(name: networkSystem.name, role: .networkSystem),
            CertificateSubject(name: residentRegistry.name, role: .residentRegistry),
        ]
        subjects += intermediateServers.map { CertificateSubject(name: $0.name, role: .intermediateServer) }
        subjects += addressSystems.map {
            CertificateSubject(name: $0.name, role: .addressSystem, organizationCode: organization(id: $0.organization)?.code)
        }
        subjects += businessSystems.map {
            CertificateSubject(name: $0.id, role: .businessSystem, organizationCode: organization(id: $0.organization)?.code)
        }
        subjects.append(CertificateSubject(name: Self.adminName, role: .admin))
        return subjects
    }
}
