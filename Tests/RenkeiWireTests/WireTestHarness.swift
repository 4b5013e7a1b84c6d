import Foundation
import Logging
import NIOCore
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import Synchronization

@testable import RenkeiWire

/// Records what a server observed, for assertions.
final class RecordingObserver: RPCServerObserver {
    struct State {
        var accepted: [String] = []
        var refused: [String] = []
        var framesRejected: [Int] = []
    }
    let state = Mutex(State())
    /// Yields once per refused connection, so a test can wait for the server's side.
    let refusals: AsyncStream<String>
    private let refusalContinuation: AsyncStream<String>.Continuation

    init() { (refusals, refusalContinuation) = AsyncStream.makeStream() }

    func connectionAccepted(peer: PeerIdentity, remoteAddress: String) { state.withLock { $0.accepted.append(peer.name) } }
    func connectionRefused(remoteAddress: String, reason: String) {
        state.withLock { $0.refused.append(reason) }
        refusalContinuation.yield(reason)
    }
    func frameRejected(peer: PeerIdentity?, remoteAddress: String, length: Int, limit: Int) { state.withLock { $0.framesRejected.append(length) } }
}

/// A gate a handler can wait on until the test opens it: blocking a request without sleeping.
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// Yields once for each request that reached the gate: how a test knows they are in flight.
    let arrivals: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
        (arrivals, arrival) = AsyncStream.makeStream()
    }
    func wait() async {
        arrival.yield()
        for await _ in stream {}
    }
    func open() { continuation.finish() }

    /// Returns once `count` requests have reached the gate.
    func waitForArrivals(_ count: Int) async {
        var seen = 0
        for await _ in arrivals {
            seen += 1
            if seen == count { return }
        }
    }
}

enum Echo {
    static let echo = RPCMethod<Ping, Ping>("test.echo")
    static let whoami = RPCMethod<Ping, Ping>("test.whoami")
    static let blocked = RPCMethod<Ping, Ping>("test.blocked")
    /// Answers with a text of the size the request names.
    static let grow = RPCMethod<Ping, Ping>("test.grow")

    static func router(gate: Gate) -> RPCRouter {
        var router = RPCRouter()
        router.register(echo) { request, _ in
            // Let other requests overtake this one, so answers come back out of order.
            if Int(request.text).map({ $0 % 3 == 0 }) == true { await Task.yield() }
            return request
        }
        router.register(whoami) { _, context in
            var answer = Ping()
            answer.text = "\(context.peer.name)|\(context.peer.role.rawValue)|\(context.peer.organizationCode?.rawValue ?? "")"
            return answer
        }
        router.register(grow) { request, _ in ping(String(repeating: "z", count: Int(request.text) ?? 0)) }
        router.register(blocked) { request, _ in
            await gate.wait()
            return request
        }
        return router
    }
}

struct WireHarness {
    let pki: TestPKI
    let server: RPCServer
    let observer: RecordingObserver
    let gate: Gate

    static let logger = Logger(label: "renkei.test.wire")

    static func start(
        pki: TestPKI? = nil, port: Int = 0, maximumFrameBytes: Int = 1 << 20, configure: (inout RPCServer.Configuration) -> Void = { _ in }
    ) async throws -> WireHarness {
        let pki = try pki ?? TestPKI()
        let observer = RecordingObserver()
        let gate = Gate()
        var configuration = RPCServer.Configuration(listen: Endpoint(host: "127.0.0.1", port: port), maximumFrameBytes: maximumFrameBytes)
        configure(&configuration)
        let server = try await RPCServer.start(
            configuration: configuration,
            credentials: try pki.credentials("server", role: .networkSystem),
            router: Echo.router(gate: gate),
            observer: observer,
            logger: logger
        )
        return WireHarness(pki: pki, server: server, observer: observer, gate: gate)
    }

    /// Runs `body` with a started harness and stops its server afterwards, also when `body` throws.
    static func with(
        maximumFrameBytes: Int = 1 << 20, configure: (inout RPCServer.Configuration) -> Void = { _ in }, _ body: (WireHarness) async throws -> Void
    ) async throws {
        let harness = try await start(maximumFrameBytes: maximumFrameBytes, configure: configure)
        do {
            try await body(harness)
        } catch {
            await harness.server.stop()
            throw error
        }
        await harness.server.stop()
    }

    func client(
        connections: Int = 1,
        maximumFrameBytes: Int = 1 << 20,
        credentials: Credentials? = nil,
        expectedPeer: String? = "server"
    ) throws -> RPCClient {
        try RPCClient(
            configuration: .init(target: server.address, expectedPeer: expectedPeer, connections: connections, maximumFrameBytes: maximumFrameBytes),
            credentials: credentials ?? pki.credentials("client", role: .intermediateServer),
            logger: Self.logger
        )
    }
}

func ping(_ text: String) -> Ping {
    var message = Ping()
    message.text = text
    return message
}

func inSeconds(_ seconds: Int64) -> NIODeadline { .now() + .seconds(seconds) }
