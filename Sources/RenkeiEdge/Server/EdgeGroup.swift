public import Logging
public import RenkeiCore
public import ServiceLifecycle

extension EdgeServer: Service {}

/// Edges run as a group that can be stopped gracefully, for programs that host a network
/// outside `renkei up`'s own service group (load runs, tests).
public final class EdgeGroup: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let servers: [EdgeServer]

    public init(_ servers: [EdgeServer], logger: Logger) {
        let group = ServiceGroup(configuration: .init(services: servers.map { .init(service: $0) }, logger: logger))
        self.group = group
        self.servers = servers
        self.task = Task { try await group.run() }
    }

    /// Where each edge listens, once all do; edges that could not start are missing.
    public func addresses() async -> [String: Endpoint] {
        var addresses = [String: Endpoint]()
        for server in servers { addresses[server.node] = await server.address() }
        return addresses
    }

    /// Every route the edges serve.
    public var routes: [String] { servers.flatMap(\.routes) }

    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
