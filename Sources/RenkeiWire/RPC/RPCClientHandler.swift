import NIOCore
import NIOSSL
import NIOTLS
import RenkeiCore
import RenkeiPKI

/// One connection's client side: numbers requests, matches responses to callers by id,
/// and fails each request at its own deadline.
final class RPCClientHandler: ChannelInboundHandler {
    typealias InboundIn = Renkei_V1_Envelope
    typealias OutboundOut = Renkei_V1_Envelope

    private struct Pending {
        let promise: EventLoopPromise<Renkei_V1_Envelope>
        let timer: Scheduled<Void>
        let method: String
    }

    private let target: String
    private let expectedPeer: String?
    private var context: ChannelHandlerContext?
    private var pending: [UInt64: Pending] = [:]
    private var nextID: UInt64 = 1
    private let flusher = FlushCoalescer()
    /// Set once the connection can take no more requests, with the reason.
    private var closedReason: RenkeiError?

    init(target: String, expectedPeer: String?) {
        self.target = target
        self.expectedPeer = expectedPeer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        flusher.attach(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        flusher.detach()
        failAll(RenkeiError(.unavailable, "the connection to \(target) was closed"))
    }

    /// Sends one request. Must be called on the channel's event loop.
    func send(
        _ request: Renkei_V1_Envelope,
        deadline: NIODeadline,
        promise: EventLoopPromise<Renkei_V1_Envelope>
    ) {
        guard let context, closedReason == nil else {
            promise.fail(closedReason ?? RenkeiError(.unavailable, "the connection to \(target) is closed"))
            return
        }
        var envelope = request
        let id = nextID
        nextID &+= 1
        envelope.id = id
        let remaining = deadline - .now()
        guard remaining > .zero else {
            promise.fail(RenkeiError(.deadlineExceeded, "\(request.method) to \(target): the deadline passed before the request was sent"))
            return
        }
        envelope.timeoutMicros = UInt64(remaining.nanoseconds / 1000)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let method = request.method
        let target = self.target
        let timer = context.eventLoop.scheduleTask(deadline: deadline) {
            guard let entry = loopBound.value.pending.removeValue(forKey: id) else { return }
            entry.promise.fail(RenkeiError(.deadlineExceeded, "\(method) to \(target) did not answer in time"))
        }
        pending[id] = Pending(promise: promise, timer: timer, method: method)
        context.write(wrapOutboundOut(envelope), promise: nil)
        flusher.flushSoon()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, let expectedPeer {
            // The CA vouches for the certificate; this checks it is the node we meant to reach.
            let identity = (try? context.pipeline.syncOperations.nioSSL_peerCertificate()).flatMap { $0 }.flatMap { try? PeerIdentity(verified: $0) }
            if identity?.name != expectedPeer {
                let error = RenkeiError(.unauthenticated, "\(target) presented the certificate of \(identity?.description ?? "nobody"), not of \(expectedPeer)")
                closedReason = error
                failAll(error)
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.kind == .response else { return }
        if envelope.id == 0 {
            // A connection-level notice (for example FRAME_TOO_LARGE) before the server closes.
            let error = envelope.hasStatus ? envelope.status.error : RenkeiError(.unavailable, "\(target) closed the connection")
            closedReason = error
            failAll(error)
            return
        }
        guard let entry = pending.removeValue(forKey: envelope.id) else { return }
        entry.timer.cancel()
        entry.promise.succeed(envelope)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = closedReason ?? RenkeiError(.unavailable, "the connection to \(target) was closed with requests in flight")
        closedReason = reason
        failAll(reason)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: RenkeiError
        if let tooLarge = error as? FrameTooLargeError {
            reason = RenkeiError(.frameTooLarge, "\(target) sent a frame of \(tooLarge.length) bytes, over the limit of \(tooLarge.limit)")
        } else if error is NIOSSLError || error is BoringSSLError {
            reason = RenkeiError(.unauthenticated, "TLS with \(target) failed: \(error)")
        } else {
            reason = RenkeiError(.unavailable, "the connection to \(target) failed: \(error)")
        }
        closedReason = closedReason ?? reason
        failAll(reason)
        context.close(promise: nil)
    }

    private func failAll(_ error: RenkeiError) {
        let entries = pending
        pending.removeAll()
        for entry in entries.values {
            entry.timer.cancel()
            entry.promise.fail(error)
        }
    }
}
