public import Foundation
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
public import RenkeiCore
public import RenkeiPKI
import SwiftProtobuf
import Synchronization
import X509

/// Calls one peer over a small pool of persistent mutual-TLS connections.
///
/// Requests are spread over the connections round-robin and multiplexed on each. A
/// connection that closes is replaced on the next call, retrying with backoff until that
/// call's deadline: a peer that restarts is reconnected without the caller doing anything.
/// A peer with replicas (the same holder at further addresses) has connections to each; a
/// call that cannot connect to one is sent to another at once, and the one that refused is
/// passed over for a second before it is tried again.
public final class RPCClient: Sendable {
    public struct Configuration: Sendable {
        public var target: Endpoint
        /// Further addresses of the same peer (its replicas, holding the same certificate).
        public var replicas: [Endpoint] = []
        /// The common name the peer's certificate must carry; nil accepts any holder the CA vouches for.
        public var expectedPeer: String?
        /// The role the peer's certificate must carry as well; nil checks the name only.
        public var expectedRole: NodeRole?
        public var connections: Int
        public var maximumFrameBytes: Int

        public init(
            target: Endpoint, expectedPeer: String?, expectedRole: NodeRole? = nil, connections: Int = 2, maximumFrameBytes: Int = 1 << 20
        ) {
            self.target = target
            self.expectedPeer = expectedPeer
            self.expectedRole = expectedRole
            self.connections = max(1, connections)
            self.maximumFrameBytes = maximumFrameBytes
        }

