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

    /// Resumed exactly once: by the answer, the deadline sweep or a failure of the connection,
    /// whichever removes the entry from `pending` first.
    typealias Completion = UnsafeContinuation<Renkei_V1_Envelope, any Error>

    private struct Pending {
        let completion: Completion
        let deadline: NIODeadline
        let method: String
    }

    private let target: String
    private var context: ChannelHandlerContext?
    private var pending: [UInt64: Pending] = [:]
    private var nextID: UInt64 = 1
    private let flusher = FlushCoalescer()
    /// Set once the connection can take no more requests, with the reason.
    private var closedReason: RenkeiError?
    /// One timer for the connection, at the earliest deadline in flight (a timer per request
    /// cost a scheduling and a cancellation on every call).
    private var sweep: (deadline: NIODeadline, task: Scheduled<Void>)?

    /// What a failed handshake means, with the certificates this side used.
    private let handshakeProblem: @Sendable (_ reason: String) -> RenkeiError

    init(target: String, handshakeProblem: @escaping @Sendable (_ reason: String) -> RenkeiError) {
        self.target = target
        self.handshakeProblem = handshakeProblem
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
    func send(_ request: Renkei_V1_Envelope, deadline: NIODeadline, completion: Completion) {
        guard let context, closedReason == nil else {
            completion.resume(throwing: closedReason ?? RenkeiError(.unavailable, "the connection to \(target) is closed"))
            return
        }
        var envelope = request
        let id = nextID
        nextID &+= 1
        envelope.id = id
        let remaining = deadline - .now()
        guard remaining > .zero else {
            completion.resume(
                throwing: RenkeiError(.deadlineExceeded, "\(request.method) to \(target): the deadline passed before the request was sent"))
            return
        }
        envelope.timeoutMicros = UInt64(remaining.nanoseconds / 1000)
        pending[id] = Pending(completion: completion, deadline: deadline, method: request.method)
        if sweep.map({ deadline < $0.deadline }) ?? true { scheduleSweep(at: deadline, context: context) }
        context.write(wrapOutboundOut(envelope), promise: nil)
        flusher.flushSoon()
    }

    private func scheduleSweep(at deadline: NIODeadline, context: ChannelHandlerContext) {
        sweep?.task.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        sweep = (deadline, context.eventLoop.scheduleTask(deadline: deadline) { loopBound.value.expire() })
    }

    /// Fails every request past its deadline and sets the timer for the next one.
    private func expire() {
        sweep = nil
        let now = NIODeadline.now()
        var next: NIODeadline?
        for (id, entry) in pending {
            if entry.deadline <= now {
                pending[id] = nil
                entry.completion.resume(throwing: RenkeiError(.deadlineExceeded, "\(entry.method) to \(target) did not answer in time"))
            } else {
                next = min(next ?? entry.deadline, entry.deadline)
            }
        }
        if let next, let context { scheduleSweep(at: next, context: context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if pending.isEmpty {
                closedReason = RenkeiError(.unavailable, "the idle connection to \(target) was closed")
                context.close(promise: nil)
            }
            return
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
        entry.completion.resume(returning: envelope)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = closedReason ?? RenkeiError(.unavailable, "the connection to \(target) was closed with requests in flight")
        closedReason = reason
        failAll(reason)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: RenkeiError
        if let refusal = error as? RenkeiError {
            // The handshake's own refusal (a server that is not the expected node).
            reason = refusal
        } else if let tooLarge = error as? FrameTooLargeError {
            reason = RenkeiError(.frameTooLarge, "\(target) sent a frame of \(tooLarge.length) bytes, over the limit of \(tooLarge.limit)")
        } else if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {
            // A peer killed mid-connection: nothing to do with certificates.
            reason = RenkeiError(.unavailable, "\(target) closed the connection without ending TLS (it stopped or crashed)")
        } else if error is NIOSSLError || error is BoringSSLError {
            reason = handshakeProblem("\(error)")
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
        sweep?.task.cancel()
        sweep = nil
        for entry in entries.values { entry.completion.resume(throwing: error) }
    }
}
