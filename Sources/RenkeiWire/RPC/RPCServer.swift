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
        /// A connection whose TLS handshake has not completed by then is closed.
        public var handshakeTimeout: TimeAmount
        /// A connection with nothing in flight that sends nothing for this long is closed (clients
        /// close their own idle connections sooner, so this reaps only abandoned ones).
        public var idleTimeout: TimeAmount
        /// Requests in flight on one connection, and from one peer over all its connections;
        /// past either, a request is refused at once with OVERLOADED.
        public var maximumInFlightPerConnection: Int
        public var maximumInFlightPerPeer: Int
        /// The holders that may connect (the topology's); nil admits any the CA vouches for.
        public var admitted: Set<PeerIdentity>?

        public init(
            listen: Endpoint, maximumFrameBytes: Int = 1 << 20, maximumTimeout: TimeAmount = .seconds(60),
            handshakeTimeout: TimeAmount = .seconds(10),
            idleTimeout: TimeAmount = .minutes(10), maximumInFlightPerConnection: Int = 8_192, maximumInFlightPerPeer: Int = 16_384,
            admitted: Set<PeerIdentity>? = nil
        ) {
            self.admitted = admitted
            self.listen = listen
            self.maximumFrameBytes = maximumFrameBytes
            self.maximumTimeout = maximumTimeout
            self.handshakeTimeout = handshakeTimeout
            self.idleTimeout = idleTimeout
            self.maximumInFlightPerConnection = maximumInFlightPerConnection
            self.maximumInFlightPerPeer = maximumInFlightPerPeer
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
        let connections = ConnectionRegistry()
        let limits = RPCServerHandler.Limits(configuration)
        let peerLoad = PeerLoad(limit: configuration.maximumInFlightPerPeer)
        let admission = PeerAdmission(status: credentials.status, admitted: configuration.admitted)
        let status = credentials.status
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: limits.idleTimeout),
                        admission.serverHandler(context: sslContext),
                    ])
                    if let status {
                        try channel.pipeline.syncOperations.addHandler(
                            CertificateWatch(status: status) { error in
                                observer?.connectionRefused(
                                    remoteAddress: channel.remoteAddress?.description ?? "unknown", reason: "open connection closed: \(error.message)"
                                )
                            })
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(EnvelopeFrameDecoder(maximumFrameLength: maximumFrame)),
                        MessageToByteHandler(EnvelopeFrameEncoder()),
                        PeerIdentityHandler(observer: observer, logger: logger, handshakeTimeout: limits.handshakeTimeout),
                        RPCServerHandler(router: router, observer: observer, logger: logger, limits: limits, peerLoad: peerLoad),
                    ])
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.listen.host, port: configuration.listen.port).get()
            let port = channel.localAddress?.port ?? configuration.listen.port
            return RPCServer(channel: channel, connections: connections, address: Endpoint(host: configuration.listen.host, port: port))
        } catch {
            throw RenkeiError(
                .unavailable,
                "cannot listen on \(configuration.listen) for \(credentials.identity.name): \(error). Is another renkei already running?")
        }
    }

    /// Stops accepting connections and closes the listening socket and every open
    /// connection; requests in flight on them fail at their callers with UNAVAILABLE.
    public func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }
}
