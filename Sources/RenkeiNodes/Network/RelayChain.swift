public import Logging
import NIOCore
public import RenkeiCore
public import RenkeiPKI
import RenkeiWire

/// The baseline: a chain of no-op relays with as many mutual-TLS hops as an inquiry takes,
/// over the same wire protocol. Each relay passes the request on; the last one answers with
/// a body the size of a real answer. It measures what the transport alone can do here.
public final class RelayChain: Sendable {
    static let forward = RPCMethod<Ping, Ping>("relay.forward")

    private let servers: [RPCServer]
    private let clients: [RPCClient]
    private let entry: RPCClient
    private let request: Ping

    /// Starts `hops` relays on loopback. `requestBytes` and `responseBytes` match a real
    /// inquiry's sizes.
    public static func start(
        hops: Int, credentials: (String) throws(RenkeiError) -> Credentials, client: Credentials, requestBytes: Int, responseBytes: Int,
        connections: Int, logger: Logger
    ) async throws(RenkeiError) -> RelayChain {
        var servers = [RPCServer]()
        var clients = [RPCClient]()
        var next: (client: RPCClient, name: String)?
        let answer: Ping = {
            var answer = Ping()
            answer.text = String(repeating: "r", count: responseBytes)
            return answer
        }()
        // Built from the far end back, so that each relay knows its successor's address.
        for index in stride(from: hops, through: 1, by: -1) {
            let name = "relay\(index)"
            var router = RPCRouter()
            if let downstream = next {
                let client = downstream.client
                router.register(forward) { request, context in try await client.call(forward, request, deadline: context.deadline) }
            } else {
                router.register(forward) { _, _ in answer }
            }
            let ownCredentials = try credentials(name)
            let server = try await RPCServer.start(
                configuration: .init(listen: Endpoint(host: "127.0.0.1", port: 0)), credentials: ownCredentials, router: router, logger: logger)
            servers.append(server)
            if index > 1 {
                let client = try RPCClient(
                    configuration: .init(target: server.address, expectedPeer: name, connections: connections),
                    credentials: try credentials("relay\(index - 1)"),
                    logger: logger
                )
                clients.append(client)
                next = (client, name)
            } else {
                next = (
                    try RPCClient(
                        configuration: .init(target: server.address, expectedPeer: name, connections: connections), credentials: client,
                        logger: logger), name
                )
            }
        }
        var request = Ping()
        request.text = String(repeating: "q", count: requestBytes)
        // Safe: the loop runs at least once (hops ≥ 1), so `next` is the entry relay's client.
        guard let entry = next?.client else { throw RenkeiError(.invalidRequest, "a relay chain needs at least one hop") }
        return RelayChain(servers: servers, clients: clients, entry: entry, request: request)
    }

    private init(servers: [RPCServer], clients: [RPCClient], entry: RPCClient, request: Ping) {
        self.servers = servers
        self.clients = clients
        self.entry = entry
        self.request = request
    }

    /// One round trip through every hop; nil when it came back, else why not.
    public func execute() async -> RenkeiError? {
        do throws(RenkeiError) {
            _ = try await entry.call(Self.forward, request, deadline: NIODeadline.now() + .seconds(10))
            return nil
        } catch {
            return error
        }
    }

    public func stop() async {
        await entry.shutdown()
        for client in clients { await client.shutdown() }
        for server in servers { await server.stop() }
    }
}