        var targets: [Endpoint] { [target] + replicas }
    }

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<RPCClientHandler>
    }

    private enum Slot: Sendable {
        case idle
        case connecting(EventLoopFuture<Connection>)
        case ready(Connection)
    }

    /// Half the servers' default idle timeout.
    static let idleTimeout: TimeAmount = .minutes(5)

    public let configuration: Configuration
    private let sslContext: NIOSSLContext
    /// The certificate this client presents and the CA it trusts, named in handshake failures.
    private let presented: Certificate
    private let trusted: Certificate
    private let status: CertificateStatus?
    private let group: any EventLoopGroup
    private let logger: Logger
    private let slots: Mutex<[Slot]>
    /// Slot i connects to targets[i % targets.count].
    private let targets: [Endpoint]
    /// Until when each target is passed over, after it refused a connection.
    private let passedOver: Mutex<[NIODeadline]>
    private let nextSlot = Atomic<Int>(0)
    private let isShutDown = Atomic<Bool>(false)

    public init(
        configuration: Configuration,
        credentials: Credentials,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(RenkeiError) {
        do {
            var tls = try credentials.clientTLSConfiguration()
            // The chain is still verified; the host is checked by PeerAdmission in the handshake,
            // against the name or address dialled (NIOSSL would check only the socket's address,
            // which a container's service name does not fix), with a refusal that names both.
            tls.certificateVerification = .noHostnameVerification
            self.sslContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw RenkeiError(.unauthenticated, "cannot set up TLS for \(credentials.identity.name): \(error)")
        }
        self.configuration = configuration
        self.presented = credentials.certificate
        self.trusted = credentials.trustRoot
        self.status = credentials.status
        self.group = group
        self.logger = logger
        self.targets = configuration.targets
        self.slots = Mutex(Array(repeating: .idle, count: configuration.connections * configuration.targets.count))
        self.passedOver = Mutex(Array(repeating: .uptimeNanoseconds(0), count: configuration.targets.count))
    }

    /// Calls `method` and waits for its response until `deadline`.
    public func call<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        deadline: NIODeadline
    ) async throws(RenkeiError) -> Response {
        let body = try await callForwarding(method, request, deadline: deadline)
        do throws(RenkeiError) {
            return try Response(encoded: body)
        } catch {
            throw RenkeiError(.malformedMessage, "the answer of \(configuration.target) to \(method.name): \(error.message)")
        }
    }

    /// Calls `method` and returns its response still encoded, for a node that passes it on.
    public func callForwarding<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        deadline: NIODeadline
    ) async throws(RenkeiError) -> Data {
        var envelope = Renkei_V1_Envelope()
        envelope.kind = .request
        envelope.method = method.name
        envelope.body = try request.encoded()
        guard envelope.body.count + 64 <= configuration.maximumFrameBytes else {
            throw RenkeiError(
                .frameTooLarge, "\(method.name) of \(envelope.body.count) bytes exceeds the frame limit of \(configuration.maximumFrameBytes) bytes")
        }
        let response = try await roundTrip(envelope, deadline: deadline)
        if response.hasStatus, !response.status.code.isEmpty {
            throw response.status.error
        }
        return response.body
    }

    /// Sends an already-encoded body: for tests that need to send what a typed call cannot.
    func call(raw method: String, body: Data, deadline: NIODeadline) async throws(RenkeiError) -> Data {
        var envelope = Renkei_V1_Envelope()
        envelope.kind = .request
        envelope.method = method
        envelope.body = body
        let response = try await roundTrip(envelope, deadline: deadline)
        if response.hasStatus, !response.status.code.isEmpty { throw response.status.error }
        return response.body
    }

    /// Closes every connection. Calls made afterwards fail with UNAVAILABLE.
    public func shutdown() async {
        isShutDown.store(true, ordering: .releasing)
        let open = slots.withLock { slots -> [EventLoopFuture<Connection>] in
            defer { slots = Array(repeating: .idle, count: slots.count) }
            return slots.compactMap {
                switch $0 {
                case .idle: nil
                case let .connecting(future): future
                case let .ready(connection): connection.channel.eventLoop.makeSucceededFuture(connection)
                }
            }
        }
        for future in open { try? await future.get().channel.close() }
    }

    private func roundTrip(_ envelope: Renkei_V1_Envelope, deadline: NIODeadline) async throws(RenkeiError) -> Renkei_V1_Envelope {
        var slot = usable(nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue % (configuration.connections * targets.count))
        var attempt = 0
        while true {
            let connection: Connection
            if let ready = readyConnection(slot: slot) {
                connection = ready
            } else {
                connection = try await self.connection(slot: &slot, deadline: deadline, attempt: &attempt)
            }
            let handler = connection.handler
            let eventLoop = connection.channel.eventLoop
            do {
                return try await withUnsafeThrowingContinuation { (completion: RPCClientHandler.Completion) in
                    if eventLoop.inEventLoop {
                        handler.value.send(envelope, deadline: deadline, completion: completion)
                    } else {
                        eventLoop.execute { handler.value.send(envelope, deadline: deadline, completion: completion) }
                    }
                }
            } catch let error as RenkeiError {
                // A connection that was already dead when the request reached it: the request
                // never left, so it is safe to try once more on a fresh connection.
                if error.code == .unavailable, attempt == 0, !connection.channel.isActive {
                    attempt += 1
                    continue
                }
                throw error
            } catch {
                throw RenkeiError(.unavailable, "\(envelope.method) to \(configuration.target) failed: \(error)")
            }
        }
    }

    /// The slot's connection when it is up: the common case, without a future or a suspension.
    private func readyConnection(slot: Int) -> Connection? {
        slots.withLock { slots in
            if case let .ready(connection) = slots[slot], connection.channel.isActive { return connection }
            return nil
        }
    }

    /// `slot`, or a slot of the same rank on a target not passed over when `slot`'s is.
    private func usable(_ slot: Int) -> Int {
        guard targets.count > 1 else { return slot }
        let now = NIODeadline.now()
        return passedOver.withLock { until in
            let rank = slot - slot % targets.count
            if until[slot % targets.count] <= now { return slot }
            return until.indices.first(where: { until[$0] <= now }).map { rank + $0 } ?? slot
        }
    }

    private func connection(slot: inout Int, deadline: NIODeadline, attempt: inout Int) async throws(RenkeiError) -> Connection {
        var delay = TimeAmount.milliseconds(20)
        var lastError: (any Error)?
        while true {
            guard !isShutDown.load(ordering: .acquiring) else {
                throw RenkeiError(.unavailable, "the client for \(configuration.target) is shut down")
            }
            let future = slots.withLock { slots -> EventLoopFuture<Connection> in
                switch slots[slot] {
                case let .ready(connection) where connection.channel.isActive:
                    return connection.channel.eventLoop.makeSucceededFuture(connection)
                case let .connecting(future):
                    return future
                case .ready, .idle:
                    let future = connect(to: targets[slot % targets.count])
                    slots[slot] = .connecting(future)
                    return future
                }
            }
            do {
                let connection = try await future.get()
                slots.withLock { slots in
                    if case let .connecting(pending) = slots[slot], pending === future { slots[slot] = .ready(connection) }
                }
                return connection
            } catch {
                lastError = error
                slots.withLock { slots in
                    if case let .connecting(pending) = slots[slot], pending === future { slots[slot] = .idle }
                }
            }
            attempt += 1
            if targets.count > 1 {
                // A replica that refuses is passed over; the call goes to another at once.
                let failed = slot % targets.count
                passedOver.withLock { $0[failed] = .now() + .seconds(1) }
                let next = usable(slot)
                if next != slot {
                    slot = next
                    continue
                }
            }
            // Retry until the caller's deadline: a restarting peer comes back within it.
            let now = NIODeadline.now()
            guard now + delay < deadline else {
                throw RenkeiError(
                    .unavailable,
                    "cannot reach \(configuration.expectedPeer ?? "peer") at \(targets.count > 1 ? targets.map(\.description).joined(separator: " or ") : "\(configuration.target)"): \(lastError.map { "\($0)" } ?? "no connection")"
                )
            }
            try? await Task.sleep(for: .nanoseconds(delay.nanoseconds))
            delay = min(delay * 2, .milliseconds(500))
        }
    }

    private func connect(to address: Endpoint) -> EventLoopFuture<Connection> {
        let sslContext = self.sslContext
        let configuration = self.configuration
        // Messages name the node as well as its address: "ms-municipal at 127.0.0.1:17402 did not answer".
        let (presented, trusted) = (self.presented, self.trusted)
        let target = configuration.expectedPeer.map { "\($0) at \(address)" } ?? address.description
        let status = self.status
        let admission = PeerAdmission(
            status: status, expectedName: configuration.expectedPeer, expectedRole: configuration.expectedRole,
            expectedHost: address.host)
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        // Idle connections are closed here before the server's longer idle timeout
                        // would close them under a request about to be sent.
                        IdleStateHandler(allTimeout: RPCClient.idleTimeout),
                        try admission.clientHandler(context: sslContext, target: target),
                    ])
                    if let status { try channel.pipeline.syncOperations.addHandler(CertificateWatch(status: status)) }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(EnvelopeFrameDecoder(maximumFrameLength: configuration.maximumFrameBytes)),
                        MessageToByteHandler(EnvelopeFrameEncoder()),
                        RPCClientHandler(target: target) { reason in
                            CertificateProblem.handshake(with: target, reason: reason, presenting: presented, trusting: trusted)
                        },
                    ])
                }
            }
        return bootstrap.connect(host: address.host, port: address.port).flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: RPCClientHandler.self)
            return Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        }
    }
}
