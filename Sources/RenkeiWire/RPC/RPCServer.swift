public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
public import RenkeiCore
public import RenkeiPKI

/// A node's listening side: mutual TLS 1.3, length-prefixed envelopes, a router.
public final class RPCServer: Sendable {
    public struct Configuration: Sendable {
        public var listen: Endpoint
        public var maximumFrameBytes: Int
        /// The longest a request may run, whatever its caller allows.
        public var maximumTimeout: TimeAmount

        public init(listen: Endpoint, maximumFrameBytes: Int = 1 << 20, maximumTimeout: TimeAmount = .seconds(60)) {
            self.listen = listen
            self.maximumFrameBytes = maximumFrameBytes
            self.maximumTimeout = maximumTimeout
        }
    }

    private let channel: any Channel
    private let connections: ConnectionRegistry
    /// Where the server actually listens (the port is resolved when the configuration asked for 0).
    public let address: Endpoint

    private init(channel: any Channel, connections: ConnectionRegistry, address: Endpoint) {
        self.channel = channel
        self.connections = connections
        self.address = address
    }

    /// Binds and starts serving.
    public static func start(
        configuration: Configuration,
        credentials: Credentials,
        router: RPCRouter,
        observer: (any RPCServerObserver)? = nil,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(RenkeiError) -> RPCServer {
        let sslContext: NIOSSLContext
        do {
            sslContext = try NIOSSLContext(configuration: credentials.serverTLSConfiguration())
        } catch {
            throw RenkeiError(.unauthenticated, "cannot set up TLS for \(credentials.identity.name): \(error)")
        }
        let maximumFrame = configuration.maximumFrameBytes
        let maximumTimeout = configuration.maximumTimeout
        let connections = ConnectionRegistry()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOSSLServerHandler(context: sslContext),
                        ByteToMessageHandler(EnvelopeFrameDecoder(maximumFrameLength: maximumFrame)),
                        MessageToByteHandler(EnvelopeFrameEncoder()),
                        RPCServerHandler(router: router, observer: observer, logger: logger, maximumTimeout: maximumTimeout),
                    ])
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.listen.host, port: configuration.listen.port).get()
            let port = channel.localAddress?.port ?? configuration.listen.port
            return RPCServer(channel: channel, connections: connections, address: Endpoint(host: configuration.listen.host, port: port))
        } catch {
            throw RenkeiError(.unavailable, "cannot listen on \(configuration.listen) for \(credentials.identity.name): \(error). Is another renkei already running?")
        }
    }

    /// Stops accepting connections and closes the listening socket and every open
    /// connection; requests in flight on them fail at their callers with UNAVAILABLE.
    public func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }
}
