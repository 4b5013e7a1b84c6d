import Foundation
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import RenkeiCore
import RenkeiPKI

/// One connection's server side, after `PeerIdentityHandler` has said who the peer is:
/// dispatches each request to its handler in its own task, and writes responses back in
/// whatever order they finish.
///
/// Every resource a peer can make it hold is bounded: the time a connection may sit idle, the
/// requests in flight on the connection and from the peer, and the size of each answer (one
/// over the frame limit fails alone, as ANSWER_TOO_LARGE). The handshake's own bound is the
/// identity handler's.
final class RPCServerHandler: ChannelInboundHandler {
    typealias InboundIn = Renkei_V1_Envelope
    typealias OutboundOut = Renkei_V1_Envelope

    struct Limits: Sendable {
        let maximumTimeout: TimeAmount
        let maximumFrameBytes: Int
        let handshakeTimeout: TimeAmount
        let idleTimeout: TimeAmount
        let maximumInFlight: Int

        init(_ configuration: RPCServer.Configuration) {
            maximumTimeout = configuration.maximumTimeout
            maximumFrameBytes = configuration.maximumFrameBytes
            handshakeTimeout = configuration.handshakeTimeout
            idleTimeout = configuration.idleTimeout
            maximumInFlight = configuration.maximumInFlightPerConnection
        }
    }

    /// What an envelope around a body adds at most: id, kind, status and the body's own tag and length.
    static let envelopeOverhead = 64

    private let router: RPCRouter
    private let observer: (any RPCServerObserver)?
    private let logger: Logger
    private let limits: Limits
    private let peerLoad: PeerLoad
    private var identity: PeerIdentity?
    private var context: ChannelHandlerContext?
    private let flusher = FlushCoalescer()
    private var inFlight = 0
    private var remoteAddress = "unknown"

    init(router: RPCRouter, observer: (any RPCServerObserver)?, logger: Logger, limits: Limits, peerLoad: PeerLoad) {
        self.router = router
        self.observer = observer
        self.logger = logger
        self.limits = limits
        self.peerLoad = peerLoad
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
        if event is IdleStateHandler.IdleStateEvent {
            // Nothing read for the idle timeout: close only when nothing is in flight either.
            if inFlight == 0 {
                logger.debug("closing an idle connection", metadata: ["remote": "\(remoteAddress)"])
                context.close(promise: nil)
            }
            return
        }
        if let identified = event as? PeerIdentityHandler.PeerIdentified {
            identity = identified.identity
            return
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
        guard inFlight < limits.maximumInFlight else {
            send(
                Self.response(
                    to: envelope,
                    status: RenkeiError(
                        .overloaded, "this node has \(limits.maximumInFlight) requests in flight on this connection; retry when answers arrive")))
            return
        }
        guard peerLoad.acquire(identity.name) else {
            send(
                Self.response(
                    to: envelope,
                    status: RenkeiError(
                        .overloaded, "this node has \(peerLoad.limit) requests of \(identity.name) in flight; retry when answers arrive")))
            return
        }
        inFlight += 1
        let maximumTimeout = limits.maximumTimeout
        let timeout = envelope.timeoutMicros == 0 ? maximumTimeout : min(.microseconds(Int64(clamping: envelope.timeoutMicros)), maximumTimeout)
        let requestContext = RequestContext(peer: identity, deadline: .now() + timeout, method: envelope.method)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let logger = self.logger
        let peerLoad = self.peerLoad
        let maximumBody = limits.maximumFrameBytes - Self.envelopeOverhead
        let observer = self.observer
        Task {
            let started = ContinuousClock.now
            let finished = await ResponseMaker.answer(envelope, handler: handler, context: requestContext, maximumBody: maximumBody, logger: logger)
            observer?.requestAnswered(
                method: envelope.method, code: finished.hasStatus ? finished.status.code : nil, duration: ContinuousClock.now - started)
            peerLoad.release(requestContext.peer.name)
            // NIO runs the tasks too: when this one ran on the connection's own loop, no hop.
            if eventLoop.inEventLoop {
                loopBound.value.finish(finished)
            } else {
                eventLoop.execute { loopBound.value.finish(finished) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLarge = error as? FrameTooLargeError {
            observer?.frameRejected(peer: identity, remoteAddress: remoteAddress, length: tooLarge.length, limit: tooLarge.limit)
            logger.warning(
                "frame over the size limit; closing the connection",
                metadata: [
                    "peer": "\(identity.map(\.description) ?? "unauthenticated")", "length": "\(tooLarge.length)", "limit": "\(tooLarge.limit)",
                ])
            var notice = Renkei_V1_Envelope()
            notice.kind = .response
            notice.status = .init(
                RenkeiError(.frameTooLarge, "a frame of \(tooLarge.length) bytes exceeds this node's limit of \(tooLarge.limit) bytes"))
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

    /// Writes the response of a request that was counted in flight.
    private func finish(_ envelope: Renkei_V1_Envelope) {
        inFlight -= 1
        send(envelope)
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

/// The response to one request, made off the event loop.
enum ResponseMaker {
    /// Runs the handler and makes its response: a refusal carries its code, any other failure
    /// is INTERNAL_ERROR (detail in the log), and an answer over the frame limit fails alone.
    static func answer(
        _ envelope: Renkei_V1_Envelope, handler: RPCRouter.Handler, context: RequestContext, maximumBody: Int, logger: Logger
    ) async -> Renkei_V1_Envelope {
        var response = Renkei_V1_Envelope()
        response.id = envelope.id
        response.kind = .response
        do {
            response.body = try await handler(envelope.body, context)
        } catch let error as RenkeiError {
            response.status = .init(error)
        } catch {
            logger.error("handler failed", metadata: ["method": "\(envelope.method)", "error": "\(error)"])
            response.status = .init(RenkeiError(.internalError, "\(envelope.method) failed inside this node; its log has the detail"))
        }
        if response.body.count > maximumBody {
            // Sent whole, the frame would be refused by the peer, which closes the connection
            // other requests share: this request fails alone instead.
            logger.warning("answer over the frame limit", metadata: ["method": "\(envelope.method)", "bytes": "\(response.body.count)"])
            response.status = .init(
                RenkeiError(
                    .answerTooLarge,
                    "the answer to \(envelope.method) is \(response.body.count) bytes, over the wire's limit of \(maximumBody); ask for less (one 特定個人情報名, one 年度) or raise wire.max_frame_bytes"
                ))
            response.body = Data()
        }
        return response
    }
}
