import Logging
import NIOCore
import NIOSSL
import NIOTLS
import RenkeiCore
import RenkeiPKI

/// Says who is on the other end of a server connection, once: after the TLS handshake it
/// reads the verified client certificate into a `PeerIdentity` and passes it on as a
/// `PeerIdentified` event; a connection that does not finish its handshake in time, or whose
/// certificate names no node, is closed and reported. Dispatch (`RPCServerHandler`) comes after.
final class PeerIdentityHandler: ChannelInboundHandler {
    typealias InboundIn = Renkei_V1_Envelope
    typealias InboundOut = Renkei_V1_Envelope

    /// The event the handlers after this one receive once the peer is known.
    struct PeerIdentified {
        let identity: PeerIdentity
    }

    private let observer: (any RPCServerObserver)?
    private let logger: Logger
    private let handshakeTimeout: TimeAmount
    private var identified: PeerIdentity?
    private var remoteAddress = "unknown"
    private var handshakeDeadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(observer: (any RPCServerObserver)?, logger: Logger, handshakeTimeout: TimeAmount) {
        self.observer = observer
        self.logger = logger
        self.handshakeTimeout = handshakeTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        remoteAddress = context.channel.remoteAddress?.description ?? "unknown"
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        handshakeDeadline = context.eventLoop.scheduleTask(in: handshakeTimeout) { loopBound.value.handshakeTimedOut() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        handshakeDeadline?.cancel()
        handshakeDeadline = nil
    }

    private func handshakeTimedOut() {
        handshakeDeadline = nil
        guard identified == nil, let context else { return }
        let seconds = handshakeTimeout.nanoseconds / 1_000_000_000
        observer?.connectionRefused(remoteAddress: remoteAddress, reason: "no TLS handshake within \(seconds) s")
        logger.warning("connection refused: no TLS handshake in time", metadata: ["remote": "\(remoteAddress)"])
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let identified { observer?.connectionClosed(peer: identified) }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let tls = event as? TLSUserEvent, case .handshakeCompleted = tls else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        handshakeDeadline?.cancel()
        handshakeDeadline = nil
        context.fireUserInboundEventTriggered(event)
        do {
            guard let certificate = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                throw RenkeiError(.unauthenticated, "the peer presented no certificate")
            }
            let identity = try PeerIdentity(verified: certificate)
            identified = identity
            observer?.connectionAccepted(peer: identity, remoteAddress: remoteAddress)
            logger.debug("connection accepted", metadata: ["peer": "\(identity)", "remote": "\(remoteAddress)"])
            context.fireUserInboundEventTriggered(PeerIdentified(identity: identity))
        } catch {
            observer?.connectionRefused(remoteAddress: remoteAddress, reason: String(describing: error).excerpt(200))
            logger.warning("connection refused", metadata: ["remote": "\(remoteAddress)", "reason": "\(error)"])
            context.close(promise: nil)
        }
    }
}
