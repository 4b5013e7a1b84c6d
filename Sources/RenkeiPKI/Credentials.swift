public import Crypto
public import NIOSSL
public import RenkeiCore
import SwiftASN1
public import X509

/// A holder's own certificate and key with the root it trusts: everything needed to speak
/// mutual TLS and to sign.
public struct Credentials: Sendable {
    public let identity: PeerIdentity
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey
    public let trustRoot: Certificate
    /// Revocation and expiry, checked in every handshake with this holder's peers; nil for
    /// credentials not read from a PKI directory.
    public let status: CertificateStatus?

    public init(
        certificate: Certificate, privateKey: P256.Signing.PrivateKey, trustRoot: Certificate, status: CertificateStatus? = nil
    ) throws(RenkeiError) {
        self.identity = try PeerIdentity(certificate: certificate)
        self.certificate = certificate
        self.privateKey = privateKey
        self.trustRoot = trustRoot
        self.status = status
    }

    /// The same credentials, judging peers' certificates on the simulation clock.
    public func on(_ clock: SimulationClock) -> Credentials {
        guard let status else { return self }
        // Every part was accepted by the initializer already; it cannot fail now.
        return (try? Credentials(certificate: certificate, privateKey: privateKey, trustRoot: trustRoot, status: status.on(clock))) ?? self
    }

    /// Server side: TLS 1.3 only, a client certificate from the trust root is required.
    public func serverTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: [.certificate(try Self.nioCertificate(certificate))],
            privateKey: .privateKey(try Self.nioKey(privateKey)),
            trustRoots: .certificates([try Self.nioCertificate(trustRoot)])
        )
        // The default minimum is TLS 1.0; the linkage speaks 1.3 only.
        configuration.minimumTLSVersion = .tlsv13
        return configuration
    }

    /// Server side for browsers (the training console): this certificate, no client
    /// certificate asked for (people sign in with a password), TLS 1.2 or later.
    public func browserServerTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try Self.nioCertificate(certificate))],
            privateKey: .privateKey(try Self.nioKey(privateKey))
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .none
        return configuration
    }

    /// Client side: TLS 1.3 only, the server's certificate is verified against the trust
    /// root including its address (the certificates carry 127.0.0.1 and ::1).
    public func clientTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates([try Self.nioCertificate(trustRoot)])
        configuration.certificateChain = [.certificate(try Self.nioCertificate(certificate))]
        configuration.privateKey = .privateKey(try Self.nioKey(privateKey))
        return configuration
    }

    static func nioCertificate(_ certificate: Certificate) throws -> NIOSSLCertificate {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }

    static func nioKey(_ key: P256.Signing.PrivateKey) throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der)
    }
}

extension PeerIdentity {
    /// The identity of the peer at the far end of a TLS connection, from the certificate
    /// NIOSSL verified during the handshake.
    public init(verified certificate: NIOSSLCertificate) throws(RenkeiError) {
        let parsed: Certificate
        do {
            parsed = try Certificate(derEncoded: try certificate.toDERBytes())
        } catch {
            throw RenkeiError(.unauthenticated, "the peer certificate does not parse: \(error)")
        }
        try self.init(certificate: parsed)
    }
}
