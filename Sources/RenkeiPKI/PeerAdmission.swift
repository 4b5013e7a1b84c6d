public import NIOCore
public import NIOSSL
import NIOTLS
public import RenkeiCore
import X509

/// Who may finish a TLS handshake with this holder, decided inside the handshake (NIOSSL runs
/// it once BoringSSL has verified the chain), so a wrong, revoked or expired peer fails the
/// handshake itself and no request is ever written to it.
///
/// A client names the peer it means to reach (name and role); a server admits the holders of
/// the topology (name, role and 機関コード as issued). Both refuse a certificate the CA revoked
/// or one past its end on the simulation clock.
public struct PeerAdmission: Sendable {
    public let status: CertificateStatus?
    /// Server: every holder the topology issues a certificate to; nil admits any the CA vouches for.
    public let admitted: Set<PeerIdentity>?
    /// Client: the name and role the server's certificate must carry.
    public let expectedName: String?
    public let expectedRole: NodeRole?
    /// Client: the host it dialled, which the server's certificate must name (subjectAltName).
    public let expectedHost: String?

    public init(
        status: CertificateStatus?, admitted: Set<PeerIdentity>? = nil, expectedName: String? = nil, expectedRole: NodeRole? = nil,
        expectedHost: String? = nil
    ) {
        self.status = status
        self.admitted = admitted
        self.expectedName = expectedName
        self.expectedRole = expectedRole
        self.expectedHost = expectedHost
    }

    /// The peer's identity, or the refusal that names what is wrong with it.
    public func check(_ certificate: NIOSSLCertificate, peer place: String) throws(RenkeiError) -> PeerIdentity {
        let parsed: Certificate
        do { parsed = try Certificate(derEncoded: try certificate.toDERBytes()) } catch {
            throw RenkeiError(.unauthenticated, "\(place) presented a certificate that does not parse: \(error)")
        }
        let identity: PeerIdentity
        do { identity = try PeerIdentity(certificate: parsed) } catch {
            throw RenkeiError(.unauthenticated, "\(place) presented a certificate that names no node: \(error.message)")
        }
        if let expectedName, identity.name != expectedName {
            throw RenkeiError(.unauthenticated, "\(place) presented the certificate of \(identity), not of \(expectedName)")
        }
        if let expectedRole, identity.role != expectedRole {
            throw RenkeiError(
                .unauthenticated,
                "\(place) presented a certificate for \(identity.name) as \(identity.role.rawValue), not as \(expectedRole.rawValue)")
        }
        if let expectedHost, !HostNames.certificate(parsed, names: expectedHost) {
            throw RenkeiError(
                .unauthenticated,
                "\(place) presented the certificate of \(identity.name), which does not name the host \(expectedHost) (it names \(HostNames.describe(parsed))); give the node that address in the topology and run renkei certs generate"
            )
        }
        if let admitted, !admitted.contains(identity) {
            throw RenkeiError(.unauthenticated, "\(identity) is not a holder of this topology; its certificate was issued for another")
        }
        try status?.check(parsed, holder: identity.name)
        return identity
    }

    /// The callback NIOSSL runs in the handshake.
    private func callback(peer place: String) -> _NIOAdditionalPeerCertificateVerificationCallback {
        { certificate, channel in
            do throws(RenkeiError) {
                _ = try check(certificate, peer: place)
                return channel.eventLoop.makeSucceededVoidFuture()
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
    }

    /// `_makeSSLServerHandler`/`_makeSSLClientHandler` are NIOSSL's hooks for checks after its own
    /// verification (the ones grpc-swift uses); underscored, so pinned by the swift-nio-ssl
    /// version we build with.
    public func serverHandler(context: NIOSSLContext) -> NIOSSLServerHandler {
        NIOSSLServerHandler._makeSSLServerHandler(context: context, additionalPeerCertificateVerificationCallback: callback(peer: "the client"))
    }

    public func clientHandler(context: NIOSSLContext, target: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler._makeSSLClientHandler(
            context: context, serverHostname: nil, additionalPeerCertificateVerificationCallback: callback(peer: target))
    }
}

/// Keeps checking a connection's peer certificate after the handshake: once a second it asks
/// the certificate status again and closes the connection when the certificate was revoked or
/// has expired on the simulation clock, so a long-lived connection outlives neither.
public final class CertificateWatch: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let status: CertificateStatus
    private let interval: TimeAmount
    private let closed: @Sendable (RenkeiError) -> Void
    private var task: RepeatedTask?

    public init(status: CertificateStatus, interval: TimeAmount = .seconds(1), closed: @escaping @Sendable (RenkeiError) -> Void = { _ in }) {
        self.status = status
        self.interval = interval
        self.closed = closed
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        guard task == nil, let tls = event as? TLSUserEvent, case .handshakeCompleted = tls,
            let nio = try? context.pipeline.syncOperations.nioSSL_peerCertificate(),
            let certificate = try? Certificate(derEncoded: try nio.toDERBytes()),
            let holder = try? PeerIdentity(certificate: certificate).name
        else { return }
        let status = status
        let closed = closed
        let channel = context.channel
        let subject = CertificateStatus.Subject(certificate, holder: holder)
        task = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            do throws(RenkeiError) { try status.check(subject) } catch {
                task.cancel()
                closed(error)
                channel.close(promise: nil)
            }
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        task?.cancel()
        task = nil
    }

    public func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        task = nil
        context.fireChannelInactive()
    }
}
