public import Crypto
public import RenkeiCore
import SwiftASN1
public import X509

/// Who is at the other end of a connection, as its certificate says. Read once per
/// connection, after the handshake; never taken from a message.
public struct PeerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The certificate's common name: a node name (nws), a business system (tomakomai/kokuho) or admin.
    public let name: String
    public let role: NodeRole
    /// The 機関コード in the subject's serialNumber attribute, for holders that act for one 機関.
    public let organizationCode: OrganizationCode?

    public init(name: String, role: NodeRole, organizationCode: OrganizationCode?) {
        self.name = name
        self.role = role
        self.organizationCode = organizationCode
    }

    /// Reads the identity from a certificate subject: CN = name, OU = role, serialNumber = 機関コード.
    public init(certificate: Certificate) throws(RenkeiError) {
        var commonName: String?
        var unit: String?
        var serial: String?
        for rdn in certificate.subject {
            for attribute in rdn {
                let value = String(attribute.value)
                switch attribute.type {
                case .RDNAttributeType.commonName: commonName = value
                case .RDNAttributeType.organizationalUnitName: unit = value
                case SubjectField.serialNumber: serial = value
                default: continue
                }
            }
        }
        guard let name = commonName, !name.isEmpty else {
            throw RenkeiError(.unauthenticated, "the peer certificate has no common name, so it names no renkei node or system")
        }
        guard let unit, let role = NodeRole(rawValue: unit) else {
            throw RenkeiError(.unauthenticated, "the peer certificate for \(name) carries no renkei role in its OU (found \(unit ?? "none"))")
        }
        var organizationCode: OrganizationCode?
        if let serial {
            do { organizationCode = try OrganizationCode(serial) } catch {
                throw RenkeiError(.unauthenticated, "the peer certificate for \(name) carries an invalid 機関コード: \(error)")
            }
        }
        self.init(name: name, role: role, organizationCode: organizationCode)
    }

    public var description: String {
        organizationCode.map { "\(name) (\(role.rawValue), 機関コード \($0))" } ?? "\(name) (\(role.rawValue))"
    }
}

enum SubjectField {
    /// X.520 serialNumber (2.5.4.5), used here for the 機関コード.
    static let serialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]
}

extension PeerIdentity {
    /// The P-256 key a certificate carries, to verify what its holder signed.
    public static func signingKey(of certificate: Certificate) throws(RenkeiError) -> P256.Signing.PublicKey {
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw RenkeiError(.unauthenticated, "the certificate of \(certificate.subject) does not carry a P-256 key")
        }
        return key
    }
}
