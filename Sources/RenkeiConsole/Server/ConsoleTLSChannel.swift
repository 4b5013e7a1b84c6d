import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HTTP/1 behind TLS for browsers: the server's certificate only (no client certificate).
struct ConsoleTLSChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let context: NIOSSLContext

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    static func builder(tls: TLSConfiguration) throws -> HTTPServerBuilder {
        let context = try NIOSSLContext(configuration: tls)
        return HTTPServerBuilder { responder in
            ConsoleTLSChannel(base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: .seconds(60))), context: context)
        }
    }
}
