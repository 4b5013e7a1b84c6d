public import Hummingbird
public import Logging
import NIOCore
public import RenkeiCore
public import RenkeiNodes

/// A node's /metrics for Prometheus, over plain HTTP as Prometheus scrapes by default: counts,
/// gauges and histograms only (no 個人番号, no names), so nothing on it needs the mutual TLS of
/// the linkage ports.
public struct MetricsServer: Sendable {
    public let node: String
    private let application: Application<RouterResponder<BasicRequestContext>>
    private let bound: AsyncStream<Endpoint>

    public func run() async throws { try await application.run() }

    /// The address it listens on, once it does; nil if it stopped first.
    public func address() async -> Endpoint? {
        for await endpoint in bound { return endpoint }
        return nil
    }

    public init(node: String, listen: Endpoint, metrics: NodeMetrics, logger: Logger) {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await metrics.exposition())))
        }
        let (bound, announce) = AsyncStream<Endpoint>.makeStream()
        let host = listen.host
        self.node = node
        self.bound = bound
        application = Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "renkei"),
            onServerRunning: { channel in
                announce.yield(Endpoint(host: host, port: channel.localAddress?.port ?? listen.port))
                announce.finish()
            },
            logger: logger)
    }

    /// One per node of `network` that the topology gives a metrics address.
    public static func all(for network: LinkageNetwork, logger: Logger) -> [MetricsServer] {
        network.nodes.compactMap { node in
            guard let listen = network.topology.metricsAddress(of: node.name), let metrics = network.metrics[node.name] else { return nil }
            return MetricsServer(node: node.name, listen: listen, metrics: metrics, logger: logger)
        }
    }
}
