import Foundation
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import RenkeiCore
import RenkeiPKI

/// One connection's server side: reads the peer identity once after the handshake, runs
/// each request in its own task, and writes responses back in whatever order they finish.
final class RPCServerHandler: ChannelInboundHandler {
    typealias InboundIn = Renkei_V1_Envelope
    typealias OutboundOut = Renkei_V1_Envelope

    private let router: RPCRouter
    private let observer: (any RPCServerObserver)?
    private let logger: Logger
    private let maximumTimeout: TimeAmount
    private var identity: PeerIdentity?
    private var context: ChannelHandlerContext?
    private let flusher = FlushCoalescer()
    private var remoteAddress = "unknown"

    init(router: RPCRouter, observer: (any RPCServerObserver)?, logger: Logger, maximumTimeout: TimeAmount) {
        self.router = router
        self.observer = observer
        self.logger = logger
        self.maximumTimeout = maximumTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        flusher.attach(context)
        remoteAddress = context.channel.remoteAddress?.description ?? "unknown"
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        flusher.detach()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            do {
                guard let certificate = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                    throw RenkeiError(.unauthenticated, "the peer presented no certificate")
                }
                let identity = try PeerIdentity(verified: certificate)
                self.identity = identity
                observer?.connectionAccepted(peer: identity, remoteAddress: remoteAddress)
                logger.debug("connection accepted", metadata: ["peer": "\(identity)", "remote": "\(remoteAddress)"])
            } catch {
                observer?.connectionRefused(remoteAddress: remoteAddress, reason: "\(error)")
                logger.warning("connection refused", metadata: ["remote": "\(remoteAddress)", "reason": "\(error)"])
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.kind == .request else { return }
        guard let identity else {
            send(Self.response(to: envelope, status: RenkeiError(.unauthenticated, "no verified client certificate on this connection")))
            return
        }
        guard let handler = router.handler(for: envelope.method) else {
            send(Self.response(to: envelope, status: RenkeiError(.unknownMethod, "this node does not serve \(envelope.method)")))
            return
        }
        let timeout = envelope.timeoutMicros == 0 ? maximumTimeout : min(.microseconds(Int64(clamping: envelope.timeoutMicros)), maximumTimeout)
        let requestContext = RequestContext(peer: identity, deadline: .now() + timeout, method: envelope.method)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let logger = self.logger
        Task {
            var response = Renkei_V1_Envelope()
            response.id = envelope.id
            response.kind = .response
            do {
                response.body = try await handler(envelope.body, requestContext)
            } catch let error as RenkeiError {
                response.status = .init(error)
            } catch {
                logger.error("handler failed", metadata: ["method": "\(envelope.method)", "error": "\(error)"])
                response.status = .init(RenkeiError(.internalError, "\(envelope.method) failed: \(error)"))
            }
            let finished = response
            // NIO runs the tasks too: when this one ran on the connection's own loop, no hop.
            if eventLoop.inEventLoop {
                loopBound.value.send(finished)
            } else {
                eventLoop.execute { loopBound.value.send(finished) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLarge = error as? FrameTooLargeError {
            observer?.frameRejected(peer: identity, remoteAddress: remoteAddress, length: tooLarge.length, limit: tooLarge.limit)
            logger.warning("frame over the size limit; closing the connection", metadata: [
                "peer": "\(identity.map(\.description) ?? "unauthenticated")", "length": "\(tooLarge.length)", "limit": "\(tooLarge.limit)",
            ])
            var notice = Renkei_V1_Envelope()
            notice.kind = .response
            notice.status = .init(RenkeiError(.frameTooLarge, "a frame of \(tooLarge.length) bytes exceeds this node's limit of \(tooLarge.limit) bytes"))
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(notice)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if identity == nil {
            observer?.connectionRefused(remoteAddress: remoteAddress, reason: "\(error)")
            logger.warning("connection refused", metadata: ["remote": "\(remoteAddress)", "reason": "\(error)"])
        } else {
            logger.info("connection error", metadata: ["peer": "\(identity.map(\.description) ?? "")", "error": "\(error)"])
        }
        context.close(promise: nil)
    }

    /// Writes a response; the flush is shared with the others that finish in this tick.
    private func send(_ envelope: Renkei_V1_Envelope) {
        guard let context else { return }
        context.write(wrapOutboundOut(envelope), promise: nil)
        flusher.flushSoon()
    }

    private static func response(to request: Renkei_V1_Envelope, status: RenkeiError) -> Renkei_V1_Envelope {
        var response = Renkei_V1_Envelope()
        response.id = request.id
        response.kind = .response
        response.status = .init(status)
        return response
    }
}

