public import NIOCore
public import NIOHTTP1
import NIOPosix
import NIOSSL
public import RenkeiCore
public import RenkeiPKI

/// A small HTTPS client with a client certificate: what `renkei admin` and the tests use to
/// call an edge as an operator or a business system. One connection per request.
public struct HTTPSClient: Sendable {
    public struct Response: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let sslContext: NIOSSLContext
    public static let maximumResponse = 64 * 1024 * 1024

    public init(credentials: Credentials) throws(RenkeiError) {
        do { sslContext = try NIOSSLContext(configuration: credentials.clientTLSConfiguration()) } catch {
            throw RenkeiError(.unauthenticated, "cannot set up TLS for \(credentials.identity.name): \(error)")
        }
    }

    public func request(
        _ method: HTTPMethod, _ endpoint: Endpoint, path: String, contentType: String? = nil, body: [UInt8]? = nil, bearer: String? = nil,
        timeout: TimeAmount = .seconds(60)
    ) async throws(RenkeiError) -> Response {
        let sslContext = self.sslContext
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        // Made before connecting and handed to the pipeline, so that every way the exchange
        // can end (refused handshake, closed connection, timeout) completes it.
        let promise = eventLoop.makePromise(of: Response.self)
        let timer = eventLoop.scheduleTask(in: timeout) {
            promise.fail(RenkeiError(.deadlineExceeded, "\(method) \(path) at \(endpoint) did not answer within \(timeout)"))
        }
        defer { timer.cancel() }
        do {
            let channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
            var headers = HTTPHeaders([
                ("Host", "\(endpoint.host):\(endpoint.port)"), ("Connection", "close"), ("Content-Length", String(body?.count ?? 0)),
            ])
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            if let bearer { headers.add(name: "Authorization", value: "Bearer \(bearer)") }
            channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            do {
                let response = try await promise.futureResult.get()
                try? await channel.close()
                return response
            } catch {
                try? await channel.close()
                throw error
            }
        } catch let error as RenkeiError {
            promise.fail(error)
            throw error
        } catch {
            let failure = RenkeiError(.unavailable, "\(method) \(path) at \(endpoint) failed: \(error)")
            promise.fail(failure)
            throw failure
        }
    }

    private final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart

        private let promise: EventLoopPromise<Response>
        private var head: HTTPResponseHead?
        private var body = [UInt8]()

        init(promise: EventLoopPromise<Response>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(head): self.head = head
            case var .body(buffer):
                guard body.count + buffer.readableBytes <= HTTPSClient.maximumResponse else {
                    promise.fail(RenkeiError(.bodyTooLarge, "the answer is over \(HTTPSClient.maximumResponse) bytes"))
                    context.close(promise: nil)
                    return
                }
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else {
                    promise.fail(RenkeiError(.malformedMessage, "the answer has no status line"))
                    return
                }
                promise.succeed(Response(status: Int(head.status.code), headers: head.headers, body: body))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(RenkeiError(.unavailable, "the connection closed before the answer was complete"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(RenkeiError(.unavailable, "\(error)"))
            context.close(promise: nil)
        }
    }
}
