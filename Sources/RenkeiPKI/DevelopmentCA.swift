public import Crypto
public import Foundation
public import RenkeiCore
import SwiftASN1
public import X509

/// A certificate and the private key that goes with it.
public struct IssuedCertificate: Sendable {
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey
}

/// The development certificate authority: a P-256 root that issues one certificate per
/// node, business system and operator.
public struct DevelopmentCA: Sendable {
    public let root: IssuedCertificate

    public init(root: IssuedCertificate) { self.root = root }

    /// A new root, valid for ten years.
    public static func generate(name: String = "renkei development CA", now: Date = Date()) throws -> DevelopmentCA {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("renkei")
            CommonName(name)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: start(now),
            notValidAfter: end(now, after: 10 * 365 * 86400),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        return DevelopmentCA(root: IssuedCertificate(certificate: certificate, privateKey: key))
    }

    /// Issues a certificate whose subject carries the holder's name, role and 機関コード, and
    /// whose subjectAltName carries the hosts it is reached at; usable for both ends of mutual TLS.
    public func issue(for subject: CertificateSubject, validity: TimeInterval = 365 * 86400, now: Date = Date()) throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("renkei")
            OrganizationalUnitName(subject.role.rawValue)
            CommonName(subject.name)
        }
        var rdns = Array(name)
        if let code = subject.organizationCode {
            rdns.append(RelativeDistinguishedName(try .init(type: SubjectField.serialNumber, printableString: code.rawValue)))
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: Self.start(now),
            notValidAfter: Self.end(now, after: validity),
            issuer: root.certificate.subject,
            subject: DistinguishedName(rdns),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(HostNames.alternativeNames(for: subject))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
                if let keyIdentifier = try root.certificate.extensions.subjectKeyIdentifier?.keyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                }
            },
            issuerPrivateKey: .init(root.privateKey)
        )
        return IssuedCertificate(certificate: certificate, privateKey: key)
    }
}

/// What a certificate is issued for.
public struct CertificateSubject: Sendable, Hashable {
    public let name: String
    public let role: NodeRole
    public let organizationCode: OrganizationCode?
    /// The host names and addresses a node is reached at (its topology addresses), carried in
    /// the certificate's subjectAltName beside localhost and the holder's name.
    public let hosts: [String]

    public init(name: String, role: NodeRole, organizationCode: OrganizationCode? = nil, hosts: [String] = []) {
        self.name = name
        self.role = role
        self.organizationCode = organizationCode
        self.hosts = hosts
    }
}

extension DevelopmentCA {
    /// When a certificate issued at `now` (the simulation clock) starts: an hour before, and
    /// never after the real date, because BoringSSL checks the start on the machine's clock.
    static func start(_ now: Date) -> Date {
        min(now, Date()).addingTimeInterval(-3600)
    }

    /// When it ends: `validity` after the later of the simulation and the real date, so that a
    /// certificate renewed with the clock moved forward is valid a year past that date, and one
    /// issued with the clock moved back has not ended on the machine's clock already.
    static func end(_ now: Date, after validity: TimeInterval) -> Date {
        max(now, Date()).addingTimeInterval(validity)
    }

    /// A time-stamping certificate for `key`: RFC 3161 §2.3 wants the one extended key usage
    /// timeStamping, critical, which OpenSSL checks; a TLS certificate cannot carry it, so the
    /// time-stamping authority holds this one beside its TLS certificate.
    public func issueStamping(
        holder: String, key: P256.Signing.PublicKey, validity: TimeInterval = 10 * 365 * 86400, now: Date = Date()
    ) throws
        -> Certificate
    {
        let name = try DistinguishedName {
            OrganizationName("renkei")
            OrganizationalUnitName("time-stamping")
            CommonName(holder)
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key),
            notValidBefore: Self.start(now),
            notValidAfter: min(Self.end(now, after: validity), root.certificate.notValidAfter),
            issuer: root.certificate.subject,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                Critical(try ExtendedKeyUsage([.timeStamping]))
                SubjectKeyIdentifier(hash: .init(key))
                if let keyIdentifier = try root.certificate.extensions.subjectKeyIdentifier?.keyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                }
            },
            issuerPrivateKey: .init(root.privateKey)
        )
    }
}
