import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import RenkeiPKI

/// An HTTP/1 child channel behind TLS, like HummingbirdTLS's, that also says when a client's
/// handshake is refused (no certificate, one of another CA, an expired one): the journal
/// shows it, as it shows the wire nodes' refusals, instead of the client seeing only a reset.
struct JournaledTLSChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    /// Hears the remote address and the reason of each refused handshake: BoringSSL's, or
    /// renkei's own (a revoked, expired or unknown holder) as a RenkeiError.
    typealias Refused = @Sendable (_ remoteAddress: String, _ reason: any Error) -> Void

    let base: HTTP1Channel
    let context: NIOSSLContext
    let admission: PeerAdmission
    let refused: Refused

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(admission.serverHandler(context: context))
            try channel.pipeline.syncOperations.addHandler(HandshakeWatch(refused: refused, logger: logger))
            // A keep-alive connection outlives neither a revocation nor the certificate's end.
            if let status = admission.status { try channel.pipeline.syncOperations.addHandler(CertificateWatch(status: status)) }
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    /// The HTTPS server of an edge.
    static func builder(
        tls: TLSConfiguration, http: HTTP1Channel.Configuration, admission: PeerAdmission, refused: @escaping Refused
    ) throws -> HTTPServerBuilder {
        let context = try NIOSSLContext(configuration: tls)
        return HTTPServerBuilder { responder in
            JournaledTLSChannel(
                base: HTTP1Channel(responder: responder, configuration: http), context: context, admission: admission, refused: refused)
        }
    }
}

/// Right after the TLS handler: an error before the handshake completed is a refused
/// handshake. Passes everything on unchanged.
final class HandshakeWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let refused: JournaledTLSChannel.Refused
    private let logger: Logger
    private var completed = false
    private var reported = false
    private var remoteAddress = "unknown"

    init(refused: @escaping JournaledTLSChannel.Refused, logger: Logger) {
        self.refused = refused
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        remoteAddress = context.channel.remoteAddress?.description ?? "unknown"
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls { completed = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !completed, !reported {
            reported = true
            refused(remoteAddress, error)
            logger.warning("TLS handshake refused", metadata: ["remote": "\(remoteAddress)", "reason": "\(error)"])
        }
        context.fireErrorCaught(error)
    }
}
